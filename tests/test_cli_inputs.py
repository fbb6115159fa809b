"""Inputs and outputs through the CLI: bad input gets one line and exit 1, outputs are never
half-written and an existing output survives a failed run."""

from __future__ import annotations

from pathlib import Path

import pytest

from translator.runs.manifest import MANIFEST_NAME


def pseudo(cli_env, *args, **kwargs):
    return cli_env.run("translate", *args, "-b", "pseudo", "--no-cache", "--no-check", "--no-glossary", **kwargs)


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("notes.txt", "line one\nline two caf\xe9\n".encode("latin-1"), ":2: not valid UTF-8"),
        ("slides.pptx", b"PK\x03\x04", "cannot tell the format from extension '.pptx'"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(cli_env, name, data, fragment):
    source = cli_env.tmp / name
    source.write_bytes(data)
    out = cli_env.tmp / "out.txt"
    result = pseudo(cli_env, str(source), "-o", str(out))
    assert_one_line_error(result, str(source), fragment)
    assert not out.exists()
    assert not list(cli_env.tmp.glob(".out.txt.*"))


def test_existing_output_is_untouched_by_a_failed_run(cli_env):
    source = cli_env.tmp / "bad.txt"
    source.write_bytes(b"\xff\xfe broken")
    out = cli_env.tmp / "bad.ja.txt"
    out.write_text("keep me\n", encoding="utf-8")
    result = pseudo(cli_env, str(source))
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "keep me\n"


def test_missing_file(cli_env):
    assert_one_line_error(pseudo(cli_env, str(cli_env.tmp / "nope.md")), "nope.md", "no such file")


def test_stdin_needs_a_format_and_then_works(cli_env):
    assert_one_line_error(pseudo(cli_env, "-"), "--format")
    result = pseudo(cli_env, "-", "--format", "text", input="Hello.\n")
    assert result.exit_code == 0
    assert result.stdout == "[ja] Hello.\n"


def test_default_output_goes_beside_the_source(cli_env):
    source = cli_env.tmp / "lesson.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    assert pseudo(cli_env, str(source)).exit_code == 0
    assert (cli_env.tmp / "lesson.ja.txt").read_text(encoding="utf-8") == "[ja] Hello.\n"


def test_a_folder_gives_a_mirrored_folder_and_one_bad_file_does_not_stop_the_rest(cli_env):
    course = cli_env.tmp / "course"
    (course / "week1").mkdir(parents=True)
    (course / "week1" / "intro.txt").write_text("Welcome.\n", encoding="utf-8")
    (course / "summary.txt").write_text("Summary.\n", encoding="utf-8")
    (course / "broken.txt").write_bytes(b"\x00\x01binary")
    (course / "image.png").write_bytes(b"\x89PNG")  # unknown kinds in a folder are skipped
    result = pseudo(cli_env, str(course), "-o", str(cli_env.tmp / "course-ja"))
    assert result.exit_code == 1
    assert "broken.txt" in result.stderr
    assert (cli_env.tmp / "course-ja" / "week1" / "intro.txt").read_text(encoding="utf-8") == "[ja] Welcome.\n"
    assert (cli_env.tmp / "course-ja" / "summary.txt").exists()
    assert not (cli_env.tmp / "course-ja" / "broken.txt").exists()
    assert not (cli_env.tmp / "course-ja" / "image.png").exists()


def test_outputs_get_ordinary_permissions(cli_env):
    import os

    source = cli_env.tmp / "lesson.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    old = os.umask(0o022)
    try:
        assert pseudo(cli_env, str(source)).exit_code == 0
    finally:
        os.umask(old)
    assert (cli_env.tmp / "lesson.ja.txt").stat().st_mode & 0o777 == 0o644


def test_crlf_and_bom_are_kept(cli_env):
    source = cli_env.tmp / "win.txt"
    source.write_bytes("\ufeffHello.\r\n\r\nBye.\r\n".encode("utf-8"))
    assert pseudo(cli_env, str(source), "-o", str(cli_env.tmp / "win.ja.txt")).exit_code == 0
    assert (cli_env.tmp / "win.ja.txt").read_bytes() == "\ufeff[ja] Hello.\r\n\r\n[ja] Bye.\r\n".encode("utf-8")


def test_usage_errors_exit_2(cli_env):
    result = cli_env.run("translate", "x.txt", "--concurrency", "0")
    assert result.exit_code == 2


def test_version_and_help_on_every_command(cli_env):
    from translator.cli.main import cli

    assert cli_env.run("--version").output.startswith("translator, version ")
    for name in cli.commands:
        assert cli_env.run(name, "--help").exit_code == 0


def test_backends_lists_every_registered_backend_with_its_needs(cli_env):
    result = cli_env.run("backends", "--offline", env={"DEEPL_AUTH_KEY": ""})
    assert result.exit_code == 0
    for name in ("deepl", "libretranslate", "pseudo"):
        assert name in result.stdout
    assert "DEEPL_AUTH_KEY" in result.stdout


def test_keys_are_stored_owner_only_and_never_listed(cli_env):
    result = cli_env.run("keys", "set", "deepl", "--value", "secret-123")
    assert result.exit_code == 0
    path = Path(cli_env.env["TRANSLATOR_KEYS_FILE"])
    assert path.stat().st_mode & 0o777 == 0o600
    listing = cli_env.run("keys", "list")
    assert listing.stdout.strip() == "deepl" and "secret-123" not in listing.output


def write(path, text="Hello.\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_o_naming_a_folder_puts_the_default_name_inside_it(cli_env):
    source = write(cli_env.tmp / "lesson.txt")
    (cli_env.tmp / "existing").mkdir()
    assert pseudo(cli_env, str(source), "-o", str(cli_env.tmp / "existing")).exit_code == 0
    assert (cli_env.tmp / "existing" / "lesson.ja.txt").read_text(encoding="utf-8") == "[ja] Hello.\n"
    assert pseudo(cli_env, str(source), "-o", str(cli_env.tmp / "new") + "/").exit_code == 0
    assert (cli_env.tmp / "new" / "lesson.ja.txt").is_file()


def test_several_sources_go_to_the_o_folder_and_one_file_named_twice_is_done_once(cli_env):
    a, b = write(cli_env.tmp / "a.txt"), write(cli_env.tmp / "b.txt")
    course = cli_env.tmp / "course"
    write(course / "c.txt")
    result = pseudo(cli_env, str(a), str(b), str(a), str(course), "-o", str(cli_env.tmp / "out"))
    assert result.exit_code == 0, result.output
    written = sorted(
        p.relative_to(cli_env.tmp / "out").as_posix()
        for p in (cli_env.tmp / "out").rglob("*")
        if p.is_file() and p.name != MANIFEST_NAME  # the record of what was written
    )
    assert written == ["a.ja.txt", "b.ja.txt", "course/c.txt"]
    assert result.stderr.count("a.ja.txt") == 1
    refused = pseudo(cli_env, str(a), str(b), "-o", "-")
    assert refused.exit_code == 1 and "stdout" in refused.stderr


def test_the_current_folder_translates_and_its_output_folder_is_never_read_back(cli_env, monkeypatch):
    course = cli_env.tmp / "course"
    write(course / "a.txt")
    write(course / "sub" / "b.txt")
    monkeypatch.chdir(course)
    assert pseudo(cli_env, ".").exit_code == 0
    assert (cli_env.tmp / "course.ja" / "sub" / "b.txt").is_file()
    assert pseudo(cli_env, ".", "-o", "ja").exit_code == 0
    assert pseudo(cli_env, ".", "-o", str(course / "ja")).exit_code == 0  # same folder, spelled absolute
    assert not (course / "ja" / "ja").exists()


def test_hidden_and_tool_folders_and_earlier_outputs_are_not_course_material(cli_env):
    course = cli_env.tmp / "course"
    for name in ("lesson.txt", "lesson.ja.txt", ".git/notes.txt", ".venv/lib/readme.txt", "node_modules/x/README.txt"):
        write(course / name)
    assert pseudo(cli_env, str(course), "-o", str(cli_env.tmp / "out")).exit_code == 0
    assert [p.name for p in (cli_env.tmp / "out").rglob("*") if p.is_file() and p.name != MANIFEST_NAME] == [
        "lesson.txt"
    ]


def test_an_output_that_would_overwrite_the_source_is_refused(cli_env):
    source = write(cli_env.tmp / "lesson.txt")
    assert_one_line_error(pseudo(cli_env, str(source), "-o", str(source)), "overwrite the source")
    assert source.read_text(encoding="utf-8") == "Hello.\n"
