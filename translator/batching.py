"""Fitting texts into a backend's request limits: batches, and texts too large for one request.

A plain-text transcript can be one paragraph of hundreds of kilobytes; sent whole it would be
refused (DeepL answers 413) and stop the run. Such a text is cut at sentence ends that lie
outside every inline code, each piece is translated on its own, and the translations are joined
again, so the writer still sees one translation per segment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from .backends.base import Capabilities
from .errors import RequestRejected

# A sentence end followed by space, or a CJK full stop; the space stays with the earlier piece.
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")
WORD_GAP_RE = re.compile(r"\s+")
PAIRED_OPEN_RE = re.compile(r"<g\b[^>]*>")
CODE_RE = re.compile(r"<x\b[^>]*/>|<x\b[^>]*>.*?</x>|<g\b[^>]*>|</g>|⟦/?\d+⟧", re.DOTALL)
UNSPACED_TARGETS = ("ja", "zh", "th")


def text_cost(text: str) -> int:
    """Bytes a text adds to a JSON request body (what the services' size limits count)."""
    return len(json.dumps(text, ensure_ascii=False).encode("utf-8")) + 1


def plan_batches(texts: Sequence[str], caps: Capabilities) -> list[list[int]]:
    """Greedy batches within the backend's text-count and byte limits, order preserved."""
    batches: list[list[int]] = []
    current: list[int] = []
    size = 0
    for index, text in enumerate(texts):
        cost = text_cost(text)
        if current and (len(current) >= caps.max_texts or size + cost > caps.max_bytes):
            batches.append(current)
            current, size = [], 0
        current.append(index)
        size += cost
    if current:
        batches.append(current)
    return batches


def split_oversized(text: str, max_bytes: int) -> list[str]:
    """Pieces of ``text`` that each fit ``max_bytes``, cut at sentence ends (else between words)
    outside inline codes; refused when no such cut can make them fit."""
    if text_cost(text) <= max_bytes:
        return [text]
    pieces = _greedy(text, _cut_points(text, SENTENCE_END_RE), max_bytes)
    if pieces is None:
        pieces = _greedy(text, _cut_points(text, WORD_GAP_RE), max_bytes)
    if pieces is None:
        raise RequestRejected(
            f"a segment of {len(text):,} characters has no place to cut it below the backend's "
            f"{max_bytes:,}-byte request limit"
        )
    return pieces


def join_pieces(translations: Sequence[str], target_lang: str) -> str:
    """Translated pieces back into one text (Japanese and Chinese put no space between sentences)."""
    separator = "" if target_lang.split("-")[0].lower() in UNSPACED_TARGETS else " "
    return separator.join(piece.strip() for piece in translations)


def _cut_points(text: str, pattern: re.Pattern[str]) -> list[int]:
    """Positions after a match of ``pattern`` that are outside every inline code."""
    inside = _inside_codes(text)
    return [m.end() for m in pattern.finditer(text) if 0 < m.end() < len(text) and not inside[m.start()]]


def _inside_codes(text: str) -> list[bool]:
    """For each character: is it inside a tag, an echoed <x>…</x>, or between paired codes?"""
    inside = [False] * (len(text) + 1)
    depth = 0
    position = 0
    for match in CODE_RE.finditer(text):
        for index in range(position, match.start()):
            inside[index] = depth > 0
        token = match.group()
        for index in range(match.start(), match.end()):
            inside[index] = True
        if PAIRED_OPEN_RE.fullmatch(token) or _opens_placeholder_pair(token, text):
            depth += 1
        elif token == "</g>" or token.startswith("⟦/"):
            depth = max(0, depth - 1)
        position = match.end()
    for index in range(position, len(text)):
        inside[index] = depth > 0
    return inside


def _opens_placeholder_pair(token: str, text: str) -> bool:
    return token.startswith("⟦") and not token.startswith("⟦/") and f"⟦/{token[1:-1]}⟧" in text


def _greedy(text: str, cuts: list[int], max_bytes: int) -> list[str] | None:
    pieces: list[str] = []
    start = 0
    last_fit: int | None = None
    for cut in [*cuts, len(text)]:
        if text_cost(text[start:cut]) <= max_bytes:
            last_fit = cut
            continue
        if last_fit is None:
            return None  # one sentence (or word run) alone is too large
        pieces.append(text[start:last_fit])
        start = last_fit
        last_fit = cut if text_cost(text[start:cut]) <= max_bytes else None
        if last_fit is None:
            return None
    pieces.append(text[start:])
    return pieces
