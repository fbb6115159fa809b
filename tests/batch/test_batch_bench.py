"""bench/batch_modes.py still runs end to end (its numbers are printed, never asserted)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_batch_modes_quick_run_prints_both_modes_and_identical_outputs():
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "batch_modes.py"), "--quick", "--latency", "0", "--poll", "0.05"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-3].startswith("synchronous") and lines[-2].startswith("batch")
    assert lines[-1].endswith("outputs identical: yes")
