"""The terminal summary: counts per verdict, then the segments to read in English first."""

from __future__ import annotations

import io

from rich.console import Console

from tests.report.helpers import ROWS, make_result, make_run
from translator.quality.summary import print_summary
from translator.types import Finding


def printed(run) -> str:
    out = io.StringIO()
    print_summary(Console(file=out, width=200), run)
    return out.getvalue()


def test_worst_segments_come_first_with_what_each_check_found():
    missing = Finding(
        "", "glossary.missing", "functional", "'metric' should be rendered メトリクス", expected="メトリクス"
    )
    rows = [*ROWS[:4], ROWS[4][:5] + ([*ROWS[4][5], missing],), ROWS[5]]
    text = printed(make_run(make_result(rows)))
    worst = [line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│ s")]
    assert worst == ["s6", "s5", "s4"]  # literal, then review by lowest score; ok rows left out
    assert "ja.numbers: 7" in text
    assert "glossary.forbidden: インファレンス;" in text and "glossary.missing: →メトリクス" in text
    assert "back-translation: all — 6 segments, 200 characters sent (all would cost 200, suspect 80, none 0)" in text


def test_nothing_checked_prints_nothing():
    assert printed(make_run(make_result(checked=False))) == ""
