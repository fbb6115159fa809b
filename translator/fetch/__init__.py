"""Download a web page safely and return its main content as UTF-8 Markdown or HTML.

A URL is untrusted input: only http(s), a timeout for each wait and a deadline for the whole
download, a byte limit enforced while streaming (a
missing or lying Content-Length cannot get past it), a redirect limit checked hop by hop (each
target must be http(s) too) and a content-type check. Every failure is a ``FetchError`` naming
the URL, so the CLI prints one line and writes nothing.

Charset: a byte order mark wins (as in browsers), then the Content-Type header, then ``<meta charset>`` or
``http-equiv`` (found with bs4's ``EncodingDetector``), else UTF-8. Labels are read the way
browsers read them (``Shift_JIS`` is Windows-31J, ``iso-8859-1`` is windows-1252).
"""

from __future__ import annotations

import asyncio
import codecs
import re
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

import httpx
from bs4.dammit import EncodingDetector

from .. import __version__
from ..errors import FetchError, InputError
from ..formats._limits import check_html_depth
from ..notices import warn

FORMATS = ("markdown", "html")
DEFAULT_DEADLINE = 60.0  # seconds for a whole download, redirects included
REDIRECTS = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
HEADERS = {
    "User-Agent": f"translator/{__version__}",
    "Accept": "text/html,application/xhtml+xml;q=0.9,text/markdown;q=0.8,text/plain;q=0.7",
}
# Browser readings of legacy labels (WHATWG Encoding Standard), for Python's codec names.
CHARSET_ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "csshiftjis": "cp932",
    "windows-31j": "cp932",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "x-euc-jp": "euc_jp",
    "gb2312": "gbk",
}


@dataclass(frozen=True)
class Page:
    url: str  # after redirects: the base for relative links
    media_type: str
    text: str


def fetch_source(
    url: str,
    as_format: str = "markdown",
    *,
    timeout: float = 20.0,
    deadline: float = DEFAULT_DEADLINE,
    max_bytes: int = 5_000_000,
    max_redirects: int = 5,
    client: httpx.AsyncClient | None = None,
) -> bytes:
    """The page's main content in ``as_format`` ("markdown" or "html"), encoded as UTF-8.

    Plain-text and Markdown pages are returned as they are.
    """
    if as_format not in FORMATS:
        raise FetchError(f"cannot fetch as '{as_format}' (choose markdown or html)", path=url)
    page = download(
        url, timeout=timeout, deadline=deadline, max_bytes=max_bytes, max_redirects=max_redirects, client=client
    )
    if page.media_type in TEXT_TYPES:
        return page.text.encode("utf-8")
    try:
        check_html_depth(page.text, url)
    except InputError as exc:
        raise FetchError(exc.message, path=url, line=exc.line) from exc
    from .content import to_html, to_markdown

    convert = to_markdown if as_format == "markdown" else to_html
    return convert(page.text, page.url).encode("utf-8")


def download(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    max_redirects: int,
    deadline: float = DEFAULT_DEADLINE,
    client: httpx.AsyncClient | None = None,
) -> Page:
    """GET ``url`` following at most ``max_redirects`` redirects; the decoded page.

    ``timeout`` bounds each wait for the server; ``deadline`` bounds the whole download, so a
    server that sends one byte a second (each within the timeout) cannot hold the run forever.
    The download runs on its own event loop so that the deadline can interrupt any wait,
    including one for headers that trickle in.
    """
    _check_scheme(url, url)
    return asyncio.run(_download(url, timeout, max_bytes, max_redirects, deadline, client))


async def _download(
    url: str, timeout: float, max_bytes: int, max_redirects: int, deadline: float, client: httpx.AsyncClient | None
) -> Page:
    session = client if client is not None else httpx.AsyncClient(headers=HEADERS)
    try:
        async with asyncio.timeout(deadline):
            current = url
            for _ in range(max_redirects + 1):
                async with session.stream("GET", current, follow_redirects=False, timeout=timeout) as response:
                    if response.status_code in REDIRECTS:
                        current = _redirect_target(response, url)
                        continue
                    return await _read(response, url, max_bytes)
            raise FetchError(f"more than {max_redirects} redirects (last to {current})", path=url)
    except TimeoutError as exc:
        raise FetchError(
            f"the download took longer than {deadline:g} s (deadline); the server is too slow", path=url
        ) from exc
    except httpx.TimeoutException as exc:
        raise FetchError(f"no response within {timeout:g} s (timeout)", path=url) from exc
    except httpx.ConnectError as exc:
        raise FetchError(f"cannot connect: {_reason(exc)}", path=url) from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchError(f"download failed: {_reason(exc)}", path=url) from exc
    finally:
        if client is None:
            await session.aclose()


def _redirect_target(response: httpx.Response, url: str) -> str:
    location = response.headers.get("location", "").strip()
    if not location:
        raise FetchError(f"HTTP {response.status_code} redirect without a Location header", path=url)
    try:
        target = str(response.url.join(location))
    except (httpx.InvalidURL, ValueError) as exc:
        raise FetchError(f"redirected to an address that is not a valid URL ({location[:200]})", path=url) from exc
    _check_scheme(target, url)
    return target


def _check_scheme(target: str, url: str) -> None:
    try:
        parts = urlsplit(target)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise FetchError(f"not a valid URL ({exc})", path=url) from exc
    if parts.scheme.lower() not in ("http", "https"):
        where = "" if target == url else f" (redirected to {target})"
        raise FetchError(f"only http:// and https:// URLs can be fetched{where}", path=url)
    if not parts.hostname:
        raise FetchError("not a valid URL (no host name)", path=url)


async def _read(response: httpx.Response, url: str, max_bytes: int) -> Page:
    if not response.is_success:
        raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip(), path=url)
    media_type, charset = _content_type(response.headers.get("content-type", ""))
    if media_type and media_type not in HTML_TYPES | TEXT_TYPES:
        raise FetchError(f"unsupported content type '{media_type}' (expected an HTML, Markdown or text page)", path=url)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(_too_large(max_bytes), path=url)
    chunks: list[bytes] = []
    received = 0
    async for chunk in response.aiter_bytes():
        received += len(chunk)
        if received > max_bytes:
            raise FetchError(_too_large(max_bytes), path=url)
        chunks.append(chunk)
    data = b"".join(chunks)
    if not media_type:
        sniffed = _sniff(data)
        if sniffed is None:
            raise FetchError("the server sent no content type and this does not look like an HTML page", path=url)
        media_type = sniffed
    return Page(str(response.url), media_type, decode_page(data, charset, is_html=media_type in HTML_TYPES, url=url))


def _too_large(max_bytes: int) -> str:
    return f"page is larger than the limit of {max_bytes:,} bytes"


def _content_type(header: str) -> tuple[str, str | None]:
    message = Message()
    message["content-type"] = header
    media_type = message.get_content_type() if header.strip() else ""
    charset = message.get_param("charset") if header.strip() else None
    return media_type.lower(), charset if isinstance(charset, str) else None  # RFC 2231 tuples: ignored


def _sniff(data: bytes) -> str | None:
    head = data[:1024].lstrip().lower()
    return "text/html" if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) else None


def decode_page(data: bytes, header_charset: str | None, *, is_html: bool, url: str = "the page") -> str:
    """Text of a page: BOM, else header charset, else the page's own declaration, else UTF-8."""
    data, bom_charset = EncodingDetector.strip_byte_order_mark(data)
    declared = EncodingDetector.find_declared_encoding(data, is_html=is_html) if is_html else None
    for label in (bom_charset, header_charset, declared, "utf-8"):
        codec = _codec(label)
        if codec:
            return _decode_or_warn(data, codec, url)
    return _decode_or_warn(data, "utf-8", url)


def _decode_or_warn(data: bytes, codec: str, url: str) -> str:
    """Decode as browsers do (bad bytes become U+FFFD), but say so: a page that claims UTF-8
    and is really Latin-1 would otherwise lose its accented letters without a word."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        text = data.decode(codec, errors="replace")
        guess = " (it looks like Latin-1 / windows-1252)" if codec == "utf-8" and _reads_as_latin1(data) else ""
        warn(
            f"{url}: read as {codec}, but byte 0x{data[exc.start]:02x} at offset {exc.start} is not {codec}"
            f"{guess}; {text.count(chr(0xFFFD)):,} character(s) were replaced with U+FFFD"
        )
        return text


def _reads_as_latin1(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    bare = label.strip().strip("\"'")
    name = CHARSET_ALIASES.get(bare.lower(), bare)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _reason(exc: Exception) -> str:
    text = " ".join(re.sub(r"\[Errno -?\d+\]\s*", "", str(exc)).split())
    return text or type(exc).__name__
