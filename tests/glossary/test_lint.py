"""``translator glossary lint``: every planted defect reported as file:line, exit 1 on errors."""

from __future__ import annotations

from textwrap import dedent

import pytest
from click.testing import CliRunner

from translator.cli.main import cli
from translator.glossary.loader import shipped_paths

HEADER = "version: 1\nlanguage: en\nentries:\n"


def lint(*args: str):
    return CliRunner().invoke(cli, ["glossary", "lint", *args])


def entry(term: str, body: str) -> str:
    """An entry as YAML lines under ``entries:`` (the term line, then one line per body line)."""
    return f"  - term: {term}\n" + "".join(f"    {line}\n" for line in dedent(body).splitlines())


def test_the_shipped_glossaries_pass():
    if not shipped_paths():
        pytest.skip("the shipped glossaries are not in this checkout")
    result = lint()
    assert result.exit_code == 0, result.output


def test_a_clean_file_passes(team_glossary):
    result = lint(str(team_glossary), "--strict")
    assert result.exit_code == 0, result.output
    assert ": warning:" not in result.output and ": error:" not in result.output


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        pytest.param(
            entry("inference", 'source: "a"\ntargets: {ja: {preferred: 推論}}')
            + entry("Inference", 'source: "b"\ntargets: {ja: {preferred: 推論}}'),
            7,
            "duplicate term 'inference' (also at",
            id="duplicate",
        ),
        pytest.param(
            entry("inference", 'source: "a"\ntargets: {ja: {preferred: 推論}}')
            + entry("model inference", 'aliases: [inference]\nsource: "b"\ntargets: {ja: {preferred: 推測}}'),
            7,
            "conflicting renderings: alias 'inference'",
            id="conflict",
        ),
        pytest.param(
            entry("accuracy", 'source: "a"\ntargets: {ja: {preferred: 正解率, allowed: [精度], forbidden: [精度]}}'),
            4,
            "'精度' is both forbidden and required",
            id="forbidden-equals-allowed",
        ),
        pytest.param(
            entry("responsible AI", 'source: "a"\ntargets: {ja: {preferred: 責任ある AI, forbidden: [責任あるAI]}}'),
            4,
            "'責任あるAI' is both forbidden and required",
            id="forbidden-equals-preferred-up-to-spacing",
        ),
        pytest.param(
            entry("x", 'keep: true\nsource: "a"\ncolour: red'), 7, "unknown field 'colour'", id="unknown-field"
        ),
        pytest.param("  - term: [x\n", 4, "YAML syntax", id="yaml-syntax"),
        pytest.param("  - term:\n    keep: true\n", 4, "term is empty", id="term-left-blank"),
    ],
)
def test_planted_errors_are_reported_with_file_and_line(write_yaml, body, line, words):
    path = write_yaml("team.yaml", HEADER + body)
    result = lint(str(path))
    assert result.exit_code == 1, result.output
    assert any(out.startswith(f"{path}:{line}: error: ") and words in out for out in result.output.splitlines()), (
        result.output
    )


def test_a_translated_term_that_drops_a_kept_name_inside_it_is_an_error(write_yaml):
    path = write_yaml(
        "team.yaml",
        HEADER
        + entry("Amazon S3", 'aliases: [S3]\ncase: exact\nkeep: true\nsource: "a"')
        + entry("S3 bucket", 'source: "a"\ntargets:\n  ja:\n    preferred: バケット')
        + entry("S3 object", 'source: "a"\ntargets:\n  ja:\n    preferred: S3 オブジェクト'),
    )
    result = lint(str(path))
    assert result.exit_code == 1, result.output
    expected = (
        f"{path}:9: error: 'S3 bucket' contains 'S3', kept in English at {path}:4, but its ja rendering 'バケット'"
    )
    assert any(line.startswith(expected) for line in result.output.splitlines()), result.output
    assert "S3 object" not in result.output


def test_a_translated_term_inside_a_kept_name_is_settled_by_longest_match(write_yaml):
    path = write_yaml(
        "team.yaml",
        HEADER
        + entry("Amazon Bedrock Knowledge Bases", 'case: exact\nkeep: true\nsource: "a"')
        + entry("knowledge base", 'source: "a"\ntargets:\n  ja:\n    preferred: ナレッジベース'),
    )
    assert lint(str(path), "--strict").exit_code == 0


def test_an_override_across_files_is_a_warning(team_glossary, write_yaml):
    later = write_yaml("later.yaml", HEADER + entry("inference", 'source: "b"\ntargets: {ja: {preferred: 推論処理}}'))
    result = lint(str(team_glossary), str(later))
    assert result.exit_code == 0, result.output
    assert f"{later}:4: warning: 'inference' overrides the entry at {team_glossary}:" in result.output


def test_missing_source_and_formatting_are_warnings(write_yaml):
    path = write_yaml(
        "team.yaml", HEADER + "  - term: zeta\n    keep: true\n  - keep: true\n    term: alpha\n    source: 'a'\n"
    )
    result = lint(str(path))
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"{path}:4: warning: 'zeta' has no 'source'" in out
    assert f"{path}:6: warning: entries are not sorted: 'alpha' belongs before 'zeta'" in out
    assert f"{path}:6: warning: 'alpha': keys out of order" in out
    assert lint(str(path), "--strict").exit_code == 1


def test_fmt_fixes_what_lint_warns_about(write_yaml):
    path = write_yaml(
        "team.yaml",
        HEADER + "  - keep: true\n    term: beta\n    source: 'a'\n  - term: alpha\n    keep: true\n    source: a\n",
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["glossary", "fmt", "--check", str(path)]).exit_code == 1
    assert runner.invoke(cli, ["glossary", "fmt", str(path)]).exit_code == 0
    assert runner.invoke(cli, ["glossary", "fmt", "--check", str(path)]).exit_code == 0
    assert lint(str(path), "--strict").exit_code == 0
