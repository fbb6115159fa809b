"""How fast the glossary Matcher finds terms, next to the obvious per-term regex loop.

A generated glossary of realistic multiword terms (many sharing their first words, like
"model", "model monitor", "model monitor schedule") is matched against generated English
sentences that contain some of those terms. Both sides run on the same data in the same run;
the ratio is what to read (machines are noisy, absolute times are not). The regex loop is too
slow to run over every segment, so it is timed on a sample and scaled per segment (the output
says so). Its patterns are compiled once up front; ``re``'s own cache holds only 512 of them.

    python bench/glossary_match.py           # 5,000 terms over 100,000 segments
    python bench/glossary_match.py --quick   # a few seconds, for a smoke test
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from translator.glossary.matcher import Matcher  # noqa: E402
from translator.glossary.model import Entry, Rendering  # noqa: E402

HEADS = (
    "model", "data", "feature", "training", "inference", "endpoint", "pipeline", "batch", "stream", "vector",
    "prompt", "token", "cluster", "instance", "bucket", "policy", "role", "network", "query", "index",
    "embedding", "agent", "guardrail", "notebook", "experiment", "label", "dataset", "job", "function", "queue",
    "table", "schema", "catalog", "crawler", "workflow", "metric", "alarm", "log", "trace", "event",
    "container", "image", "registry", "volume", "snapshot", "replica", "shard", "partition", "topic", "channel",
)  # fmt: skip
MODIFIERS = (
    "monitor", "store", "registry", "card", "drift", "bias", "quality", "schedule", "group", "version",
    "package", "artifact", "config", "limit", "quota", "endpoint", "transform", "tuning", "compiler", "debugger",
    "profile", "baseline", "report", "capture", "explainer", "processor", "lineage", "template", "runtime", "cache",
    "gateway", "adapter", "encoder", "decoder", "sampler", "scheduler", "optimizer", "validator", "builder", "loader",
)  # fmt: skip
BRANDS = ("Amazon", "AWS")
PRODUCTS = (
    "SageMaker", "Bedrock", "Glue", "Athena", "Kinesis", "Redshift", "Lambda", "Comprehend", "Rekognition",
    "Textract", "Polly", "Transcribe", "Translate", "Kendra", "Personalize", "Forecast", "Lex", "QuickSight",
    "EMR", "DynamoDB", "Aurora", "CloudWatch", "CloudTrail", "Macie", "GuardDuty", "DataBrew", "Q",
)  # fmt: skip
FILLER = (
    "the", "a", "an", "to", "of", "and", "in", "for", "with", "that", "this", "is", "are", "can", "will", "you",
    "your", "when", "which", "by", "on", "from", "use", "uses", "each", "new", "more", "less", "most", "least",
    "company", "team", "solution", "requirement", "cost", "operational", "overhead", "customer", "application",
    "service", "account", "region", "developer", "engineer", "needs", "wants", "configure", "deploy", "store",
    "analyze", "reduce", "improve", "ensure", "daily", "securely", "quickly", "automatically", "existing",
    "large", "small", "real-time", "historical", "sensitive", "public", "private", "without", "after", "before",
)  # fmt: skip


def make_terms(count: int, rng: random.Random) -> list[str]:
    """Unique terms: 1–4 words, product names, and longer terms built on shorter ones."""
    terms: dict[str, None] = {}
    while len(terms) < count:
        roll = rng.random()
        if roll < 0.15:
            words = [rng.choice(BRANDS), rng.choice(PRODUCTS)] + rng.sample(MODIFIERS, rng.randint(0, 2))
        elif roll < 0.45 and terms:
            words = [rng.choice(list(terms)[-200:]), rng.choice(MODIFIERS)]  # shares a prefix with an existing term
        else:
            words = [rng.choice(HEADS)] + rng.sample(MODIFIERS, rng.randint(1, 3))
        terms.setdefault(" ".join(words), None)
    return list(terms)


def make_segments(count: int, terms: Sequence[str], rng: random.Random) -> list[str]:
    """Sentences of 12–35 words; about two in three contain one to three terms, some plural."""
    out: list[str] = []
    for _ in range(count):
        words = rng.choices(FILLER, k=rng.randint(12, 35))
        if rng.random() < 0.66:
            for _ in range(rng.randint(1, 3)):
                term = rng.choice(terms)
                words.insert(rng.randrange(len(words) + 1), term + ("s" if rng.random() < 0.2 else ""))
        sentence = " ".join(words)
        out.append(sentence[0].upper() + sentence[1:] + rng.choice((".", "?", ".")))
    return out


def entries_for(terms: Sequence[str]) -> list[Entry]:
    return [Entry(term=t, targets={"ja": Rendering(f"訳{i}")}) for i, t in enumerate(terms)]


def timed(work: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    found = work()
    return time.perf_counter() - start, found


def matcher_run(matcher: Matcher, segments: Sequence[str]) -> int:
    return sum(len(matcher.find(s)) for s in segments)


def regex_run(patterns: Sequence[re.Pattern[str]], segments: Sequence[str]) -> int:
    found = 0
    for text in segments:
        for pattern in patterns:
            for _ in pattern.finditer(text):
                found += 1
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        n_terms, n_segments, sample = 500, 2_000, 40
        term_steps, segment_steps = (100, 500), (1_000, 2_000)
    else:
        n_terms, n_segments, sample = 5_000, 100_000, 300
        term_steps, segment_steps = (500, 1_000, 2_000, 5_000), (10_000, 30_000, 100_000)

    rng = random.Random(20240601)
    terms = make_terms(max(n_terms, *term_steps), rng)
    segments = make_segments(max(n_segments, *segment_steps), terms[:n_terms], rng)
    chars = sum(map(len, segments[:n_segments])) / n_segments
    print(f"glossary: {n_terms:,} terms; text: {n_segments:,} segments, {chars:.0f} characters each on average")

    build_time, _ = timed(lambda: len(Matcher(entries_for(terms[:n_terms])).entries))
    matcher = Matcher(entries_for(terms[:n_terms]))
    match_time, match_count = timed(lambda: matcher_run(matcher, segments[:n_segments]))
    patterns = [re.compile(r"\b" + re.escape(t) + r"s?\b", re.I) for t in terms[:n_terms]]
    regex_sample_time, regex_count = timed(lambda: regex_run(patterns, segments[:sample]))
    per_segment_matcher = match_time / n_segments
    per_segment_regex = regex_sample_time / sample
    print(
        f"Matcher: built in {build_time:.3f} s; {match_time:.3f} s for {n_segments:,} segments ({match_count:,} matches)"
    )
    print(
        f"regex loop: {regex_sample_time:.3f} s for a sample of {sample} segments ({regex_count:,} matches), "
        f"scaled per segment to {per_segment_regex * n_segments:.1f} s for {n_segments:,}"
    )
    ratio = per_segment_regex / per_segment_matcher
    print(
        f"ratio: Matcher is {ratio:.0f}x faster than the per-term regex loop per segment "
        f"({n_terms:,} terms; regex timed on {sample} segments and scaled; target >= 50x)"
    )

    print("\nMatcher time (s) as the glossary and the text grow:")
    print(f"{'terms':>8} | " + " | ".join(f"{n:>9,} seg" for n in segment_steps))
    for size in term_steps:
        grown = Matcher(entries_for(terms[:size]))
        cells = [timed(lambda n=n, g=grown: matcher_run(g, segments[:n]))[0] for n in segment_steps]
        print(f"{size:>8,} | " + " | ".join(f"{cell:>13.3f}" for cell in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
