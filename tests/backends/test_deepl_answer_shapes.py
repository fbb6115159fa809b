"""DeepL answers of the wrong shape (from a proxy, a stub or a changed API) end the run with one
line, never a traceback. The server is a small loopback one that answers with canned JSON."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class CannedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, answers: dict[tuple[str, str], object]) -> None:
        super().__init__(("127.0.0.1", 0), CannedHandler)
        self.answers = answers

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class CannedHandler(BaseHTTPRequestHandler):
    server: CannedServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        answer = self.server.answers.get((method, self.path.split("?")[0]), {"message": "not here"})
        body = json.dumps(answer).encode()
        self.send_response(200 if (method, self.path.split("?")[0]) in self.server.answers else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")


@pytest.fixture
def canned() -> Iterator:
    servers: list[CannedServer] = []

    def start(answers: dict[tuple[str, str], object]) -> CannedServer:
        server = CannedServer(answers)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


TRANSLATED = {"translations": [{"detected_source_language": "EN", "text": "機械学習モデルを使います。"}]}


@pytest.mark.parametrize(
    "answers",
    [
        {("POST", "/v2/translate"): {"translations": ["plain string"]}},
        {("POST", "/v2/translate"): {"translations": [42]}},
        {("POST", "/v2/translate"): {"translations": "none"}},
        {("GET", "/v3/glossaries"): {"glossaries": ["not an object"]}, ("POST", "/v2/translate"): TRANSLATED},
        {("GET", "/v3/glossaries"): {"glossaries": "none"}, ("POST", "/v2/translate"): TRANSLATED},
        {
            ("GET", "/v3/glossaries"): {"glossaries": []},
            ("POST", "/v3/glossaries"): {"name": "made", "dictionaries": []},
            ("POST", "/v2/translate"): TRANSLATED,
        },
    ],
    ids=["strings", "numbers", "not-a-list", "list-of-strings", "list-not-a-list", "created-without-id"],
)
def test_a_wrongly_shaped_answer_never_ends_in_a_traceback(cli_env, canned, answers):
    """Either the run goes on (a glossary DeepL will not give is enforced around it) or it stops
    with one line; the CLI runner re-raises any traceback."""
    server = canned(answers)
    source = cli_env.tmp / "a.txt"
    source.write_text("Use a machine learning model.\n", encoding="utf-8")
    glossary = cli_env.tmp / "team.yaml"
    glossary.write_text(
        "version: 1\nlanguage: en\nentries:\n  - term: machine learning\n    targets:\n      ja:\n        preferred: 機械学習\n",
        encoding="utf-8",
    )
    uses_glossary = ("GET", "/v3/glossaries") in answers
    result = cli_env.run(
        "translate",
        str(source),
        "-b",
        "deepl",
        "--backend-url",
        server.url,
        "--no-check",
        "--no-cache",
        *(["--glossary", str(glossary)] if uses_glossary else ["--no-glossary"]),
        "-o",
        "-",
    )
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    if result.exit_code == 0:
        assert result.stdout.strip() and not errors
    else:
        assert len(errors) == 1 and "deepl" in errors[0].lower(), result.stderr
