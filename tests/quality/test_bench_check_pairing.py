"""The pairing benchmark still runs end to end (its numbers are printed, never asserted)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_check_pairing_quick_run_prints_both_columns_and_the_memory_ratio():
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "check_pairing.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["documents", "by", "length", "by", "meaning"]
    assert lines[1].startswith("200 one to one") and lines[2].startswith("200 messy")
    assert lines[-1].startswith("search peak memory:")
