"""Careless and hostile paths: links out of a course folder, outputs that are inputs, names that
collide, keys in URLs and in a server's echo (issue list: leaks and data loss)."""

from __future__ import annotations

import os

from tests.conftest import DEEPL_KEY
from translator.testing import DeepLEmulator


def test_a_link_out_of_the_course_folder_is_skipped_with_a_warning(cli_env) -> None:
    secret = cli_env.tmp / ".aws" / "credentials"
    secret.parent.mkdir()
    secret.write_text("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG\n", encoding="utf-8")
    course = cli_env.tmp / "repo"
    course.mkdir()
    (course / "lesson.txt").write_text("Hello.\n", encoding="utf-8")
    (course / "notes.txt").symlink_to(secret)
    (course / "inside.txt").symlink_to(course / "lesson.txt")  # a link inside the folder is fine
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        result = cli_env.run(
            "translate", str(course), "-b", "deepl", "--backend-url", emulator.url, "--no-check", "--no-glossary"
        )
        sent = [t for r in emulator.requests if r.path == "/v2/translate" for t in r.json["text"]]
    assert result.exit_code == 0, result.output
    assert f"warning: skipped {course / 'notes.txt'}: a link to a file outside {course}" in result.output
    assert not any("wJalr" in text for text in sent)
    assert not (cli_env.tmp / "repo.ja" / "notes.txt").exists()
    assert (cli_env.tmp / "repo.ja" / "inside.txt").exists()


def test_follow_links_opts_in(cli_env) -> None:
    outside = cli_env.tmp / "shared-notes.txt"
    outside.write_text("Shared notes.\n", encoding="utf-8")
    course = cli_env.tmp / "repo"
    course.mkdir()
    (course / "notes.txt").symlink_to(outside)
    result = cli_env.run("translate", str(course), "-b", "pseudo", "--no-check", "--follow-links")
    assert result.exit_code == 0, result.output
    assert (cli_env.tmp / "repo.ja" / "notes.txt").exists()


def test_a_report_over_the_source_is_refused_before_any_work(cli_env) -> None:
    page = cli_env.tmp / "page.html"
    page.write_text("<html><body><p>Hello.</p></body></html>\n", encoding="utf-8")
    before = page.read_bytes()
    result = cli_env.run("translate", str(page), "-b", "pseudo", "--report", str(page))
    assert result.exit_code == 1
    assert "would overwrite the input" in result.output
    assert page.read_bytes() == before
    assert not (cli_env.tmp / "page.ja.html").exists()


def test_an_anki_deck_over_the_source_is_refused(cli_env) -> None:
    questions = cli_env.tmp / "q.json"
    questions.write_text(
        '[{"id": "1", "question": "Which?", "options": {"A": "a", "B": "b"}, "answer": "A"}]\n', encoding="utf-8"
    )
    before = questions.read_bytes()
    result = cli_env.run("translate", str(questions), "-b", "pseudo", "--anki", str(questions))
    assert result.exit_code == 1 and "would overwrite the input" in result.output
    assert questions.read_bytes() == before


def test_a_hard_link_to_the_source_is_the_source(cli_env) -> None:
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    os.link(source, cli_env.tmp / "b.json")
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--report", str(cli_env.tmp / "b.json"))
    assert result.exit_code == 1 and "would overwrite the input" in result.output


def test_glossary_import_and_export_never_write_over_their_input(cli_env) -> None:
    tbx = cli_env.tmp / "x.tbx"
    tbx.write_text("<tbx/>", encoding="utf-8")
    result = cli_env.run("glossary", "import", str(tbx), "-o", str(tbx))
    assert result.exit_code == 1 and "would overwrite the input" in result.output
    assert tbx.read_text(encoding="utf-8") == "<tbx/>"
    yaml_file = cli_env.tmp / "t.yaml"
    yaml_file.write_text("version: 1\nlanguage: en\nentries: []\n", encoding="utf-8")
    result = cli_env.run("glossary", "export", str(yaml_file), "--to", "csv", "-o", str(yaml_file))
    assert result.exit_code == 1 and "would overwrite the input" in result.output


def test_two_sources_with_the_same_name_into_one_folder_are_refused_naming_both(cli_env) -> None:
    for week in ("week1", "week2"):
        (cli_env.tmp / week).mkdir()
        (cli_env.tmp / week / "intro.md").write_text(f"{week} intro.\n", encoding="utf-8")
    first, second = cli_env.tmp / "week1" / "intro.md", cli_env.tmp / "week2" / "intro.md"
    result = cli_env.run("translate", str(first), str(second), "-b", "pseudo", "-o", str(cli_env.tmp / "out"))
    assert result.exit_code == 1
    assert f"{first} and {second} would both be written to" in result.output
    assert not (cli_env.tmp / "out" / "intro.ja.md").exists()


def test_user_info_in_a_server_url_never_reaches_a_message(cli_env) -> None:
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    result = cli_env.run(
        "translate",
        str(source),
        "-b",
        "libretranslate",
        "--backend-url",
        "http://admin:Sup3rSecretKey@127.0.0.1:9/",
        "--no-check",
    )
    assert result.exit_code != 0
    assert "Sup3rSecretKey" not in result.output and "admin:" not in result.output


def test_a_server_echoing_the_key_gets_it_redacted(cli_env) -> None:
    """A (hostile or careless) server quotes the API key it was sent back in its error message."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Echo(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            answer = json.dumps({"error": f"unknown token {body.get('api_key')}"}).encode()
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    secret = "libre-key-that-must-not-show"
    try:
        result = cli_env.run(
            "translate",
            str(source),
            "-b",
            "libretranslate",
            "--backend-url",
            f"http://127.0.0.1:{server.server_port}",
            "--no-check",
            "--log-format",
            "json",
            env={"LIBRETRANSLATE_API_KEY": secret},
        )
    finally:
        server.shutdown()
    assert result.exit_code == 1
    assert "unknown token ***" in result.output
    assert secret not in result.output


def test_terminal_control_characters_in_paths_are_not_printed_raw(cli_env) -> None:
    odd = cli_env.tmp / "evil\x1b[2Jname.txt"
    odd.write_text("Hello.\n", encoding="utf-8")
    result = cli_env.run("translate", str(odd), "-b", "pseudo", "--no-check", "-o", str(cli_env.tmp / "o.txt"))
    assert result.exit_code == 0
    assert "\x1b[2J" not in result.output


def test_anki_without_genanki_is_one_line_before_any_work(cli_env, monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "genanki", None)  # as if the optional extra were not installed
    questions = cli_env.tmp / "q.json"
    questions.write_text(
        '[{"id": "1", "question": "Which?", "options": {"A": "a", "B": "b"}, "answer": "A"}]\n', encoding="utf-8"
    )
    result = cli_env.run("translate", str(questions), "-b", "pseudo", "--anki", str(cli_env.tmp / "deck.apkg"))
    assert result.exit_code == 1
    assert result.output.strip() == "error: --anki needs the genanki package: pip install 'translator[anki]'"
    assert not (cli_env.tmp / "q.ja.json").exists()  # nothing translated, then thrown away
