"""Reading a source into a ``Document`` and turning a writer's text back into bytes.

Decoding (refusing binaries, keeping the newline style and byte-order mark) happens once here, so
every reader gets clean text and every output is encoded the way its source was.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ..types import Document
from . import get_format
from ._decode import decode_source, encode_output
from ._limits import check_segments, check_size
from .base import FormatOptions

STDIO = "-"


def read_bytes(source: str) -> bytes:
    if source == STDIO:
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=source) from exc


def load_document(source: str, fmt: str, data: bytes | None = None, options: FormatOptions | None = None) -> Document:
    """Decode and parse one source. The reader may hand the document to a more specific format
    (a practice exam inside ``.md``, Transcribe output inside ``.json``): ``document.format`` then
    names the format whose writer rebuilds it."""
    decoded = decode_source(read_bytes(source) if data is None else data, source)  # the bytes read go now
    check_size(decoded.text, source)
    document = get_format(fmt, options).read(decoded.text, source)
    check_segments(len(document.segments), source)
    document.newline = decoded.newline
    document.bom = decoded.bom
    return document


def render_bytes(document: Document, text: str) -> bytes:
    return encode_output(text, document.newline, document.bom)
