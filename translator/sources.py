"""Where text comes from and where it goes: files, folders, stdin, URLs; atomic outputs.

An input is resolved into ``Job``s (one source, one destination). A folder gives a mirrored output
folder. Outputs are written to a temporary file beside the destination and renamed over it only
once the whole document has been translated, so a failed run leaves an existing output untouched
and never leaves a half-written one.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, OutputError
from .formats import FormatOptions, format_name_for, get_format, supported_suffixes
from .formats._decode import decode_source, encode_output
from .types import Document

STDIO = "-"


@dataclass(frozen=True)
class Job:
    source: str  # a path, a URL or "-"
    destination: str | None  # a path, "-" for stdout, None for "next to the source"
    format: str
    chosen_destination: bool = True  # False when derived from the source's name (may change suffix)


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def default_destination(source: Path, target_lang: str) -> Path:
    """``page.md`` → ``page.ja.md``: next to the source, easy to compare side by side."""
    return source.with_name(f"{source.stem}.{target_lang}{source.suffix}")


def plan_jobs(source: str, output: str | None, *, target_lang: str, forced_format: str | None) -> list[Job]:
    if source == STDIO:
        if forced_format is None:
            raise InputError("reading stdin needs --format (text, markdown, html, srt, vtt, …)")
        return [Job(STDIO, output or STDIO, format_name_for(source, forced_format))]
    if is_url(source):
        return [Job(source, output or STDIO, forced_format or "markdown")]
    path = Path(source)
    if path.is_dir():
        return _folder_jobs(path, output, target_lang=target_lang, forced_format=forced_format)
    if not path.exists():
        raise InputError("no such file or folder", path=source)
    fmt = format_name_for(source, forced_format)
    destination = output or str(default_destination(path, target_lang))
    return [Job(source, destination, fmt, chosen_destination=output is not None)]


def _folder_jobs(folder: Path, output: str | None, *, target_lang: str, forced_format: str | None) -> list[Job]:
    if output is None:
        output_root = folder.with_name(f"{folder.name}.{target_lang}")
    elif output == STDIO:
        raise OutputError("a folder cannot be written to stdout; give -o FOLDER")
    else:
        output_root = Path(output)
    if output_root.exists() and not output_root.is_dir():
        raise OutputError("output for a folder must be a folder", path=str(output_root))
    suffixes = supported_suffixes()
    jobs: list[Job] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        if output_root in path.parents:
            continue
        if forced_format is None and path.suffix.lower() not in suffixes:
            continue
        relative = path.relative_to(folder)
        fmt = format_name_for(str(path), forced_format)
        jobs.append(Job(str(path), str(output_root / relative), fmt, chosen_destination=False))
    if not jobs:
        raise InputError("no files of a known format in this folder", path=str(folder))
    return jobs


def read_bytes(source: str) -> bytes:
    if source == STDIO:
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=source) from exc


def load_document(
    source: str, fmt: str, data: bytes | None = None, options: FormatOptions | None = None
) -> Document:
    """Decode and parse one source; the decoded newline style and BOM travel in ``meta``."""
    raw = read_bytes(source) if data is None else data
    decoded = decode_source(raw, source)
    document = get_format(fmt, options).read(decoded.text, source)
    document.meta.setdefault("newline", decoded.newline)
    document.meta.setdefault("bom", decoded.bom)
    return document


def render_bytes(document: Document, text: str) -> bytes:
    return encode_output(text, document.meta.get("newline", "\n"), bool(document.meta.get("bom")))


def write_atomically(destination: str, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename it into place."""
    if destination == STDIO:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(destination)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=destination) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _output_mode(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _output_mode(path: Path) -> int:
    """The mode a plain ``open()`` would give: an existing file's, else 0666 less the umask
    (mkstemp's 0600 would make translated files private by accident)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
