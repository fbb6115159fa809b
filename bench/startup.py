"""How long ``translator --version`` and ``translator --help`` take to start, against the floor
of any Click program with rich output: ``python -c "import click, rich"``.

Each command runs many times as a fresh process, the commands taking turns so that a busy moment
of the machine falls on all of them alike; the figure is each command's median wall time. The
target: ``--version`` within 1.2x of the floor.

    python bench/startup.py              # 40 rounds
    python bench/startup.py --rounds 10  # quicker, noisier
    PYTHONPATH=../other-checkout python bench/startup.py --module   # another version, same floor
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET = 1.2  # --version against the floor


def translator_command(module: bool) -> list[str]:
    """The installed ``translator`` script beside this Python, else (or with ``module``)
    ``python -m translator``, which runs whatever checkout PYTHONPATH names first."""
    script = Path(sys.executable).with_name("translator")
    return [str(script)] if script.exists() and not module else [sys.executable, "-m", "translator"]


def commands(module: bool) -> dict[str, list[str]]:
    translator = translator_command(module)
    return {
        'python -c "import click"': [sys.executable, "-c", "import click"],
        'python -c "import click, rich"': [sys.executable, "-c", "import click, rich"],
        "translator --version": [*translator, "--version"],
        "translator --help": [*translator, "--help"],
    }


def run_once(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=40, help="runs of each command (default 40)")
    parser.add_argument("--module", action="store_true", help="run python -m translator, not the script")
    args = parser.parse_args()
    timed = commands(args.module)
    for command in timed.values():
        run_once(command)  # byte-compiled files and the page cache warm for every command alike
    samples: dict[str, list[float]] = {name: [] for name in timed}
    for _round in range(args.rounds):
        for name, command in timed.items():
            samples[name].append(run_once(command))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    floor = medians['python -c "import click, rich"']
    click_only = medians['python -c "import click"']
    print(f"{'command':34} {'median':>9} {'x floor':>8} {'x click':>8}   ({args.rounds} runs each)")
    for name, median in medians.items():
        print(f"{name:34} {median * 1000:>7.1f}ms {median / floor:>8.2f} {median / click_only:>8.2f}")
    ratio = medians["translator --version"] / floor
    verdict = "within" if ratio <= TARGET else "over"
    print(f"translator --version: {ratio:.2f}x the floor (click + rich), {verdict} the {TARGET}x target")


if __name__ == "__main__":
    main()
