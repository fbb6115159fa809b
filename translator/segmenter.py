"""Protected spans inside running text: URLs, e-mail addresses and program placeholders.

Readers hand every plain-text run to ``add_text`` so these are protected the same way in every
format (Markdown and HTML find code and links structurally, then use this for the rest).
"""

from __future__ import annotations

import re

from .markup import TaggedTextBuilder

PROTECTED_RE = re.compile(
    r"""
    (?P<url>\b(?:https?|ftp|s3)://[^\s<>"'`)\]]*[^\s<>"'`)\].,;:!?])
  | (?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)
  | (?P<placeholder>\{\{[^{}\n]+\}\}|\$\{[^{}\n]+\}|\{[A-Za-z_][\w.]*\}|%(?:\([\w]+\))?[sdif]\b)
    """,
    re.VERBOSE,
)


def add_text(builder: TaggedTextBuilder, text: str) -> None:
    """Append text to a builder, protecting URLs, addresses and placeholders found in it."""
    pos = 0
    for match in PROTECTED_RE.finditer(text):
        if match.start() > pos:
            builder.text(text[pos : match.start()])
        kind = match.lastgroup or "placeholder"
        builder.protect(match.group(), "url" if kind in ("url", "email") else kind)
        pos = match.end()
    if pos < len(text):
        builder.text(text[pos:])


def tagged(text: str, id_prefix: str = "") -> tuple[str, dict]:
    builder = TaggedTextBuilder(id_prefix)
    add_text(builder, text)
    return builder.build()
