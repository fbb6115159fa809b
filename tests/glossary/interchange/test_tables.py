"""CSV/TSV imports: the project CSV's checks, and two-column files with or without a header."""

from __future__ import annotations

from pathlib import Path

import pytest

from translator.errors import GlossaryError
from translator.glossary.interchange import export_entries, import_file
from translator.glossary.interchange.project_csv import HEADER
from translator.glossary.model import Entry


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_language_header_names_the_target_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "en,ja,fr\ninference,推論,inférence\nAmazon S3,Amazon S3,Amazon S3\n")
    found = {e.term: e for e in import_file(path)}
    assert found["inference"].targets["ja"].preferred == "推論"
    assert found["inference"].targets["fr"].preferred == "inférence"
    assert found["Amazon S3"].keep and not found["Amazon S3"].targets


def test_headerless_tsv_uses_the_given_language(tmp_path: Path) -> None:
    path = write(tmp_path, "t.tsv", "\ufeffinference\t推論\nrecall\t再現率\n")
    found = import_file(path, lang="ja")
    assert [(e.term, e.targets["ja"].preferred) for e in found] == [("inference", "推論"), ("recall", "再現率")]
    assert found[1].origin == (str(path), 2)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("inference,推論\ninference,推測\n", 2, "given twice"),
        ("inference,推論\nrecall\n", 2, "expected source,target"),
        ("inference,推論\n,再現率\n", 2, "source term is empty"),
    ],
)
def test_bad_two_column_rows_are_reported_at_their_line(tmp_path: Path, text: str, line: int, reason: str) -> None:
    with pytest.raises(GlossaryError, match=reason) as raised:
        import_file(write(tmp_path, "bad.csv", text))
    assert raised.value.line == line


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("x,,insensitive,false,pronoun,,,,ja,エックス,,,", "pos must be one of"),
        ("x,,sometimes,false,,,,,ja,エックス,,,", "case must be one of"),
        ("x,,insensitive,maybe,,,,,ja,エックス,,,", "keep must be true or false"),
        ("x,,insensitive,false,,,,,,,,,", "no target rendering"),
        ("x,,insensitive,false,,,,,ja,,,,", "needs a preferred rendering"),
        ("x,,insensitive,false,,,,", "expected 14 columns"),
    ],
)
def test_project_csv_rows_are_checked(tmp_path: Path, row: str, reason: str) -> None:
    path = write(tmp_path, "p.csv", ",".join(HEADER) + "\n" + row + "\n")
    with pytest.raises(GlossaryError, match=reason) as raised:
        import_file(path)
    assert raised.value.line == 2


def test_project_csv_keeps_bars_and_backslashes_in_list_items(tmp_path: Path) -> None:
    entry = Entry("a|b", aliases=("c|d", "e\\f"), keep=True)
    path = tmp_path / "p.csv"
    path.write_bytes(export_entries([entry], "csv").data)
    assert import_file(path) == [entry]


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="cannot tell the format"):
        import_file(write(tmp_path, "g.json", "{}"))
