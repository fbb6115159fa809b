"""Where a translate run's per-segment CPU goes: protect, check, quality rules, scores, memory.

A pseudo-backend run (offline, default checks, the translation memory on) over generated
Markdown paragraphs, in this process, with each stage's functions timed on the thread that runs
them (``time.thread_time``: the embedded model's worker threads are not counted against a stage).
It prints each stage's CPU seconds and share of the run, per 10,000 segments, and how often the
glossary Matcher searched per segment: once on the source side (protect, check and the quality
checks share that one search; ``find`` runs once per text run of it) plus once per
back-translated segment (masking its terms before scoring, a different text).

    python bench/segment_cpu.py                  # 20,000 paragraphs
    python bench/segment_cpu.py --paragraphs 2000
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from lectures import SENTENCES  # bench/lectures.py, beside this script

from translator.cli.main import cli
from translator.glossary.enforce import GlossaryStage
from translator.glossary.matcher import Matcher
from translator.memory import TranslationMemory
from translator.quality import masking
from translator.quality.assess import Assessor
from translator.quality.scores import Scorer

MORE = [
    "Store the training data in an Amazon S3 bucket and grant the IAM role read access.",
    "Use `aws sagemaker create-training-job` to start the job from the command line.",
    "Amazon Bedrock gives access to foundation models through one API, see [the guide](https://docs.aws.amazon.com/bedrock/).",
    "Overfitting happens when the model learns noise in the training data instead of the signal.",
    "A confusion matrix shows true positives, false positives and false negatives for each class.",
    "Hyperparameter tuning runs many training jobs and keeps the best one by the objective metric.",
]


def write_paragraphs(path: Path, count: int) -> None:
    sentences = [*SENTENCES, *MORE]
    path.write_text("\n\n".join(f"{sentences[i % len(sentences)]} (step {i})" for i in range(count)) + "\n")


class Meter:
    """Thread CPU seconds per stage and call counts, by wrapping functions in place."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._depth = 0  # a stage inside another is counted once, in the outer one

    def time(self, owner: Any, name: str, stage: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth:
                return original(*args, **kwargs)
            self._depth += 1
            start = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[stage] += time.thread_time() - start
                self._depth -= 1

        setattr(owner, name, timed)

    def count(self, owner: Any, name: str, counter: Callable[[], str]) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        @functools.wraps(original)
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[counter()] += 1
            return original(*args, **kwargs)

        setattr(owner, name, counted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=20_000)
    args = parser.parse_args()

    meter = Meter()
    meter.time(GlossaryStage, "protect", "protect")
    meter.time(GlossaryStage, "check", "glossary check")
    meter.time(Assessor, "rule_findings", "quality rules")
    meter.time(Assessor, "document_findings", "quality rules")
    meter.time(Assessor, "score", "scores")
    meter.time(Scorer, "corpus_from", "scores")
    meter.time(TranslationMemory, "lookup", "memory")
    meter.time(TranslationMemory, "store", "memory")
    side = {"now": "source"}
    original_mask = masking.mask_terms

    def mask_back_translation(text: str, index: Any) -> str:
        side["now"] = "back-translation"
        try:
            return original_mask(text, index)
        finally:
            side["now"] = "source"

    masking.mask_terms = mask_back_translation  # only back-translations are masked by a search now
    meter.count(Matcher, "find", lambda: side["now"])
    meter.count(Matcher, "find_runs", lambda: "segment searches")

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "course.md"
        write_paragraphs(source, args.paragraphs)
        os.environ["TRANSLATOR_CACHE_DIR"] = str(Path(folder) / "cache")
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        main_start = time.thread_time()
        result = CliRunner().invoke(
            cli, ["translate", str(source), "-b", "pseudo", "-o", str(Path(folder) / "out.md")], catch_exceptions=False
        )
        main_cpu = time.thread_time() - main_start
        cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
        if result.exit_code != 0:
            sys.exit(f"the run failed: {result.output}")

    per = 10_000 / args.paragraphs
    print(f"{args.paragraphs:,} paragraphs, pseudo backend, default checks, memory on")
    print(f"wall {wall:.1f} s, process CPU {cpu:.1f} s, main-thread CPU {main_cpu:.1f} s")
    print(f"{'stage':<16} {'CPU s':>8} {'per 10k seg':>12} {'share of main thread':>21}")
    for stage in ("protect", "glossary check", "quality rules", "scores", "memory"):
        seconds = meter.seconds[stage]
        print(f"{stage:<16} {seconds:>8.2f} {seconds * per:>12.2f} {seconds / main_cpu:>20.1%}")
    rest = main_cpu - sum(meter.seconds.values())
    print(f"{'everything else':<16} {rest:>8.2f} {rest * per:>12.2f} {rest / main_cpu:>20.1%}")
    print(
        f"glossary searches of a segment's source (Matcher.find_runs) per segment: "
        f"{meter.calls['segment searches'] / args.paragraphs:.2f} (must be 1)"
    )
    print(
        f"Matcher.find per segment: source side {meter.calls['source'] / args.paragraphs:.2f} "
        f"(one per text run: inline code and links split a paragraph into runs), "
        f"back-translation side {meter.calls['back-translation'] / args.paragraphs:.2f}"
    )


if __name__ == "__main__":
    main()
