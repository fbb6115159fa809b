"""CPU of translate's per-segment checks, per 1,000 segments and per rule, old code beside new.

The throughput benchmark's paragraphs (``bench/throughput.py``) are translated once by a real
``translator translate`` run against the DeepL emulator (no latency, no embedded model), and the
pairs the quality stage saw are kept: each protected source segment, its translation as the
rules read it (the emulator's answer is the source with a ``[ja]`` marker and the glossary's
terms replaced, so nearly every English word is left in English: the rules' worst case) and its
back-translation. Then, in a fresh process per checkout, the checks run over those pairs in the
order a run has them (``Assessor.rule_findings`` per batch as it returns,
``document_findings`` over the document, ``score`` and ``decide`` per segment), timed with
``time.process_time`` (each rule again on its own in a second pass). With ``--before REV`` the
checks of git revision ``REV`` (its tree, exported to a temporary folder) are measured too,
alternating with this checkout's for ``--rounds`` rounds; each line shows the least of the
rounds (other work on a shared machine only adds time), with the ratio, and whether every
verdict agrees.

    python bench/check_cpu.py                         # this checkout, 2,000 paragraphs
    python bench/check_cpu.py --before main           # main's checks beside this checkout's
    python bench/check_cpu.py --before main --paragraphs 5000 --rounds 5

Measured when the checks were reworked (20,000 paragraphs, 2 rounds, 2 cores shared with other
work, so a line varies by 10-15% from run to run): rules + document + score 679 → 343 ms of CPU
per 1,000 segments (0.51; 623 → 342 in another run), the rules 494 → 222, scores 131 → 99
(chrF on the 1 segment in 8 whose back-translation is English), every verdict the same, and 20.5
→ 1.9 findings per segment (one untranslated-English finding per segment, not one per word).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
BATCH = 50  # segments per backend batch: the rules run as each returns


# -- capture: one real run, the pairs its quality stage saw ------------------------------------


def capture(data: Path, paragraphs: int) -> None:
    sys.path.insert(0, str(HERE))
    from click.testing import CliRunner
    from throughput import write_markdown

    from translator.cli.main import cli
    from translator.quality.assess import Assessor
    from translator.testing import DeepLEmulator

    pairs: dict[str, dict[str, Any]] = {}
    rule_findings, score = Assessor.rule_findings, Assessor.score

    def recording_rules(self: Assessor, segment: Any, translation: Any) -> Any:
        pairs[segment.id] = {
            "id": segment.id,
            "kind": segment.kind,
            "text": segment.text,
            "scope": str(segment.meta.get("scope", "")),
            "spans": {key: [s.kind, s.opening, s.closing, s.paired, dict(s.attrs)] for key, s in segment.spans.items()},
            "translation": translation.text,
            "back": None,
        }
        return rule_findings(self, segment, translation)

    def recording_score(self: Assessor, segment: Any, translation: Any) -> Any:
        if segment.id in pairs:
            pairs[segment.id]["back"] = translation.back_translation
        return score(self, segment, translation)

    Assessor.rule_findings = recording_rules  # type: ignore[method-assign]
    Assessor.score = recording_score  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as folder, DeepLEmulator(auth_keys=("bench",), character_limit=10**12) as em:
        source = Path(folder) / "one.md"
        write_markdown(source, paragraphs)
        os.environ.update(
            DEEPL_AUTH_KEY="bench", TRANSLATOR_NO_USER_CONFIG="1", TRANSLATOR_CACHE_DIR=str(Path(folder) / "cache")
        )
        options = ["-b", "deepl", "--backend-url", em.url, "--no-cache", "--no-embedded-model"]
        result = CliRunner().invoke(cli, ["translate", str(source), "-o", str(Path(folder) / "out.md"), *options])
        if result.exit_code != 0:
            sys.exit(f"the capture run failed: {result.output}")
    data.write_text(json.dumps(list(pairs.values()), ensure_ascii=False), encoding="utf-8")


# -- measure: the checks of the translator package on sys.path ---------------------------------


def measure(data: Path) -> dict[str, Any]:
    import translator
    from translator.config import Settings
    from translator.glossary.enforce import build_glossary_stage
    from translator.glossary.source_terms import source_terms
    from translator.quality import rules
    from translator.quality.stage import build_assessor
    from translator.types import Segment, Span, Translation

    records = json.loads(data.read_text(encoding="utf-8"))
    settings = Settings()
    glossary = build_glossary_stage(settings, [])

    def items() -> list[tuple[Any, Any]]:
        made = []
        for record in records:
            spans = {
                key: Span(key, kind, opening, closing, paired, attrs)
                for key, (kind, opening, closing, paired, attrs) in record["spans"].items()
            }
            segment = Segment(record["id"], record["kind"], record["text"], spans, meta={"scope": record["scope"]})
            source_terms(segment, glossary.matcher)  # what protect leaves on the segment in a run
            translation = Translation(record["id"], record["translation"], back_translation=record["back"])
            made.append((segment, translation))
        return made

    seconds: dict[str, float] = defaultdict(float)

    def timed(rule_id: str, check: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        def run(rule: Any, pair: Any, terms: Any) -> Iterator[Any]:
            start = time.process_time()
            hits = list(check(rule, pair, terms))
            seconds[f"rule {rule.id}"] += time.process_time() - start
            return iter(hits)

        return run

    def checks(pairs: list[tuple[Any, Any]], *, timing: bool) -> None:
        assessor = build_assessor(settings, glossary, None, all_metrics=False)
        clock = time.process_time if timing else (lambda: 0.0)
        for first in range(0, len(pairs), BATCH):
            start = clock()
            for segment, translation in pairs[first : first + BATCH]:
                translation.findings.extend(assessor.rule_findings(segment, translation))
            seconds["rule_findings"] += clock() - start
        start = clock()
        by_id = {segment.id: translation for segment, translation in pairs}
        for finding in assessor.document_findings(pairs):
            by_id[finding.segment_id].findings.append(finding)
        seconds["document_findings"] += clock() - start
        for segment, translation in pairs:
            start = clock()
            assessor.score(segment, translation)
            seconds["score"] += clock() - start
            start = clock()
            assessor.decide(translation)
            seconds["decide"] += clock() - start

    checks(items()[:200], timing=False)  # compiled patterns and caches warm, as after a run's first batch
    seconds.clear()
    pairs = items()
    checks(pairs, timing=True)
    # Each rule on its own, in a second pass: timing every rule call costs time of its own, which
    # the totals above do not include.
    totals = dict(seconds)
    for kind, check in list(rules.SEGMENT_CHECKS.items()):
        rules.SEGMENT_CHECKS[kind] = timed(kind, check)
    checks(items(), timing=True)
    seconds.update(totals)
    return {
        "package": str(Path(translator.__file__).resolve().parent),
        "segments": len(pairs),
        "seconds": dict(seconds),
        "findings": sum(len(t.findings) for _s, t in pairs),
        "rule_findings": sum(1 for _s, t in pairs for f in t.findings if f.check.startswith("rule.")),
        "verdicts": [t.verdict for _s, t in pairs],
    }


# -- the side-by-side run ----------------------------------------------------------------------


def export(revision: str, folder: Path) -> Path:
    """The tree of ``revision`` of this repository, as files in ``folder``."""
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(CHECKOUT), "archive", revision], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def measured_in(root: Path, data: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run(
        [sys.executable, __file__, "--measure", str(data)], env=env, check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(out.stdout.splitlines()[-1])
    if Path(result["package"]) != (root / "translator").resolve():
        sys.exit(f"measured {result['package']}, not the checkout at {root}")
    return result


def total(result: dict[str, Any]) -> float:
    parts = ("rule_findings", "document_findings", "score")
    return sum(result["seconds"].get(part, 0.0) for part in parts)


def report(results: dict[str, dict[str, Any]]) -> None:
    names = list(results)
    count = results[names[0]]["segments"]
    per = 1000 / count
    print(f"{count:,} segments (the throughput benchmark's paragraphs, DeepL emulator answers)")
    print("CPU ms per 1,000 segments (each line the least of the rounds)")
    rows = ["rule_findings", *sorted({k for r in results.values() for k in r["seconds"] if k.startswith("rule ")})]
    rows += ["document_findings", "score", "decide"]
    print(f"{'':<34}" + "".join(f"{name:>16}" for name in names) + ("           ratio" if len(names) == 2 else ""))

    def line(label: str, values: list[float]) -> None:
        ratio = f"{values[1] / values[0]:>16.2f}" if len(values) == 2 and values[0] else ""
        print(f"{label:<34}" + "".join(f"{v * per * 1000:>16.0f}" for v in values) + ratio)

    for row in rows:
        label = f"  {row}" if row.startswith("rule ") else row
        line(label, [results[name]["seconds"].get(row, 0.0) for name in names])
    line("checks (rules + document + score)", [total(results[name]) for name in names])
    print(
        "findings per segment: "
        + ", ".join(
            f"{name} {results[name]['findings'] / count:.1f} ({results[name]['rule_findings'] / count:.1f} rule)"
            for name in names
        )
    )
    if len(names) == 2:
        before, after = (results[name]["verdicts"] for name in names)
        differing = sum(1 for a, b in zip(before, after, strict=True) if a != b)
        counts = {v: after.count(v) for v in ("ok", "review", "literal")}
        print(f"verdicts: {differing} of {count:,} differ; {counts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=2_000)
    parser.add_argument("--before", metavar="REV", help="also measure the checks of this git revision")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per checkout; the fastest counts")
    parser.add_argument("--capture", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.capture:
        capture(args.capture, args.paragraphs)
        return
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "pairs.json"
        env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
        command = [sys.executable, __file__, "--capture", str(data), "--paragraphs", str(args.paragraphs)]
        subprocess.run(command, env=env, check=True)
        roots = {}
        if args.before:
            roots[args.before] = export(args.before, Path(folder) / "before")
        roots["this checkout"] = CHECKOUT
        best: dict[str, dict[str, Any]] = {}
        for _round in range(args.rounds):
            for name, root in roots.items():
                result = measured_in(root, data)
                if name not in best:
                    best[name] = result
                    continue
                # Other work on the machine only ever adds time: each line's least is its cost.
                fastest = best[name]["seconds"]
                for key, value in result["seconds"].items():
                    fastest[key] = min(fastest.get(key, value), value)
        report(best)


if __name__ == "__main__":
    main()
