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
CLOSING_PLACEHOLDER_RE = re.compile(r"⟦/(\d+)⟧")
QUOTES_AND_SEPARATOR = 3  # what text_cost adds to a text's escaped size
UNSPACED_TARGETS = ("ja", "zh", "th")


def text_cost(text: str) -> int:
    """Bytes a text adds to a JSON request body (what the services' size limits count)."""
    return len(json.dumps(text, ensure_ascii=False).encode("utf-8")) + 1


class BatchFiller:
    """Greedy batches within the backend's text-count and byte limits, order preserved, filled
    as texts come: ``add`` returns the batch it closed, if the new text did not fit in it, and
    ``close`` the last one. A document's first batches leave while later texts are still being
    prepared, and are the batches all of its texts at once would give."""

    def __init__(self, caps: Capabilities) -> None:
        self.max_texts = caps.max_texts
        self.max_bytes = caps.max_bytes
        self.batch: list[str] = []
        self.size = 0

    def add(self, text: str) -> list[str] | None:
        cost = text_cost(text)
        full = None
        if self.batch and (len(self.batch) >= self.max_texts or self.size + cost > self.max_bytes):
            full = self.close()
        self.batch.append(text)
        self.size += cost
        return full

    def close(self) -> list[str] | None:
        """The batch being filled (None when empty); the next text starts a new one."""
        batch, self.batch, self.size = self.batch, [], 0
        return batch or None


def split_oversized(text: str, max_bytes: int) -> list[str]:
    """Pieces of ``text`` that each fit ``max_bytes``, cut at sentence ends (else between words)
    outside inline codes; refused when no such cut can make them fit.

    Linear in the length of the text: a transcript of megabytes on one line is common, and
    measuring every candidate piece from its start again would be quadratic.
    """
    if text_cost(text) <= max_bytes:
        return [text]
    codes = _code_intervals(text)
    pieces = _greedy(text, _cut_points(text, SENTENCE_END_RE, codes), max_bytes)
    if pieces is None:
        pieces = _greedy(text, _cut_points(text, WORD_GAP_RE, codes), max_bytes)
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


def _cut_points(text: str, pattern: re.Pattern[str], codes: list[tuple[int, int]]) -> list[int]:
    """Positions after a match of ``pattern`` whose match starts outside every inline code."""
    cuts: list[int] = []
    index = 0  # matches come in order, so one pointer walks the code intervals once
    for match in pattern.finditer(text):
        if not 0 < match.end() < len(text):
            continue
        while index < len(codes) and codes[index][1] <= match.start():
            index += 1
        if index < len(codes) and codes[index][0] <= match.start():
            continue
        cuts.append(match.end())
    return cuts


def _code_intervals(text: str) -> list[tuple[int, int]]:
    """Ordered, non-overlapping ``[start, end)`` ranges inside a tag, an echoed ``<x>…</x>``, or
    between paired codes: no cut may fall there."""
    closed_placeholders = set(CLOSING_PLACEHOLDER_RE.findall(text))
    intervals: list[tuple[int, int]] = []
    depth = 0
    region_start = 0  # where the current run of "inside" began
    for match in CODE_RE.finditer(text):
        if depth == 0:
            region_start = match.start()
        token = match.group()
        if PAIRED_OPEN_RE.fullmatch(token) or (
            token.startswith("⟦") and not token.startswith("⟦/") and token[1:-1] in closed_placeholders
        ):
            depth += 1
        elif token == "</g>" or token.startswith("⟦/"):
            depth = max(0, depth - 1)
        if depth == 0:
            _add_interval(intervals, region_start, match.end())
    if depth > 0:
        _add_interval(intervals, region_start, len(text) + 1)
    return intervals


def _add_interval(intervals: list[tuple[int, int]], start: int, end: int) -> None:
    if intervals and intervals[-1][1] >= start:
        intervals[-1] = (intervals[-1][0], max(end, intervals[-1][1]))
    else:
        intervals.append((start, end))


def _greedy(text: str, cuts: list[int], max_bytes: int) -> list[str] | None:
    """Longest pieces that fit, cut only at ``cuts``; None when one stretch between two cuts
    alone is too large. Costs are summed from the stretches (JSON escaping is per character)."""
    boundaries = [*cuts, len(text)]
    offsets = [0]  # escaped size of text[:boundary], for 0 and every boundary
    previous = 0
    for boundary in boundaries:
        offsets.append(offsets[-1] + _escaped_size(text[previous:boundary]))
        previous = boundary
    positions = [0, *boundaries]

    def cost(first: int, last: int) -> int:  # of text[positions[first]:positions[last]]
        return offsets[last] - offsets[first] + QUOTES_AND_SEPARATOR

    pieces: list[str] = []
    start = 0
    last_fit: int | None = None
    for index in range(1, len(positions)):
        if cost(start, index) <= max_bytes:
            last_fit = index
            continue
        if last_fit is None:
            return None  # one sentence (or word run) alone is too large
        pieces.append(text[positions[start] : positions[last_fit]])
        start = last_fit
        last_fit = index if cost(start, index) <= max_bytes else None
        if last_fit is None:
            return None
    pieces.append(text[positions[start] :])
    return pieces


def _escaped_size(text: str) -> int:
    return len(json.dumps(text, ensure_ascii=False).encode("utf-8")) - 2
