"""How ``translator check`` on two files grows with the number of pairs: time and peak RSS at 1x,
10x and 100x (200, 2,000 and 20,000 pairs; 1000x too while a run stays under a minute).

The pairs are the 1,000 CC0 MLQE-PE sentences and their machine translations (bench/data/mlqe-pe-en-ja),
repeated with a number so no two paragraphs are the same, as plain text (one sentence per line, a
blank line between, so each is its own paragraph) and as Markdown (a heading every ten paragraphs,
some list items). Every size runs ``translator check SOURCE TRANSLATION --back-translate none`` in a
fresh process; its peak RSS is the kernel's figure for that process (model and encoder included).
Read the "CPU x per 10x" column (CPU time, so other work on a shared machine does not count; the
encoder runs on one thread): about 10 is linear, about 100 quadratic; model loading, paid once per
run, keeps the small sizes' ratios lower.

    python bench/check_scaling.py           # text and Markdown, 1x to 100x (1000x while under a minute)
    python bench/check_scaling.py --quick   # 20 and 200 pairs of plain text, for a smoke test
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "data" / "mlqe-pe-en-ja"
UNIT = 200  # pairs at 1x
QUICK_UNIT = 20  # pairs at 1x with --quick
SCALES = (1, 10, 100, 1000)
NEXT_SCALE_UNDER = 6.0  # seconds: past 100x, a linear run 10x larger would still finish within a minute
RSS_LIMIT_MB = 300  # the target for 20,000 pairs


def sentences(count: int) -> tuple[list[str], list[str]]:
    sources = (DATA / "en-ja.src").read_text(encoding="utf-8").splitlines()
    translations = (DATA / "en-ja.mt").read_text(encoding="utf-8").splitlines()
    picked = [(i // len(sources), i % len(sources)) for i in range(count)]
    # The copy number makes each paragraph unique, as in a long real document.
    return (
        [f"{sources[k]} ({n + 1})" for n, k in picked],
        [f"{translations[k]}（{n + 1}）" for n, k in picked],
    )


def as_text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs) + "\n"


def as_markdown(paragraphs: list[str], heading: str) -> str:
    blocks: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        if index % 10 == 0:
            blocks.append(f"## {heading} {index // 10 + 1}")
        blocks.append(f"- {paragraph}" if index % 10 == 9 else paragraph)
    return "\n\n".join(blocks) + "\n"


FORMATS = {
    "text": (".txt", lambda paragraphs, heading: as_text(paragraphs)),
    "markdown": (".md", as_markdown),
}


def run_check(source: Path, target: Path) -> tuple[float, float, float]:
    """Wall time, CPU time and peak RSS (MB) of one ``check`` in its own process."""
    command = [
        sys.executable, "-m", "translator", "check", str(source), str(target),
        "--back-translate", "none", "--fail-on", "never", "--no-glossary",
    ]  # fmt: skip
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"check failed at {source}:\n{output[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20 and 200 pairs of plain text only")
    args = parser.parse_args()
    scales = SCALES[:2] if args.quick else SCALES
    formats = ["text"] if args.quick else list(FORMATS)
    print(
        f"{'format':10} {'scale':>6} {'pairs':>7} {'wall':>9} {'CPU':>9} {'CPU x per 10x':>14} "
        f"{'peak RSS MB':>12} {'RSS x':>6}"
    )
    over: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for name in formats:
            suffix, render = FORMATS[name]
            previous: tuple[float, float] | None = None
            for scale in scales:
                pairs = (QUICK_UNIT if args.quick else UNIT) * scale
                sources, targets = sentences(pairs)
                source, target = Path(folder) / f"en{suffix}", Path(folder) / f"ja{suffix}"
                source.write_text(render(sources, "Part"), encoding="utf-8")
                target.write_text(render(targets, "パート"), encoding="utf-8")
                seconds, cpu, rss = run_check(source, target)
                growth = f"{cpu / previous[0]:.1f}" if previous else "-"
                rss_growth = f"{rss / previous[1]:.2f}" if previous else "-"
                print(
                    f"{name if scale == 1 else '':10} {scale:>5}x {pairs:>7} {seconds:>8.2f}s {cpu:>8.2f}s {growth:>14} "
                    f"{rss:>12.0f} {rss_growth:>6}",
                    flush=True,
                )
                if pairs == 20_000 and rss >= RSS_LIMIT_MB:
                    over.append(f"{name}: {rss:.0f} MB at 20,000 pairs")
                previous = (cpu, rss)
                if scale >= 100 and seconds > NEXT_SCALE_UNDER:  # 20,000 pairs always run
                    break
    if args.quick:
        print(f"peak RSS over {RSS_LIMIT_MB} MB at 20,000 pairs: not measured (--quick)")
    else:
        print(f"peak RSS over {RSS_LIMIT_MB} MB at 20,000 pairs: " + ("; ".join(over) if over else "none"))


if __name__ == "__main__":
    main()
