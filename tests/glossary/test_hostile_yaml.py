"""YAML tags that cannot be constructed are problems at their line, in lint and in translate."""

from __future__ import annotations

import pytest

GLOSSARY = """\
version: 1
language: en
entries:
  - term: model
    targets:
      ja:
        preferred: {value}
"""


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('!!int "abc"', "cannot read the value tagged !!int: invalid literal for int()"),
        ('!!python/object/apply:os.system ["echo unsafe"]', "preferred must be text"),
        ("!!python/object/apply:os.system", "cannot read the value tagged !!python/object/apply:os.system"),
        ("!!float 1e", "cannot read the value tagged !!float"),
    ],
)
def test_unconstructable_values_are_reported_at_their_line(cli_env, value, message):
    glossary = cli_env.tmp / "team.yaml"
    glossary.write_text(GLOSSARY.format(value=value), encoding="utf-8")
    lint = cli_env.run("glossary", "lint", str(glossary))
    assert lint.exit_code == 1
    assert f"{glossary}:7: error: {message}" in lint.stdout

    source = cli_env.tmp / "lesson.txt"
    source.write_text("A model.\n", encoding="utf-8")
    result = cli_env.run(
        "translate", str(source), "-b", "pseudo", "--no-check", "--no-cache", "--glossary", str(glossary), "-o", "-"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {glossary}:7: ")
    assert len(result.stderr.splitlines()) == 1


def test_an_unsafe_tag_on_the_version_is_one_line(cli_env):
    glossary = cli_env.tmp / "team.yaml"
    glossary.write_text('version: !!int "abc"\nlanguage: en\nentries: []\n', encoding="utf-8")
    lint = cli_env.run("glossary", "lint", str(glossary))
    assert lint.exit_code == 1
    assert f"{glossary}:1: error: cannot read the value tagged !!int" in lint.stdout


def test_a_glossary_too_large_to_match_quickly_is_refused_before_reading(cli_env):
    glossary = cli_env.tmp / "huge.yaml"
    padding = "# " + "x" * 98 + "\n"
    glossary.write_text("version: 1\nlanguage: en\nentries: []\n" + padding * 21_000, encoding="utf-8")
    source = cli_env.tmp / "lesson.txt"
    source.write_text("A model.\n", encoding="utf-8")
    result = cli_env.run(
        "translate", str(source), "-b", "pseudo", "--no-check", "--no-cache", "--glossary", str(glossary), "-o", "-"
    )
    assert result.exit_code == 1
    assert (
        result.stderr == f"error: {glossary}: the glossary is 2.1 MB; files over 2 MB are refused "
        "(keep the terms your material uses, or split it by subject)\n"
    )
    lint = cli_env.run("glossary", "lint", str(glossary))
    assert lint.exit_code == 1 and f"{glossary}: error: the glossary is 2.1 MB" in lint.stdout
