"""Fetching pages: main content, charsets, and one-line errors for everything a URL can do wrong.

Every page comes from a real HTTP server the test starts on 127.0.0.1.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import lxml.html
import pytest
from markdown_it import MarkdownIt

from translator.errors import FetchError
from translator.fetch import fetch_source
from translator.formats.html import HtmlFormat

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
AWS_PAGE = (FIXTURES / "aws-docs-page.html").read_bytes()
JAPANESE = "機械学習モデルの学習（～を参照）"
STREAM_TOTAL = 64 * 1024 * 1024


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def html_page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>T</title></head><body><main>{body}</main></body></html>"


ROUTES: dict[str, Route] = {
    "/docs/page.html": Route(headers={"Content-Type": "text/html; charset=utf-8"}, body=AWS_PAGE),
    "/sjis-header": Route(
        headers={"Content-Type": "text/html; charset=Shift_JIS"},
        body=html_page(f"<p>{JAPANESE}</p>").encode("cp932"),
    ),
    "/sjis-meta": Route(
        headers={"Content-Type": "text/html"},
        body=html_page(f"<p>{JAPANESE}</p>", '<meta charset="Shift_JIS">').encode("cp932"),
    ),
    "/sjis-http-equiv": Route(
        headers={"Content-Type": "text/html"},
        body=html_page(
            f"<p>{JAPANESE}</p>", '<meta http-equiv="Content-Type" content="text/html; charset=shift_jis">'
        ).encode("cp932"),
    ),
    "/undeclared": Route(headers={"Content-Type": "text/html"}, body=html_page("<p>Café ünïcode</p>").encode("utf-8")),
    "/notes.md": Route(
        headers={"Content-Type": "text/markdown; charset=utf-8"}, body=b"# Notes\n\nKeep *this* as is.\n"
    ),
    "/notes.txt": Route(headers={"Content-Type": "text/plain"}, body=b"Plain notes.\n"),
    "/manual.pdf": Route(headers={"Content-Type": "application/pdf"}, body=b"%PDF-1.7\n"),
    "/missing": Route(status=404, headers={"Content-Type": "text/html"}, body=b"<h1>Not here</h1>"),
    "/loop": Route(status=302, headers={"Location": "/loop"}),
    "/moved": Route(status=301, headers={"Location": "/docs/page.html"}),
    "/to-ftp": Route(status=302, headers={"Location": "ftp://127.0.0.1/file.html"}),
    "/declared-too-big": Route(headers={"Content-Type": "text/html", "Content-Length": str(STREAM_TOTAL)}),
    "/no-location": Route(status=302),
    "/bad-location": Route(status=302, headers={"Location": "http://[::1"}),
    "/deep": Route(
        headers={"Content-Type": "text/html"}, body=html_page("<div>" * 100_000 + "x" + "</div>" * 100_000).encode()
    ),
    "/deep-but-fine": Route(
        headers={"Content-Type": "text/html"},
        body=html_page(
            "<div>" * 150 + "<p>" + "<b>" * 40 + "Deep text." + "</b>" * 40 + "</p>" + "</div>" * 150
        ).encode(),
    ),
    "/claims-utf8": Route(
        headers={"Content-Type": "text/html; charset=utf-8"}, body=html_page("<p>Café crème</p>").encode("latin-1")
    ),
}
DRIP_INTERVAL = 0.05


class PageServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.release = threading.Event()  # lets the slow page finish when the test ends
        self.streamed = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: PageServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/slow":
            self.server.release.wait(30)
            return self._send(Route(headers={"Content-Type": "text/html"}, body=b"<p>late</p>"))
        if self.path == "/huge":
            return self._stream_forever()
        if self.path in ("/drip-body", "/drip-headers"):
            return self._drip(headers=self.path == "/drip-headers")
        self._send(ROUTES.get(self.path, Route(status=404)))

    def _send(self, route: Route) -> None:
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if "Content-Length" not in route.headers:
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        if "Content-Length" not in route.headers or route.body:
            self.wfile.write(route.body)

    def _drip(self, *, headers: bool) -> None:
        """One byte at a time, each well within any read timeout, until the client gives up."""
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
        body = b"<p>" + b"x" * 99_993 + b"</p>"
        data = head + body if headers else body
        if not headers:
            self.wfile.write(head)
        try:
            for byte in data[:400]:  # 20 s at most, then the handler ends by itself
                if self.server.release.wait(DRIP_INTERVAL):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        except OSError:
            pass

    def _stream_forever(self) -> None:
        """A page with no Content-Length that is far larger than any limit."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        chunk = b"<p>" + b"x" * 65530 + b"</p>"
        try:
            while self.server.streamed < STREAM_TOTAL:
                self.wfile.write(chunk)
                self.server.streamed += len(chunk)
        except OSError:
            pass  # the client hung up once it had read past its limit


@pytest.fixture
def pages() -> Iterator[PageServer]:
    server = PageServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/page.html"


def markdown_of(url: str, **kwargs) -> str:
    return fetch_source(url, "markdown", **kwargs).decode("utf-8")


def test_markdown_keeps_the_content_and_drops_the_site_around_it(pages):
    md = markdown_of(f"{pages.url}/docs/page.html")
    assert md.startswith("# Save progress with checkpoints during Spot training\n")
    for dropped in (
        "essential cookies",
        "Accept",
        "Documentation",
        "What is SageMaker?",
        "Docs",
        "On this page",
        "Privacy",
        "Document Conventions",
        "Javascript is disabled",
        "awsdocs",
        "schema.org",
        "Copy",
    ):
        assert dropped not in md, dropped
    assert "[Spot Instances](https://aws.amazon.com/ec2/spot/)" in md
    assert f"({pages.url}/docs/model-checkpoints-resume.html)" in md  # relative links made absolute
    assert "[Turn on checkpoints](#checkpoints-enable)" in md
    assert (
        f"![Checkpoints saved to Amazon S3 during a Spot training job]({pages.url}/docs/images/spot-checkpoints.png)"
        in md
    )
    assert "`checkpoint_s3_uri`" in md
    assert "```python\nestimator = Estimator(\n" in md.replace("\n   ", "\n")


def test_markdown_has_the_page_structure(pages):
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown_of(f"{pages.url}/docs/page.html"))
    kinds = [t.type for t in tokens]
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1", "h6", "h2", "h6"]
    assert kinds.count("table_open") == 1 and kinds.count("th_open") == 2 and kinds.count("td_open") == 4
    assert [t.info for t in tokens if t.type == "fence"] == ["python"]
    nested = [t.level for t in tokens if t.type == "bullet_list_open"]
    assert len(nested) == 2 and nested[1] > nested[0]  # the list inside the numbered step stays nested
    assert kinds.count("ordered_list_open") == 1


def test_html_output_is_a_clean_page_the_html_reader_translates(pages):
    html = fetch_source(f"{pages.url}/docs/page.html", "html").decode("utf-8")
    root = lxml.html.document_fromstring(html)
    assert root.get("lang") == "en-US"
    assert root.xpath("//title/text()") == ["Save progress with checkpoints during Spot training - Amazon SageMaker AI"]
    assert root.xpath("//meta/@charset") == ["utf-8"]
    assert not root.xpath("//script | //nav | //footer | //header | //noscript | //button")
    assert "essential cookies" not in html
    assert root.xpath("//img/@src") == [f"{pages.url}/docs/images/spot-checkpoints.png"]
    doc = HtmlFormat().read(html, "page.html")
    assert [s.text for s in doc.segments if s.kind == "heading"][
        0
    ] == "Save progress with checkpoints during Spot training"


@pytest.mark.parametrize("path", ["/sjis-header", "/sjis-meta", "/sjis-http-equiv"])
def test_charset_from_the_header_or_the_page(pages, path):
    md = markdown_of(pages.url + path)
    assert JAPANESE in md
    html = fetch_source(pages.url + path, "html").decode("utf-8")
    assert JAPANESE in html
    assert "shift_jis" not in html.lower()  # the output is UTF-8 and says so


def test_undeclared_charset_is_read_as_utf8(pages):
    assert "Café ünïcode" in markdown_of(f"{pages.url}/undeclared")


def test_text_and_markdown_pages_are_returned_as_they_are(pages):
    assert fetch_source(f"{pages.url}/notes.md") == b"# Notes\n\nKeep *this* as is.\n"
    assert fetch_source(f"{pages.url}/notes.txt", "html") == b"Plain notes.\n"


def test_a_redirect_is_followed_and_links_resolve_against_the_final_url(pages):
    md = markdown_of(f"{pages.url}/moved")
    assert f"({pages.url}/docs/model-checkpoints-resume.html)" in md


def test_an_injected_client_is_used(pages):
    seen: list[str] = []

    async def note(request: httpx.Request) -> None:
        seen.append(str(request.url))

    client = httpx.AsyncClient(event_hooks={"request": [note]})
    fetch_source(f"{pages.url}/moved", client=client)
    assert seen == [f"{pages.url}/moved", f"{pages.url}/docs/page.html"]


@pytest.mark.parametrize(
    ("path", "kwargs", "message"),
    [
        ("/missing", {}, "HTTP 404 Not Found"),
        ("/loop", {}, "more than 5 redirects"),
        ("/loop", {"max_redirects": 2}, "more than 2 redirects"),
        ("/to-ftp", {}, "only http:// and https:// URLs can be fetched (redirected to ftp://127.0.0.1/file.html)"),
        ("/manual.pdf", {}, "unsupported content type 'application/pdf'"),
        ("/huge", {"max_bytes": 200_000}, "page is larger than the limit of 200,000 bytes"),
        ("/declared-too-big", {"max_bytes": 1000}, "page is larger than the limit of 1,000 bytes"),
        ("/slow", {"timeout": 0.2}, "no response within 0.2 s (timeout)"),
        ("/drip-body", {"timeout": 1, "deadline": 0.5}, "the download took longer than 0.5 s (deadline)"),
        ("/drip-headers", {"timeout": 1, "deadline": 0.5}, "the download took longer than 0.5 s (deadline)"),
        ("/no-location", {}, "HTTP 302 redirect without a Location header"),
        ("/bad-location", {}, "download failed: Invalid URL in location header"),
    ],
)
def test_errors_name_the_url_on_one_line(pages, path, kwargs, message):
    url = pages.url + path
    with pytest.raises(FetchError) as caught:
        fetch_source(url, **kwargs)
    assert str(caught.value).startswith(f"{url}: {message}")
    assert "\n" not in str(caught.value)


def test_a_huge_page_is_not_read_to_the_end(pages):
    with pytest.raises(FetchError):
        fetch_source(f"{pages.url}/huge", max_bytes=200_000)
    assert pages.streamed < STREAM_TOTAL


def test_an_unreachable_server(closed_port_url):
    with pytest.raises(FetchError) as caught:
        fetch_source(closed_port_url)
    message = str(caught.value)
    assert message.startswith(f"{closed_port_url}: cannot connect")
    assert "\n" not in message


def test_a_deep_page_is_refused_at_its_line_quickly_in_both_output_formats(pages):
    for as_format in ("markdown", "html"):
        with pytest.raises(FetchError) as caught:
            fetch_source(f"{pages.url}/deep", as_format)
        assert str(caught.value).startswith(f"{pages.url}/deep:1: elements nested more than 200 deep")


def test_a_page_nested_within_the_limit_is_converted(pages):
    assert "Deep text." in markdown_of(f"{pages.url}/deep-but-fine")
    assert "Deep text." in fetch_source(f"{pages.url}/deep-but-fine", "html").decode("utf-8")


def test_a_page_that_claims_utf8_but_is_latin1_is_read_with_a_warning(pages, capsys):
    md = markdown_of(f"{pages.url}/claims-utf8")
    assert "Caf\ufffd cr\ufffdme" in md
    warning = capsys.readouterr().err
    assert warning.count("\n") == 1
    assert warning.startswith(f"warning: {pages.url}/claims-utf8: read as utf-8, but byte 0xe9 at offset")
    assert "looks like Latin-1" in warning and "2 character(s) were replaced" in warning


def test_a_url_that_does_not_parse_is_one_line(cli_env):
    result = cli_env.run("fetch", "http://[::1")
    assert result.exit_code == 1
    assert result.stderr == "error: http://[::1: not a valid URL (Invalid IPv6 URL)\n"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/page.html", "example.com/page.html"])
def test_only_http_and_https(url):
    with pytest.raises(FetchError, match="only http:// and https:// URLs can be fetched"):
        fetch_source(url)


# Through the CLI: one line, exit 1, and no output written or overwritten.


def assert_one_line_error(result, url: str, fragment: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert url in lines[0] and fragment in lines[0]


CLI_FAILURES = [
    ("/missing", "HTTP 404 Not Found"),
    ("/loop", "redirects"),
    ("/manual.pdf", "application/pdf"),
    ("/huge", "page is larger than the limit of 5,000,000 bytes"),
]


@pytest.mark.parametrize(("path", "fragment"), CLI_FAILURES)
def test_fetch_command_errors(cli_env, pages, path, fragment):
    url = pages.url + path
    new = cli_env.tmp / "new.md"
    result = cli_env.run("fetch", url, "-o", str(new))
    assert_one_line_error(result, url, fragment)
    assert not new.exists()
    existing = cli_env.tmp / "existing.md"
    existing.write_text("my notes\n", encoding="utf-8")
    assert_one_line_error(cli_env.run("fetch", url, "-o", str(existing)), url, fragment)
    assert existing.read_text(encoding="utf-8") == "my notes\n"
    assert sorted(p.name for p in cli_env.tmp.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(("path", "fragment"), CLI_FAILURES)
def test_translate_command_errors(cli_env, pages, path, fragment):
    url = pages.url + path
    existing = cli_env.tmp / "existing.md"
    existing.write_text("my notes\n", encoding="utf-8")
    result = cli_env.run(
        "translate", url, "-o", str(existing), "-b", "pseudo", "--no-cache", "--no-check", "--no-glossary"
    )
    assert_one_line_error(result, url, fragment)
    assert existing.read_text(encoding="utf-8") == "my notes\n"


def test_unreachable_and_timeout_through_the_cli(cli_env, pages, closed_port_url):
    out = cli_env.tmp / "out.md"
    assert_one_line_error(cli_env.run("fetch", closed_port_url, "-o", str(out)), closed_port_url, "cannot connect")
    slow = f"{pages.url}/slow"
    assert_one_line_error(cli_env.run("fetch", slow, "-o", str(out), "--timeout", "0.2"), slow, "timeout")
    assert not out.exists()


def test_fetch_command_writes_markdown_or_html(cli_env, pages):
    url = f"{pages.url}/docs/page.html"
    assert cli_env.run("fetch", url, "-o", str(cli_env.tmp / "page.md")).exit_code == 0
    assert (cli_env.tmp / "page.md").read_text(encoding="utf-8").startswith("# Save progress")
    assert cli_env.run("fetch", url, "-o", str(cli_env.tmp / "page.html")).exit_code == 0  # format from the suffix
    assert (cli_env.tmp / "page.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = cli_env.run("fetch", url, "--as", "html")
    assert result.exit_code == 0 and 'id="main-col-body"' in result.stdout


def test_translate_a_url_as_html(cli_env, pages):
    out = cli_env.tmp / "page.ja.html"
    result = cli_env.run(
        "translate",
        f"{pages.url}/docs/page.html",
        "--format",
        "html",
        "-o",
        str(out),
        "-b",
        "pseudo",
        "--no-cache",
        "--no-check",
        "--no-glossary",
    )
    assert result.exit_code == 0, result.output
    root = lxml.html.document_fromstring(out.read_text(encoding="utf-8"))
    assert root.get("lang") == "ja"
    assert root.xpath("//h2/text()") == ["[ja] Turn on checkpoints"]
