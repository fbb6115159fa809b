"""Amazon Transcribe JSON becomes valid SRT and WebVTT cues built from its word timestamps."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import srt
import webvtt

from translator.errors import InputError
from translator.formats import get_format
from translator.formats.subtitles import looks_like_transcribe, transcribe_to_cues

SPEECH = [
    ("spk_0", "Hello and welcome to this lecture ."),
    (
        "spk_0",
        "Today we will look at how BLEU compares a generated translation with one or more "
        "reference translations , and why it is so widely used in research .",
    ),
    ("spk_1", "Is it a perfect metric ?"),
    ("spk_0", "Not at all , but it is easy to compute"),
    ("spk_0", "and everybody reports it ."),
]


def transcribe_json(*, speakers_on_items: bool = True, pause_before: int = 4) -> dict:
    """A Transcribe batch result: timed words, untimed punctuation, speakers on items or apart."""
    items, segments, clock = [], [], 0.5
    for turn, (speaker, sentence) in enumerate(SPEECH):
        if turn == pause_before:
            clock += 2.5
        labelled = []
        for token in sentence.split():
            if token in ".,?":
                items.append({"type": "punctuation", "alternatives": [{"confidence": "0.0", "content": token}]})
                continue
            item = {
                "start_time": f"{clock:.3f}",
                "end_time": f"{clock + 0.28:.3f}",
                "type": "pronunciation",
                "alternatives": [{"confidence": "0.98", "content": token}],
            }
            if speakers_on_items:
                item["speaker_label"] = speaker
            labelled.append({"start_time": item["start_time"], "end_time": item["end_time"], "speaker_label": speaker})
            items.append(item)
            clock += 0.32
        segments.append({"speaker_label": speaker, "items": labelled})
    results = {
        "language_code": "en-US",
        "transcripts": [{"transcript": " ".join(s for _, s in SPEECH)}],
        "items": items,
    }
    if not speakers_on_items:
        results["speaker_labels"] = {"speakers": 2, "segments": segments}
    return {"jobName": "lecture", "accountId": "111122223333", "status": "COMPLETED", "results": results}


def test_cues_follow_words_sentences_and_limits():
    cues = transcribe_to_cues(transcribe_json())
    assert cues[0].text == "Hello and welcome to this lecture."
    assert cues[0].start == timedelta(seconds=0.5)
    for cue in cues:
        assert len(cue.text) <= 42
        assert cue.end - cue.start <= timedelta(seconds=7)
        assert cue.start < cue.end
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:], strict=False))
    assert any(cue.text == "Is it a perfect metric?" and cue.speaker == "spk_1" for cue in cues)
    spoken = " ".join(c.text for c in cues)
    assert " ," not in spoken and " ." not in spoken and "translations, and" in spoken


def test_speakers_from_speaker_label_segments_are_used_too():
    cues = transcribe_to_cues(transcribe_json(speakers_on_items=False))
    assert {cue.speaker for cue in cues} == {"spk_0", "spk_1"}


def test_a_long_pause_closes_a_cue_even_mid_sentence():
    cues = transcribe_to_cues(transcribe_json())
    texts = [cue.text for cue in cues]
    assert any(text.endswith("easy to compute") for text in texts)
    assert any(text.startswith("and everybody") for text in texts)


@pytest.mark.parametrize("syntax", ["srt", "vtt"])
def test_transcribe_json_becomes_valid_subtitles(syntax: str):
    fmt = get_format("transcribe")
    document = fmt.read(json.dumps(transcribe_json(), indent=2), "lecture.json")
    document.meta["subtitle_syntax"] = syntax
    translations = {s.id: f"[ja] {s.text}" for s in document.segments}
    output = fmt.write(document, translations)
    cues = transcribe_to_cues(transcribe_json())
    if syntax == "srt":
        parsed = list(srt.parse(output))
        assert [(s.index, s.start, s.end) for s in parsed] == [(n, c.start, c.end) for n, c in enumerate(cues, 1)]
        texts = [s.content for s in parsed]
    else:
        assert output.startswith("WEBVTT\n\n")
        parsed = webvtt.from_string(output).captions
        assert len(parsed) == len(cues)
        assert [round(c.start_time.to_tuple()[2] + c.start_time.to_tuple()[3] / 1000, 3) for c in parsed][:3] == [
            round(c.start.total_seconds() % 60, 3) for c in cues
        ][:3]
        texts = [c.text for c in parsed]
    assert all(texts)
    assert sum(text.count("[ja]") for text in texts) == len(document.segments)


def test_sentences_across_generated_cues_are_one_segment():
    document = get_format("transcribe").read(json.dumps(transcribe_json()), "lecture.json")
    long_sentence = next(s for s in document.segments if "reference translations" in s.text)
    assert long_sentence.kind == "cue-group" and len(long_sentence.meta["cues"]) >= 2
    speaker_turn = next(s for s in document.segments if s.text == "Is it a perfect metric?")
    assert speaker_turn.meta["cues"] == [speaker_turn.meta["cues"][0]]


def test_sniffing_tells_transcribe_from_other_json():
    assert looks_like_transcribe(json.dumps(transcribe_json()))
    assert not looks_like_transcribe(json.dumps([{"id": 1, "question": "What is BLEU?", "options": {"A": "x"}}]))
    assert not looks_like_transcribe('{"results": {"items": [{"id": "q1"}]}}')
    assert not looks_like_transcribe("not json at all")


def test_bad_transcribe_files_are_reported_with_the_file():
    fmt = get_format("transcribe")
    with pytest.raises(InputError) as caught:
        fmt.read('{"results": {\n  "items": [,]}}', "talk.json")
    assert caught.value.path == "talk.json" and caught.value.line == 2
    with pytest.raises(InputError, match="not an Amazon Transcribe result"):
        fmt.read('{"questions": []}', "talk.json")


def test_cli_writes_srt_from_transcribe_json(cli_env):
    source = cli_env.tmp / "lecture.json"
    source.write_text(json.dumps(transcribe_json(), indent=2), encoding="utf-8")
    output = cli_env.tmp / "lecture.ja.srt"
    result = cli_env.run(
        "translate",
        str(source),
        "--format",
        "transcribe",
        "-b",
        "pseudo",
        "--no-cache",
        "--no-check",
        "--no-glossary",
        "-o",
        str(output),
    )
    assert result.exit_code == 0, result.output
    parsed = list(srt.parse(output.read_text(encoding="utf-8")))
    assert len(parsed) == len(transcribe_to_cues(transcribe_json()))
    assert parsed[0].content.startswith("[ja] ")


def test_cli_names_the_subtitle_output_and_honours_a_vtt_destination(cli_env):
    source = cli_env.tmp / "talk.json"
    source.write_text(json.dumps(transcribe_json(), indent=2), encoding="utf-8")
    args = ["-b", "pseudo", "--no-cache", "--no-check", "--no-glossary"]
    assert cli_env.run("translate", str(source), *args).exit_code == 0  # sniffed, no --format
    assert list(srt.parse((cli_env.tmp / "talk.ja.srt").read_text(encoding="utf-8")))
    assert not (cli_env.tmp / "talk.ja.json").exists()
    vtt_out = cli_env.tmp / "talk.ja.vtt"
    assert cli_env.run("translate", str(source), *args, "-o", str(vtt_out)).exit_code == 0
    captions = webvtt.from_string(vtt_out.read_text(encoding="utf-8"))
    assert len(captions) == len(transcribe_to_cues(transcribe_json()))
