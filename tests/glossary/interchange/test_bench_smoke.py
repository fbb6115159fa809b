"""The glossary matching benchmark runs and prints its ratio line (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "glossary_match.py"


def test_quick_bench_prints_a_ratio() -> None:
    result = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    ratio_lines = [line for line in result.stdout.splitlines() if line.startswith("ratio: ")]
    assert len(ratio_lines) == 1 and "faster than the per-term regex loop" in ratio_lines[0]
    assert "scaled" in ratio_lines[0]
