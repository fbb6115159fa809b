"""Neutral tokens for text that a round trip copies rather than translates.

A protected span (inline code, a URL, a keep-term) and a glossary term come back from a round
trip verbatim whatever the quality of the prose around them, so left in place they raise every
score and hide a literal translation. Each is replaced by the same neutral token on both sides
before scoring: the token still separates words (so BLEU's n-grams do not join across it) but
every masked item counts as one short symbol, not as its characters.
"""

from __future__ import annotations

import re

from ..types import Span
from .plaintext import PlainText, plain_text
from .terms import NEUTRAL, TermIndex

__all__ = ["NEUTRAL", "mask_terms", "masked", "masked_plain"]


def masked_plain(tagged: str, spans: dict[str, Span], index: TermIndex | None = None) -> str:
    """Plain text of ``tagged`` with protected spans and glossary terms as ``NEUTRAL``."""
    return masked(plain_text(tagged, spans), index)


def masked(plain: PlainText, index: TermIndex | None = None) -> str:
    """``plain`` (already read from its tagged text) with protected spans and glossary terms as
    ``NEUTRAL``."""
    text = plain.replaced(lambda _length: f" {NEUTRAL} ")
    if index is not None:
        text = mask_terms(text, index)
    return re.sub(r"\s+", " ", text).strip()


def mask_terms(text: str, index: TermIndex) -> str:
    """Replace glossary term occurrences in English ``text`` by ``NEUTRAL``."""
    out: list[str] = []
    pos = 0
    for start, end, _term in index.find(text):
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(NEUTRAL)
        pos = end
    out.append(text[pos:])
    return "".join(out)
