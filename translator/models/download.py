"""Downloading a package: resumable, size-limited, checksummed, with a progress bar on a terminal.

The bytes go to ``.downloads/<hash of the URL>.part`` beside the models. A dropped connection
is picked up where it stopped with an HTTP ``Range`` request, a few times within one run and
again by the next run (the ``.part`` file stays), so a flaky line costs the missing bytes, not
the whole model. A server that ignores ``Range`` (200 instead of 206) is read from the start.
The file is only handed on once complete and, where a SHA-256 is known, matching it; a
mismatch deletes it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import httpx

from .errors import ModelError, ModelSourceUnavailable

MAX_BYTES = 4 << 30
ATTEMPTS = 5
CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")

# (bytes so far, total bytes or None); called as bytes arrive
Progress = Callable[[int, int | None], None]


def part_path(folder: Path, url: str) -> Path:
    return folder / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()[:32]}.part"


def download(
    url: str,
    folder: Path,
    client: httpx.Client,
    *,
    sha256: str | None = None,
    max_bytes: int = MAX_BYTES,
    attempts: int = ATTEMPTS,
    progress: Progress | None = None,
) -> Path:
    """The complete, verified file for ``url`` (a ``.part`` in ``folder``); the caller deletes it."""
    part = part_path(folder, url)
    shown = safe_url(url)
    for attempt in range(attempts):
        try:
            _fetch(url, part, client, max_bytes, progress)
            break
        except (httpx.TransportError, _Incomplete) as exc:
            if attempt == attempts - 1:
                have = part.stat().st_size if part.exists() else 0
                raise ModelSourceUnavailable(
                    f"download of {shown} interrupted after {have} bytes ({_reason(exc)}); "
                    "run the same command again to resume"
                ) from None
    if sha256:
        actual = file_sha256(part)
        if actual != sha256.strip().lower():
            part.unlink(missing_ok=True)
            raise ModelError(
                f"checksum mismatch for {shown}: expected SHA-256 {sha256.strip().lower()}, got {actual}; "
                "nothing was installed"
            )
    return part


class _Incomplete(Exception):
    """The body ended before the length the server announced."""


def _fetch(url: str, part: Path, client: httpx.Client, max_bytes: int, progress: Progress | None) -> None:
    have = part.stat().st_size if part.exists() else 0
    # identity: the bytes on disk are the bytes a Range counts, never a decoded copy of them
    headers = {"Accept-Encoding": "identity", **({"Range": f"bytes={have}-"} if have else {})}
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code == 416 and have:
            # Nothing left to send: a part that is the whole file (a run stopped just after the
            # download) is kept; anything else is started over rather than guessed at.
            if response.headers.get("content-range", "").strip() == f"bytes */{have}":
                return
            part.unlink()
            raise _Incomplete("the server refused to resume; starting again")
        if response.status_code not in (200, 206):
            raise ModelSourceUnavailable(f"{safe_url(url)}: the server answered HTTP {response.status_code}")
        if response.status_code == 206:
            start, total = _content_range(response.headers.get("content-range", ""))
            if start != have:
                part.unlink()
                raise _Incomplete("the server resumed at the wrong offset; starting again")
            mode = "ab"
        else:
            have, mode = 0, "wb"
            length = response.headers.get("content-length")
            total = int(length) if length and length.isdigit() else None
        if (total or 0) > max_bytes:
            part.unlink(missing_ok=True)
            raise ModelError(f"{safe_url(url)} is {total} bytes, over the {max_bytes}-byte limit for a model")
        with part.open(mode) as out:
            for chunk in response.iter_raw():  # as they arrive: a cut line keeps every byte received
                have += len(chunk)
                if have > max_bytes:
                    out.close()
                    part.unlink(missing_ok=True)
                    raise ModelError(f"{safe_url(url)} is over the {max_bytes}-byte limit for a model")
                out.write(chunk)
                if progress:
                    progress(have, total)
    if total is not None and have < total:
        raise _Incomplete(f"got {have} of {total} bytes")


def _content_range(value: str) -> tuple[int, int | None]:
    match = CONTENT_RANGE.fullmatch(value.strip())
    if not match:
        raise _Incomplete(f"unreadable Content-Range '{value}'")
    total = match.group(3)
    return int(match.group(1)), (int(total) if total.isdigit() else None)


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def safe_url(url: str) -> str:
    """The URL without user-info or query (a mirror's token never reaches a message)."""
    parts = httpx.URL(url)
    return str(parts.copy_with(userinfo=b"", query=None, fragment=None))
