"""File names are data: one holding ESC sequences is printed with its control characters shown
as escapes, never sent raw to the terminal."""

from __future__ import annotations

from tests.test_cli_inputs import pseudo
from translator.notices import safe_name

HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[31mlesson"


def assert_inert(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b]0;owned\\x07\\x1b[2J\\x1b[31mlesson" in text


def test_the_written_file_is_named_safely(cli_env):
    source = cli_env.tmp / f"{HOSTILE}.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    result = pseudo(cli_env, str(source), "-o", str(cli_env.tmp / f"{HOSTILE}.ja.txt"))
    assert result.exit_code == 0, result.output
    assert_inert(result.stderr)
    assert (cli_env.tmp / f"{HOSTILE}.ja.txt").read_text(
        encoding="utf-8"
    ) == "[ja] Hello.\n"  # the file itself is as named


def test_an_error_names_the_file_safely(cli_env):
    source = cli_env.tmp / f"{HOSTILE}.txt"
    source.write_bytes(b"\x00\x01\x02binary")
    result = pseudo(cli_env, str(source), "-o", "-")
    assert result.exit_code == 1
    assert_inert(result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1


def test_glossary_lint_names_the_file_safely(cli_env):
    glossary = cli_env.tmp / f"{HOSTILE}.yaml"
    glossary.write_text("version: 2\nlanguage: en\nentries: []\n", encoding="utf-8")
    result = cli_env.run("glossary", "lint", str(glossary))
    assert result.exit_code == 1
    assert_inert(result.stdout)


def test_safe_name_keeps_ordinary_names_and_shows_every_control():
    assert safe_name("course/week 1/講義.md") == "course/week 1/講義.md"
    assert safe_name("a\tb\nc\x7fd\x9be\u202ef") == "a\\x09b\\x0ac\\x7fd\\x9be\\u202ef"
    assert safe_name("bad-\udcff-byte") == "bad-\\udcff-byte"  # an undecodable byte in a file name
