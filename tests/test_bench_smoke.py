"""The batch benchmark still runs end to end (its numbers are printed, never asserted)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_batch_throughput_quick_run_prints_its_ratios():
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "batch_throughput.py"), "--quick", "--latency", "0"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "vs concurrency 1" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("targets: concurrency 4 >= 2.5x (")


def test_reader_scaling_quick_run_prints_every_reader():
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "reader_scaling.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for reader in (
        "markdown",
        "html",
        "srt",
        "vtt",
        "questions-json",
        "questions-csv",
        "glossary yaml",
        "glossary tbx",
        "glossary tmx",
    ):
        assert f"\n{reader} " in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("worse than linear: ")


def test_startup_bench_prints_the_ratio_to_its_floor():
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "startup.py"), "--rounds", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "translator --help" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("translator --version: ")


def test_check_scaling_quick_run_prints_time_and_peak_memory():
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "check_scaling.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if line.split()[:1] in (["text"], ["10x"])]
    assert len(rows) == 2  # 1x and 10x, each with its time and peak RSS
    assert result.stdout.strip().splitlines()[-1].startswith("peak RSS over 300 MB at 20,000 pairs: ")


def test_check_cpu_bench_runs_two_checkouts_side_by_side():
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "check_cpu.py"),
            "--paragraphs",
            "120",
            "--rounds",
            "1",
            "--before",
            "HEAD",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "\nchecks (rules + document + score)" in result.stdout
    assert "  rule ja.untranslated-english" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("verdicts: 0 of 121 differ")
