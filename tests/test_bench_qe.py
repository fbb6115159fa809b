"""The correlation benchmark runs end to end on a small slice (its figures are printed, never asserted)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_qe_correlation_quick_run_prints_every_figure():
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "qe_correlation.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "3-fold cross-validation" in out and "scores.qe vs human DA: Pearson " in out
    for verdict in ("ok", "review", "literal"):
        assert f"  {verdict} " in out
    assert "shuffled pairs judged ok: " in out and " of 120 " in out
