"""Which checks fire on translations that people judged good: a per-check table on human-scored data.

For every check (literalness rules, glossary checks) it prints how many segments it fires on, the
mean human score of those segments and of the others, and the difference. A check whose segments
score *higher* than the rest is mostly a false alarm: it fires on translations people liked. The
verdicts are summarised the same way (mean human score per verdict).

The data is a folder in the MLQE-PE layout (``<pair>.src``, ``<pair>.mt`` and ``<pair>.da``, one
sentence per line; DA is a z-scored direct assessment, higher is better). The pairs are judged the
way ``translator check pairs.tsv --back-translate none`` judges them, offline, shipped glossary and
rules included.

    python bench/rule_precision.py bench/data/mlqe-pe-en-ja
    python bench/rule_precision.py DATA --pair en-ja --examples 3   # show what each check fired on
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from translator.config import load_settings  # noqa: E402
from translator.glossary.enforce import build_glossary_stage  # noqa: E402
from translator.quality.verdict import counted  # noqa: E402
from translator.runs.check import check_translation  # noqa: E402


def read_data(folder: Path, pair: str) -> tuple[list[str], list[str], list[float]]:
    def lines(suffix: str) -> list[str]:
        return (folder / f"{pair}.{suffix}").read_text(encoding="utf-8").splitlines()

    sources, translations, scores = lines("src"), lines("mt"), [float(x) for x in lines("da")]
    if not len(sources) == len(translations) == len(scores):
        raise SystemExit(f"{folder}: .src, .mt and .da differ in length")
    return sources, translations, scores


def judge(sources: list[str], translations: list[str]) -> list[tuple[str, set[str], list[str]]]:
    """(verdict, checks that fired, what each finding found) per pair, in order."""
    os.environ["TRANSLATOR_NO_USER_CONFIG"] = "1"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pairs.tsv"
        rows = (
            f"{s.replace(chr(9), ' ')}\t{t.replace(chr(9), ' ')}" for s, t in zip(sources, translations, strict=True)
        )
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        settings = load_settings(cwd=Path(folder), back_translate="none", user_config=False)
        glossary = build_glossary_stage(settings, list(settings.glossaries), repair=False)
        run = check_translation(str(path), None, settings, glossary=glossary)
    result = run.outcomes[0].result
    assert result is not None
    judged = []
    for segment in result.document.segments:
        translation = result.translations[segment.id]
        findings = counted(translation.findings)
        notes = [f"{f.check}: {f.found or f.message[:60]}" for f in findings]
        judged.append((translation.verdict or "ok", {f.check for f in findings}, notes))
    return judged


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "data",
        type=Path,
        nargs="?",
        default=Path(__file__).parent / "data" / "mlqe-pe-en-ja",
        help="folder with <pair>.src, <pair>.mt, <pair>.da (default: the CC0 copy in bench/data)",
    )
    parser.add_argument("--pair", default="en-ja")
    parser.add_argument("--examples", type=int, default=0, help="show this many hits of each check")
    args = parser.parse_args()
    sources, translations, scores = read_data(args.data, args.pair)
    judged = judge(sources, translations)
    overall = mean(scores)
    print(f"{len(scores)} pairs, mean human score {overall:+.3f}\n")

    fired: dict[str, list[int]] = defaultdict(list)
    for index, (_verdict, checks, _notes) in enumerate(judged):
        for check in checks:
            fired[check].append(index)
    print(f"{'check':40} {'hits':>5} {'DA hit':>8} {'DA rest':>8} {'diff':>7}")
    for check, indexes in sorted(fired.items(), key=lambda item: -len(item[1])):
        chosen = set(indexes)
        hit = mean([scores[i] for i in indexes])
        rest = mean([s for i, s in enumerate(scores) if i not in chosen])
        flag = "  <- fires on better-than-average" if hit > overall else ""
        print(f"{check:40} {len(indexes):5} {hit:+8.3f} {rest:+8.3f} {hit - rest:+7.3f}{flag}")
        for i in indexes[: args.examples]:
            notes = "; ".join(n for n in judged[i][2] if n.startswith(check))
            print(f"    [{scores[i]:+.2f}] {sources[i][:90]}\n           {translations[i][:60]}  ({notes[:100]})")
    any_hit = [i for i, (_v, checks, _n) in enumerate(judged) if checks]
    print(
        f"{'(any check)':40} {len(any_hit):5} {mean([scores[i] for i in any_hit]):+8.3f}"
        f" {mean([s for i, s in enumerate(scores) if i not in set(any_hit)]):+8.3f}"
    )

    print(f"\n{'verdict':10} {'pairs':>6} {'mean DA':>8}")
    for verdict in ("ok", "review", "literal"):
        values = [scores[i] for i, (v, _c, _n) in enumerate(judged) if v == verdict]
        print(f"{verdict:10} {len(values):6} {mean(values):+8.3f}")


if __name__ == "__main__":
    main()
