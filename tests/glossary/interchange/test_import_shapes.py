"""``glossary import`` of files in the shapes public tools export (see each file's origin below).

- ``microsoft_terminology.tbx``: TBX v2 as Microsoft's terminology collection writes it
  (``<ntig><termGrp>``, ``xml:lang="ja-JP"``, definitions in a ``descripGrp``);
- ``spreadsheet.csv``: a shared spreadsheet saved as CSV, ``English,Japanese,Notes`` (CRLF);
- ``translator_toolkit.csv``: Google Translator Toolkit's glossary upload,
  ``en,ja,pos,description``;
- ``weblate.csv``: Weblate's glossary CSV, ``source,target,developer_comments``.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from translator.cli.main import cli
from translator.glossary.interchange import import_path
from translator.glossary.loader import load_glossary

SHAPES = Path(__file__).parent / "shapes"


def by_term(path: Path) -> dict:
    return {entry.term: entry for entry in import_path(path).entries}


def test_tbx_with_ntig_term_groups_imports_instead_of_a_traceback(tmp_path: Path):
    output = tmp_path / "ms.yaml"
    result = CliRunner().invoke(
        cli, ["glossary", "import", str(SHAPES / "microsoft_terminology.tbx"), "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert "imported 2 entries" in result.output
    loaded = load_glossary([output], shipped=False)
    inference = next(e for e in loaded.entries if e.term == "inference")
    assert inference.pos == "noun"  # "Noun" in the export


def test_a_regional_ja_code_becomes_the_ja_target_every_command_uses():
    entries = by_term(SHAPES / "microsoft_terminology.tbx")
    assert set(entries["inference"].targets) == {"ja"}
    assert entries["inference"].rendering("ja").preferred == "推論"
    assert entries["data drift"].rendering("ja").preferred == "データドリフト"


def test_tbx_definitions_and_notes_are_kept():
    entries = by_term(SHAPES / "microsoft_terminology.tbx")
    assert entries["inference"].note == "Definition: Using a trained model to make predictions on new data."
    assert entries["data drift"].rendering("ja").note == "Katakana, as AWS writes it."


def test_a_spreadsheet_with_named_columns_keeps_notes_and_lists_rows_without_a_translation(tmp_path: Path):
    imported = import_path(SHAPES / "spreadsheet.csv")
    entries = {e.term: e for e in imported.entries}
    assert entries["inference"].rendering("ja").preferred == "推論"
    assert entries["inference"].note == "Not 推測 (guessing)"
    assert entries["fine-tuning"].rendering("ja").preferred == "ファインチューニング"
    assert entries["Amazon SageMaker"].keep
    assert "English" not in entries  # the header is not an entry
    assert any("'feature store' has no translation yet" in line for line in imported.skipped)

    output = tmp_path / "team.yaml"
    result = CliRunner().invoke(cli, ["glossary", "import", str(SHAPES / "spreadsheet.csv"), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "left out:" in result.output and "feature store" in result.output
    assert CliRunner().invoke(cli, ["glossary", "lint", str(output)]).exit_code == 0


def test_translator_toolkit_columns_give_part_of_speech_and_description():
    entries = by_term(SHAPES / "translator_toolkit.csv")
    assert entries["precision"].pos == "noun"
    assert entries["precision"].rendering("ja").preferred == "適合率"
    assert entries["precision"].note == "Of the predicted positives, the share that is right."
    assert entries["recall"].note is None


def test_weblate_source_target_columns_use_the_given_language():
    entries = by_term(SHAPES / "weblate.csv")
    assert entries["hyperparameter"].rendering("ja").preferred == "ハイパーパラメータ"
    assert entries["hyperparameter"].note == "Without the long vowel mark"
    assert "source" not in entries


def test_an_unknown_column_is_listed_not_dropped_silently(tmp_path: Path):
    table = tmp_path / "terms.csv"
    table.write_text("ID,English,Japanese,Status\n1,epoch,エポック,approved\n", encoding="utf-8")
    imported = import_path(table)
    assert [e.term for e in imported.entries] == ["epoch"]
    assert imported.entries[0].rendering("ja").preferred == "エポック"
    assert any("column 'ID'" in line for line in imported.skipped)
    assert any("column 'Status'" in line for line in imported.skipped)


def test_a_row_with_the_wrong_number_of_cells_is_reported_at_its_line(tmp_path: Path):
    table = tmp_path / "terms.csv"
    table.write_text("English,Japanese,Notes\nepoch,エポック\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["glossary", "import", str(table)])
    assert result.exit_code == 1
    assert f"{table}:2: expected 3 columns as in the header, found 2" in result.output


def test_context_words_survive_an_export_and_import_to_yaml(tmp_path: Path):
    source = tmp_path / "team.yaml"
    source.write_text(
        "version: 1\nlanguage: en\nentries:\n  - term: population\n    context: [sample, mean]\n"
        '    source: "x"\n    targets:\n      ja:\n        preferred: 母集団\n',
        encoding="utf-8",
    )
    for fmt in ("csv", "tbx", "tmx"):
        exported, back = tmp_path / f"team.{fmt}", tmp_path / f"back-{fmt}.yaml"
        assert (
            CliRunner().invoke(cli, ["glossary", "export", str(source), "--to", fmt, "-o", str(exported)]).exit_code
            == 0
        )
        result = CliRunner().invoke(cli, ["glossary", "import", str(exported), "-o", str(back)])
        assert result.exit_code == 0, result.output
        assert "    context: [sample, mean]\n" in back.read_text(encoding="utf-8"), fmt
