"""Careless and hostile files through the CLI: each is translated correctly or refused with one
line that names the file and the line, never a traceback."""

from __future__ import annotations

import pytest

from tests.test_cli_inputs import assert_one_line_error, pseudo


def test_utf16_with_a_byte_order_mark_is_read_and_written_as_utf8(cli_env):
    source = cli_env.tmp / "notes.txt"
    source.write_bytes("Hello.\r\n\r\nCafé time.\r\n".encode("utf-16"))  # Python writes the BOM
    out = cli_env.tmp / "notes.ja.txt"
    result = pseudo(cli_env, str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == "[ja] Hello.\r\n\r\n[ja] Café time.\r\n".encode()


def test_utf32_with_a_byte_order_mark_is_read(cli_env):
    source = cli_env.tmp / "notes.txt"
    source.write_bytes("Hello.\n".encode("utf-32"))
    result = pseudo(cli_env, str(source), "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout == "[ja] Hello.\n"


@pytest.mark.parametrize(("codec", "order"), [("utf-16-le", "little-endian"), ("utf-16-be", "big-endian")])
def test_utf16_without_a_byte_order_mark_is_named(cli_env, codec, order):
    source = cli_env.tmp / "notes.txt"
    source.write_bytes("Hello there.\nSecond line.\n".encode(codec))
    result = pseudo(cli_env, str(source), "-o", str(cli_env.tmp / "out.txt"))
    assert_one_line_error(result, f"{source}:1: looks like UTF-16 ({order}) text without a byte-order mark")
    assert not (cli_env.tmp / "out.txt").exists()


def test_a_nul_byte_after_the_first_block_is_refused_at_its_line(cli_env):
    source = cli_env.tmp / "notes.txt"
    source.write_bytes(b"A sentence.\n" * 1000 + b"Hidden\x00text.\n")
    result = pseudo(cli_env, str(source), "-o", str(cli_env.tmp / "out.txt"))
    assert_one_line_error(result, f"{source}:1001: a NUL byte at offset 12006")
    assert not (cli_env.tmp / "out.txt").exists()


def test_html_nested_past_the_limit_is_refused_at_its_line(cli_env):
    source = cli_env.tmp / "page.html"
    source.write_text("<html><body>\n<p>Intro.</p>\n" + "<div>" * 1000 + "x" + "</div>" * 1000 + "</body></html>\n")
    assert_one_line_error(
        pseudo(cli_env, str(source), "-o", "-"), f"{source}:3: elements nested more than 200 deep (<div>)"
    )


def test_html_nested_within_the_limit_is_translated(cli_env):
    source = cli_env.tmp / "page.html"
    source.write_text(
        "<html><body>"
        + "<div>" * 180
        + "<p>"
        + "<b>" * 16
        + "Deep."
        + "</b>" * 16
        + "</p>"
        + "</div>" * 180
        + "</body></html>"
    )
    result = pseudo(cli_env, str(source), "-o", "-")
    assert result.exit_code == 0, result.output
    assert "[ja] Deep." in result.stdout


def test_html_optional_end_tags_do_not_count_as_nesting(cli_env):
    source = cli_env.tmp / "list.html"
    source.write_text("<ul>" + "<li>Item." * 500 + "</ul><p>" + "<p>Para." * 500)
    result = pseudo(cli_env, str(source), "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("[ja] Item.") == 500


@pytest.mark.parametrize("name", ["questions.json", "questions.jsonl"])
def test_json_nested_past_the_limit_is_refused_at_its_line(cli_env, name):
    source = cli_env.tmp / name
    source.write_text('{"id": 1, "question": "Q?"}\n' + "[" * 100_000 + "]" * 100_000 + "\n")
    assert_one_line_error(pseudo(cli_env, str(source), "-o", "-"), f"{source}:2: JSON nested more than 100 deep")


def test_a_file_of_too_many_lines_is_refused_before_parsing(cli_env):
    source = cli_env.tmp / "huge.md"
    source.write_text("Word.\n\n" * 500_000, encoding="utf-8")
    assert_one_line_error(
        pseudo(cli_env, str(source), "-o", "-"),
        f"{source}: 1,000,001 lines is more than one document may have (300,000)",
    )


def test_a_file_of_too_many_segments_is_refused(cli_env):
    source = cli_env.tmp / "huge.txt"
    source.write_text("Word.\n\n" * 100_001, encoding="utf-8")
    assert_one_line_error(
        pseudo(cli_env, str(source), "-o", "-"),
        f"{source}: 100,001 segments is more than one document may have (100,000)",
    )


def test_markdown_nested_past_the_parser_limit_is_named_in_a_warning(cli_env):
    source = cli_env.tmp / "deep.md"
    source.write_text(
        "Intro.\n\n" + "".join("  " * level + f"- item {level}\n" for level in range(60)), encoding="utf-8"
    )
    result = pseudo(cli_env, str(source), "-o", str(cli_env.tmp / "deep.ja.md"))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: {source}:52: blocks nested more than 100 levels deep (lists and quotes count); "
        "the text inside them is left untranslated"
    ]
    written = (cli_env.tmp / "deep.ja.md").read_text(encoding="utf-8")
    assert "[ja] item 48" in written.replace("\\", "") and "- item 49\n" in written and "- item 59" in written


def test_a_thousand_deep_quote_is_named_in_a_warning(cli_env):
    source = cli_env.tmp / "quote.md"
    source.write_text("Intro.\n\n" + "> " * 1000 + "Deep.\n", encoding="utf-8")
    result = pseudo(cli_env, str(source), "-o", "-")
    assert result.exit_code == 0, result.output
    assert f"warning: {source}:3: blocks nested more than 100 levels deep" in result.stderr


def test_ordinary_markdown_gives_no_warning(cli_env):
    source = cli_env.tmp / "lesson.md"
    source.write_text("# Title\n\n> Quote\n>\n> - item\n>   - nested\n", encoding="utf-8")
    result = pseudo(cli_env, str(source), "-o", "-")
    assert result.exit_code == 0 and "warning" not in result.stderr
