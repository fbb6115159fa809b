"""A course of generated lecture transcripts (SRT), shared by the batch benchmarks."""

from __future__ import annotations

from pathlib import Path

SENTENCES = [
    "In this lecture we look at how Amazon SageMaker runs a training job on managed Spot Instances.",
    "The model is evaluated with precision and recall on the validation set.",
    "Next, we deploy the model to a real-time inference endpoint.",
    "Remember to stop the endpoint when you finish the lab to avoid charges.",
    "Feature engineering often matters more than the choice of algorithm.",
]


def timestamp(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d},000"


def write_course(folder: Path, transcripts: int, cues: int) -> None:
    """``transcripts`` files of ``cues`` three-second cues each, every cue's text different."""
    folder.mkdir(parents=True)
    for number in range(transcripts):
        blocks = []
        for cue in range(cues):
            start = cue * 3
            text = f"{SENTENCES[(number + cue) % len(SENTENCES)]} (lecture {number}, part {cue})"
            blocks.append(f"{cue + 1}\n{timestamp(start)} --> {timestamp(start + 2)}\n{text}\n")
        (folder / f"lecture-{number:03d}.srt").write_text("\n".join(blocks), encoding="utf-8")
