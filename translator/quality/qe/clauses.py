"""Cut a sentence into clause-sized pieces, so that a dropped or added clause shows.

A sentence embedding blurs a missing clause: the translation of three clauses out of four still
lands close to the source. Embedding the pieces and matching them one by one (``coverage.py``)
says which piece has no counterpart. The cuts are deliberately plain (punctuation, and in English
the words that open a clause; in Japanese the comma-like marks and brackets), since a finer
parser would cost a dependency for little: a cut in the wrong place only moves text between two
pieces that are both still matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_CLAUSE_OPENERS = (
    "which|who|whom|whose|where|when|while|and|but|or|because|although|though|after|before|since|until|as well as"
)
_ENGLISH_CUT = re.compile(
    rf"\s*[,;:()\u2014\"]\s*|\s+-\s+|\s+(?=(?:{_CLAUSE_OPENERS})\s)",
    re.IGNORECASE,
)
# After the Japanese comma, full stop and closing brackets; before opening brackets.
_JAPANESE_CUT = re.compile(r"(?<=[、。；：，！？」）)])|(?=[「（(])")
ENGLISH_MIN_WORDS = 3  # a shorter piece ("in 1990") joins its neighbour: alone it embeds as noise
JAPANESE_MIN_CHARS = 6


def english_pieces(text: str) -> list[str]:
    return _merged(_ENGLISH_CUT.split(text), ENGLISH_MIN_WORDS, lambda p: len(p.split()), " ")


def japanese_pieces(text: str) -> list[str]:
    return _merged(_JAPANESE_CUT.split(text), JAPANESE_MIN_CHARS, len, "")


def halves(text: str) -> tuple[str, str]:
    """The first and second half by characters (a dropped ending or opening shows in one)."""
    middle = len(text) // 2
    return text[:middle], text[middle:]


def _merged(parts: list[str], smallest: int, size: Callable[[str], int], joiner: str) -> list[str]:
    pieces: list[str] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if pieces and (size(part) < smallest or size(pieces[-1]) < smallest):
            pieces[-1] = pieces[-1] + joiner + part
        else:
            pieces.append(part)
    return pieces or [" "]  # a blank text is one neutral piece, as the encoder embeds it
