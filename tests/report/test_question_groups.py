"""The report follows the question: a practice question's stem, options and answer are read as one
group in the HTML page, and its text is the text of the written file.

The exam is tests/fixtures/questions/practice-exam.md (the common Markdown practice-exam layout).
Before, each option was a row of its own, the answer was nowhere, and the report showed
"(Select TWO.)" where the written file has the glossary's （2 つ選択）.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import FIXTURES

EXAM = FIXTURES / "questions" / "practice-exam.md"


def translate(cli_env, tmp_path: Path) -> tuple[BeautifulSoup, dict, str]:
    source = Path(shutil.copy(EXAM, tmp_path / "exam.md"))
    result = cli_env.run(
        "translate",
        str(source),
        "-b",
        "pseudo",
        "--no-cache",
        "-o",
        str(tmp_path / "exam.ja.md"),
        "--report",
        str(tmp_path / "review.html"),
        "--report",
        str(tmp_path / "review.json"),
    )
    assert result.exit_code == 0, result.output
    page = BeautifulSoup((tmp_path / "review.html").read_text(encoding="utf-8"), "lxml")
    data = json.loads((tmp_path / "review.json").read_text(encoding="utf-8"))
    return page, data, (tmp_path / "exam.ja.md").read_text(encoding="utf-8")


def test_each_question_is_one_group_with_its_answer_and_lettered_options(cli_env, tmp_path: Path) -> None:
    page, _, _ = translate(cli_env, tmp_path)
    groups = page.select(".qgroup")
    assert len(groups) == 22
    first, second = groups[0], groups[1]
    assert "answer B" in first.select_one(".qhead").get_text(" ", strip=True)
    letters = [(span.get_text(strip=True), "correct" in span["class"]) for span in first.select(".letter")]
    assert letters == [("A", False), ("B ✓", True), ("C", False), ("D", False)]
    rows = first.select(".row")
    assert rows[0].select_one(".src").get_text().startswith("A company wants to store backups")
    assert rows[2].select_one(".src").get_text() == "Amazon S3 Glacier Deep Archive"
    assert (
        rows[-2].select_one(".src").get_text().startswith("S3 Glacier Deep Archive is the lowest-cost")
    )  # the explanation
    # Options that are only service names are not translated, yet stay in their question's group.
    assert "answer A, C · choose 2" in second.select_one(".qhead").get_text(" ", strip=True)
    kept = [
        (row.select_one(".meta").get_text(strip=True), row.select_one(".src").get_text())
        for row in second.select(".row.kept")
    ]
    assert kept == [
        ("A ✓", "AWS Lambda"),
        ("B", "Amazon EC2"),
        ("C ✓", "AWS Fargate"),
        ("D", "Amazon Lightsail"),
        ("E", "AWS Outposts"),
    ]
    assert not page.select("#rows .table > .row .letter")  # options only inside groups


def test_the_report_shows_the_multi_select_phrase_the_file_has(cli_env, tmp_path: Path) -> None:
    page, data, written = translate(cli_env, tmp_path)
    assert "（2 つ選択）" in written
    stem = page.select(".qgroup")[1].select_one(".row .tgt").get_text()
    assert stem.endswith("（2 つ選択）") and "Select TWO" not in stem
    in_json = [s["translation"] for d in data["documents"] for s in d["segments"] if "（2 つ選択）" in s["translation"]]
    assert in_json and all(text in written.replace("\\", "") or text.replace(" ", "") for text in in_json)
