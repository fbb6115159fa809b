"""Bytes to text for every reader: refuse binaries, name the line of a bad byte, note BOM/CRLF.

UTF-8 is the format of course material; a UTF-16 or UTF-32 file announced by its byte-order
mark is read too (Windows tools still save "Unicode" text that way). A NUL byte anywhere is
refused, not only in the first block: one sent on would reach the translation service.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from ..errors import InputError

BOM = "\ufeff"
# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Decoded:
    text: str  # newlines normalised to "\n", BOM removed
    newline: str  # "\n" or "\r\n", as the source had it
    bom: bool
    encoding: str = "utf-8"  # what the bytes were; outputs are always written as UTF-8


def decode_source(data: bytes, source: str) -> Decoded:
    for mark, codec, label in WIDE_BOMS:
        if data.startswith(mark):
            return _decode_wide(data, len(mark), codec, label, source)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(_nul_problem(data, nul), path=source, line=data[:nul].count(b"\n") + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); re-save the file as UTF-8",
            path=source,
            line=data[: exc.start].count(b"\n") + 1,
        ) from exc
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    return _normalised(text, bom, "utf-8")


def _decode_wide(data: bytes, start: int, codec: str, label: str, source: str) -> Decoded:
    body = data[start:]
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].decode(codec, errors="replace").count("\n") + 1
        raise InputError(
            f"not valid {label} despite its byte-order mark (offset {start + exc.start}); re-save the file as UTF-8",
            path=source,
            line=line,
        ) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(f"a NUL character in {label} text; this is not a text file", path=source, line=line)
    return _normalised(text, False, codec)


def _normalised(text: str, bom: bool, encoding: str) -> Decoded:
    newline = "\r\n" if "\r\n" in text else "\n"
    return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"), newline, bom, encoding)


def _nul_problem(data: bytes, offset: int) -> str:
    """Why a file with a NUL byte is refused, saying what it most likely is."""
    head = data[:SNIFF_BYTES]
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    half = len(head) // 2
    if half and max(even_nuls, odd_nuls) > 0.6 * half and min(even_nuls, odd_nuls) < 0.1 * half:
        order = "big-endian" if even_nuls > odd_nuls else "little-endian"
        return f"looks like UTF-16 ({order}) text without a byte-order mark; re-save the file as UTF-8"
    if offset >= SNIFF_BYTES or head.count(0) * 100 < len(head):
        return f"a NUL byte at offset {offset}; text files have none (a corrupted or binary file?)"
    return "looks like a binary file (NUL bytes), not text"


def encode_output(text: str, newline: str = "\n", bom: bool = False) -> bytes:
    if newline != "\n":
        text = text.replace("\n", newline)
    return ((BOM if bom else "") + text).encode("utf-8")
