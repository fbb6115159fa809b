"""The batch benchmark still runs end to end (its numbers are printed, never asserted)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_batch_throughput_quick_run_prints_its_ratios():
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "batch_throughput.py"), "--quick", "--latency", "0"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "vs concurrency 1" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("targets: concurrency 4 >= 2.5x (")
