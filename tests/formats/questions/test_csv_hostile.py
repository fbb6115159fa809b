"""Question CSVs: a quote left open is refused at its line, and no written cell can run as a
spreadsheet formula (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io

import pytest

from tests.test_cli_inputs import assert_one_line_error, pseudo

HEADER = "id,question,A,B,answer,explanation\n"


def test_an_unclosed_quote_is_reported_where_it_opens(cli_env):
    source = cli_env.tmp / "bank.csv"
    source.write_text(
        HEADER
        + "1,What is Amazon S3?,Storage,Compute,A,S3 stores objects.\n"
        + '2,"What is Amazon EC2?,Storage,Compute,B,EC2 runs servers.\n'
        + "3,What is AWS Lambda?,Functions,Storage,A,Lambda runs code.\n",
        encoding="utf-8",
    )
    out = cli_env.tmp / "bank.ja.csv"
    result = pseudo(cli_env, str(source), "-o", str(out))
    assert_one_line_error(result, f"{source}:3: a quote opened in this row is not closed: it runs to line 4")
    assert not out.exists()


def test_a_quoted_cell_over_several_lines_is_still_fine(cli_env):
    source = cli_env.tmp / "bank.csv"
    source.write_text(HEADER + '1,What is Amazon S3?,Storage,Compute,A,"Line one.\nLine two."\n', encoding="utf-8")
    result = pseudo(cli_env, str(source), "-o", "-")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[1][5].startswith("[ja] Line one.") and "Line two." in rows[1][5]


FORMULAS = ['=HYPERLINK("http://example.com/x","Click")', "=1+1", "-2+3", "+SUM(A1:A2)", "@cmd"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_formula_cells_are_written_as_text(cli_env, formula):
    source = cli_env.tmp / "bank.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER.strip().split(","))
        writer.writerow(["1", formula, "Storage", "Compute", "A", "Plain."])  # translated row
        writer.writerow(["2", "", formula, "", "", ""])  # a row with nothing to translate
    result = pseudo(cli_env, str(source), "-o", "-")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), row
    assert rows[2][2] == "'" + formula


def test_glossary_csv_export_neutralises_formulas_and_reads_back(cli_env):
    glossary = cli_env.tmp / "team.yaml"
    glossary.write_text(
        "version: 1\nlanguage: en\nentries:\n"
        "  - term: '@mention'\n    note: '=HYPERLINK(\"http://example.com\")'\n"
        "    targets:\n      ja:\n        preferred: '-メンション'\n",
        encoding="utf-8",
    )
    exported = cli_env.tmp / "team.csv"
    result = cli_env.run("glossary", "export", str(glossary), "--to", "csv", "-o", str(exported))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8"))))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), row
    back = cli_env.tmp / "back.yaml"
    assert cli_env.run("glossary", "import", str(exported), "-o", str(back)).exit_code == 0
    text = back.read_text(encoding="utf-8")
    assert "'@mention'" in text or '"@mention"' in text
    assert "-メンション" in text and "'-メンション" not in text
