"""``--anki``: a valid .apkg with one note per question, whose ids survive a re-export."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

from translator.formats.questions.anki import FIELDS


def read_notes(deck: Path, tmp_path: Path) -> dict[str, dict[str, str]]:
    """guid → fields, read from the package's collection database."""
    with zipfile.ZipFile(deck) as package:
        assert "collection.anki2" in package.namelist()
        database = tmp_path / "collection.anki2"
        database.write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(database) as connection:
        rows = connection.execute("select guid, flds from notes").fetchall()
    database.unlink()
    return {guid: dict(zip(FIELDS, fields.split("\x1f"), strict=True)) for guid, fields in rows}


def export(cli_env, source: Path, deck: Path, *args: str):
    return cli_env.run(
        "translate",
        str(source),
        "-b",
        "pseudo",
        "--no-check",
        "--no-glossary",
        "--anki",
        str(deck),
        "-o",
        str(source.with_suffix(".out")),
        *args,
    )


def test_the_deck_has_one_note_per_question_japanese_front_and_answer_back(
    cli_env, copy_fixture, exam_phrases, tmp_path
):
    source = copy_fixture("practice-exam.md")
    deck = tmp_path / "exam.apkg"
    result = export(cli_env, source, deck, "--format", "questions-md")
    assert result.exit_code == 0, result.output
    notes = read_notes(deck, tmp_path)
    assert len(notes) == 22
    second = next(n for n in notes.values() if n["Id"] == "2")
    assert (
        second["Question"]
        == "[ja] Which AWS services can a developer use to run code without provisioning servers? （2 つ選択）"
    )
    assert second["QuestionEnglish"].endswith("provisioning servers? (Select TWO.)")
    assert second["Options"].startswith("<div>A. [ja] AWS Lambda</div><div>B. [ja] Amazon EC2</div>")
    assert second["Answer"] == "A, C"
    assert (
        '<a href="https://aws.amazon.com/serverless/">https://aws.amazon.com/serverless/</a>' in second["Explanation"]
    )
    fourth = next(n for n in notes.values() if n["Id"] == "4")
    assert "<br/>" in fourth["Question"] and "<code>s3://bucket/checkpoints/</code>" in fourth["Explanation"]


def test_re_exporting_after_a_change_keeps_the_note_ids(cli_env, copy_fixture, tmp_path):
    source = copy_fixture("questions.json")
    deck = tmp_path / "cloud.apkg"
    assert export(cli_env, source, deck).exit_code == 0
    first = read_notes(deck, tmp_path)
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "CloudFront is the content delivery network of AWS.", "CloudFront is a CDN."
        ),
        encoding="utf-8",
    )
    assert export(cli_env, source, deck).exit_code == 0
    second = read_notes(deck, tmp_path)
    assert set(second) == set(first) and len(second) == 6
    changed = [guid for guid in first if first[guid]["Explanation"] != second[guid]["Explanation"]]
    assert len(changed) == 1 and second[changed[0]]["Explanation"] == "[ja] CloudFront is a CDN."
    assert not list(tmp_path.glob(".cloud.apkg.*"))  # no temporary file left behind


def test_anki_without_question_input_is_a_clear_error(cli_env, tmp_path):
    source = tmp_path / "notes.txt"
    source.write_text("Just a paragraph.\n", encoding="utf-8")
    result = export(cli_env, source, tmp_path / "deck.apkg")
    assert result.exit_code == 1
    assert "--anki needs practice-question input" in result.output
    assert not (tmp_path / "deck.apkg").exists()
