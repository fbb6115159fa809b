"""Batch throughput: a course of lecture transcripts through the DeepL emulator, side by side.

A service answers each request after some latency, so a batch job's time is mostly waiting;
bounded concurrency and the translation memory are what make hundreds of transcripts fast.
This prints, measured in one run on the same data, the time of:

* concurrency 1, 4 and 8 with every request delayed by the emulator (``--latency``),
* a second run answered from the translation memory,

and their ratios to the concurrency-1 run. Targets, with DeepL-like latency (0.3 s a request):
concurrency 4 at least 2.5x faster than 1, a memory-only run at least 10x faster (what remains is
reading and writing the files). Run ``python bench/batch_throughput.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lectures import write_course  # bench/lectures.py, beside this script

from translator.testing import DeepLEmulator


def run(course: Path, out: Path, url: str, env: dict[str, str], *extra: str) -> float:
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "translator",
            "translate",
            str(course),
            "-o",
            str(out),
            "-b",
            "deepl",
            "--backend-url",
            url,
            "--no-check",
            "--no-glossary",
            *extra,
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small course, for a smoke run")
    parser.add_argument("--latency", type=float, default=0.3, help="seconds the emulator waits per request")
    args = parser.parse_args()
    transcripts, cues = (8, 60) if args.quick else (60, 120)
    with tempfile.TemporaryDirectory() as tmp, DeepLEmulator(auth_keys=("bench",), character_limit=10**9) as emulator:
        root = Path(tmp)
        course = root / "course"
        write_course(course, transcripts, cues)
        env = {
            **os.environ,
            "DEEPL_AUTH_KEY": "bench",
            "TRANSLATOR_NO_USER_CONFIG": "1",
            "TRANSLATOR_CACHE_DIR": str(root / "cache"),
        }
        emulator.faults.random(1.0, kinds=["slow"], seconds=args.latency, path="/v2/translate")
        times = {}
        for concurrency in (1, 4, 8):
            times[f"concurrency {concurrency}"] = run(
                course, root / "out", emulator.url, env, "--no-cache", "--concurrency", str(concurrency)
            )
        run(course, root / "out", emulator.url, env)  # fills the memory
        times["from memory"] = run(course, root / "out", emulator.url, env)
        requests = len([r for r in emulator.requests if r.path == "/v2/translate"])
    base = times["concurrency 1"]
    print(
        f"{transcripts} transcripts x {cues} cues, {args.latency * 1000:.0f} ms per request; {requests} requests in all"
    )
    print(f"{'run':<16} {'seconds':>8} {'vs concurrency 1':>17}")
    for name, seconds in times.items():
        print(f"{name:<16} {seconds:8.2f} {base / seconds:16.1f}x")
    print(
        f"targets: concurrency 4 >= 2.5x ({base / times['concurrency 4']:.1f}x), "
        f"from memory >= 10x ({base / times['from memory']:.1f}x)"
    )


if __name__ == "__main__":
    main()
