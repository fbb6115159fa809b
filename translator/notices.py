"""Warnings that do not stop a run: one line each on stderr, with names made safe to print.

A file name or a URL is data the user may not control (a cloned course, a downloaded page).
Printed raw, a name holding ESC sequences can recolour the terminal, rewrite earlier lines or
set the window title, so every name the tool prints goes through ``safe_name`` first.
"""

from __future__ import annotations

import sys
import unicodedata

# C0 and C1 controls, DEL, and the bidirectional overrides that can make a name read backwards.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def safe_name(name: object) -> str:
    """``name`` with every control character shown as an escape (``\\x1b``), so it prints as
    one inert line."""
    text = str(name)
    if not any(_unsafe(ch) for ch in text):
        return text
    return "".join(_escaped(ch) if _unsafe(ch) else ch for ch in text)


def _unsafe(ch: str) -> bool:
    return ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs")


def _escaped(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def warn(message: str) -> None:
    """Show one warning line on stderr: redacted like every message, control characters visible."""
    from .redact import redact

    sys.stderr.write(f"warning: {safe_name(redact(message))}\n")
    sys.stderr.flush()
