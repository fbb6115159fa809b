"""Bytes to text for every reader: refuse binaries, name the line of a bad byte, note BOM/CRLF."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError

BOM = "\ufeff"


@dataclass(frozen=True)
class Decoded:
    text: str  # newlines normalised to "\n", BOM removed
    newline: str  # "\n" or "\r\n", as the source had it
    bom: bool


def decode_source(data: bytes, source: str) -> Decoded:
    if b"\x00" in data[:8192]:
        raise InputError("looks like a binary file (NUL bytes), not text", path=source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); re-save the file as UTF-8",
            path=source,
            line=line,
        ) from exc
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    newline = "\r\n" if "\r\n" in text else "\n"
    return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"), newline, bom)


def encode_output(text: str, newline: str = "\n", bom: bool = False) -> bytes:
    if newline != "\n":
        text = text.replace("\n", newline)
    return ((BOM if bom else "") + text).encode("utf-8")
