"""Where a translated subtitle may be cut: between cues of a joined sentence, and between lines.

Candidates are scored: after sentence punctuation is best, then after a comma or 、, then a
phrase boundary (BudouX for Japanese and Chinese, a space for languages that use them); for
scripts without spaces any other position is a last resort. A cut never falls inside a protected
code (a URL, a placeholder) or inside a Latin word, and Japanese line-breaking rules (kinsoku) keep
punctuation, closing brackets and small kana off the start of a line.

Widths are counted in characters: a full-width Japanese character counts as 1, like a Latin
letter, which is how Japanese subtitle guidelines state their limits (for example 13–16
characters per line).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from ...markup import escape, tokens
from ...types import Span
from .cuetext import CJK_RE, ZERO_WIDTH_KINDS

SENTENCE_END = frozenset("。！？!?.…‼⁇⁈⁉")
CLAUSE_END = frozenset("、，,;:：；")
CLOSERS = frozenset("」』）)]】〕〉》\"'”’»")
NO_LINE_START = frozenset(
    "、。，．,.!?！？）」』】〕〉》)]}:：;；・ー…ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〻ゝゞヽヾ"
)
NO_LINE_END = frozenset("（「『【〔〈《([{")
LATIN_WORD_RE = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+(?:['’._/:@#+\-][0-9A-Za-z\u00c0-\u024f]+)*")

SENTENCE_PENALTY = 0.0
CLAUSE_PENALTY = 0.15
PHRASE_PENALTY = 0.4
SPACE_PENALTY = 1.0  # a space inside Japanese text that BudouX does not see as a phrase boundary
CHARACTER_PENALTY = 3.0
EMPTY_PENALTY = 100.0


@dataclass(frozen=True)
class Piece:
    """One character of a translation (or one protected code), with the paired codes around it."""

    display: str  # what shows on screen ("" for a zero-width code)
    tagged: str  # the same in tagged text
    stack: tuple[str, ...]  # ids of the paired codes that are open here
    atomic: bool = False


class Flat:
    """A tagged translation as a row of pieces, measured and sliced by screen characters."""

    def __init__(self, tagged: str, spans: dict[str, Span]) -> None:
        self.pieces: list[Piece] = []
        stack: list[str] = []
        for token in tokens(tagged):
            if token.kind == "text":
                for char in token.value.replace("\n", " "):
                    self.pieces.append(Piece(char, escape(char), tuple(stack)))
            elif token.kind == "x":
                span = spans.get(token.value)
                shown = "" if span is None or span.kind in ZERO_WIDTH_KINDS else span.opening
                self.pieces.append(Piece(shown, f'<x id="{token.value}"/>', tuple(stack), atomic=True))
            elif token.kind == "open":
                stack.append(token.value)
            elif stack:
                stack.pop()
        self.starts: list[int] = []
        position = 0
        for piece in self.pieces:
            self.starts.append(position)
            position += len(piece.display)
        self.display = "".join(piece.display for piece in self.pieces)
        self.cut_cache: dict[str, list[tuple[int, float]]] = {}

    def atomic_ranges(self) -> list[tuple[int, int]]:
        return [
            (start, start + len(piece.display))
            for start, piece in zip(self.starts, self.pieces, strict=True)
            if piece.atomic and len(piece.display) > 1
        ]

    def tagged_slice(self, start: int, end: int) -> str:
        """Tagged text for the screen characters [start, end), trimmed, with balanced paired codes."""
        first = bisect_left(self.starts, start)
        last = len(self.pieces) if end >= len(self.display) else bisect_left(self.starts, end)
        chosen = self.pieces[first:last]
        while chosen and not chosen[0].atomic and chosen[0].display.isspace():
            chosen.pop(0)
        while chosen and not chosen[-1].atomic and chosen[-1].display.isspace():
            chosen.pop()
        if not any(piece.stack for piece in chosen):  # the usual case: no paired codes to balance
            return "".join(piece.tagged for piece in chosen)
        out: list[str] = []
        open_ids: list[str] = []
        for piece in chosen:
            common = 0
            while common < min(len(open_ids), len(piece.stack)) and open_ids[common] == piece.stack[common]:
                common += 1
            out.extend("</g>" for _ in open_ids[common:])
            out.extend(f'<g id="{code_id}">' for code_id in piece.stack[common:])
            open_ids = list(piece.stack)
            out.append(piece.tagged)
        out.extend("</g>" for _ in open_ids)
        return "".join(out)


def is_unspaced(lang: str) -> bool:
    return lang.lower().split("-")[0] in ("ja", "zh", "th")


def candidates(flat: Flat, lang: str) -> list[tuple[int, float]]:
    """(position, penalty) of every place the text may be cut, in order (computed once per text)."""
    if lang not in flat.cut_cache:
        flat.cut_cache[lang] = _find_candidates(flat, lang)
    return flat.cut_cache[lang]


def _find_candidates(flat: Flat, lang: str) -> list[tuple[int, float]]:
    text = flat.display
    blocked = [False] * (len(text) + 1)
    for start, end in [*flat.atomic_ranges(), *(m.span() for m in LATIN_WORD_RE.finditer(text))]:
        for position in range(start + 1, end):
            blocked[position] = True
    # A translation left in Latin script (a keep-term, a code, a pseudo-translation) breaks at
    # spaces; only text with CJK characters needs BudouX, the costly part of writing cues.
    unspaced = is_unspaced(lang) and CJK_RE.search(text) is not None
    phrases = phrase_boundaries(text, lang) if unspaced else set()
    found: list[tuple[int, float]] = []
    for position in range(1, len(text)):
        before, after = text[position - 1], text[position]
        if blocked[position] or before.isspace() or after in NO_LINE_START or before in NO_LINE_END:
            continue
        if not text[:position].strip() or not text[position:].strip():
            continue
        if not unspaced and not after.isspace():
            continue
        mark = _mark_before(text, position)
        if mark in SENTENCE_END:
            penalty = SENTENCE_PENALTY
        elif mark in CLAUSE_END:
            penalty = CLAUSE_PENALTY
        elif not unspaced or _after_spaces(text, position) in phrases:
            penalty = PHRASE_PENALTY
        else:
            penalty = SPACE_PENALTY if after.isspace() else CHARACTER_PENALTY
        found.append((position, penalty))
    return found


def _after_spaces(text: str, position: int) -> int:
    """A cut before spaces stands for the phrase boundary BudouX puts after them."""
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _mark_before(text: str, position: int) -> str:
    """The punctuation a cut at ``position`` would follow, looking through closing quotes."""
    index = position - 1
    while index > 0 and text[index] in CLOSERS:
        index -= 1
    return text[index]


def phrase_boundaries(text: str, lang: str) -> set[int]:
    parser = _phrase_parser(lang.lower())
    if parser is None:
        return _script_boundaries(text)
    boundaries: set[int] = set()
    position = 0
    for phrase in parser(text):
        position += len(phrase)
        boundaries.add(position)
    return boundaries


@cache
def _phrase_parser(lang: str) -> Callable[[str], list[str]] | None:
    """BudouX's model for the language, loaded once; None when BudouX is not installed."""
    try:
        import budoux
    except ImportError:
        return None
    base = lang.split("-")[0]
    if base == "ja":
        return budoux.load_default_japanese_parser().parse
    if base == "th":
        return budoux.load_default_thai_parser().parse
    if lang in ("zh-hant", "zh-tw", "zh-hk"):
        return budoux.load_default_traditional_chinese_parser().parse
    return budoux.load_default_simplified_chinese_parser().parse


def _script_boundaries(text: str) -> set[int]:
    """Without BudouX: the end of a hiragana run (particles, endings) before another script."""
    return {
        position
        for position in range(1, len(text))
        if _is_hiragana(text[position - 1]) and not _is_hiragana(text[position]) and not text[position].isspace()
    }


def _is_hiragana(char: str) -> bool:
    return "\u3041" <= char <= "\u309f"


def distribute(flat: Flat, weights: Sequence[int], lang: str) -> list[tuple[int, int]]:
    """Cut a translation into len(weights) consecutive ranges sized like the weights.

    Each cut goes to the candidate that best balances closeness to the proportional position
    against how natural the cut is; a range is left empty only when the translation has fewer
    possible cuts than there are cues.
    """
    count = len(weights)
    length = len(flat.display)
    if count == 1:
        return [(0, length)]
    shares = list(weights) if any(weights) else [1] * count
    total = sum(shares)
    targets: list[float] = []
    running = 0
    for share in shares[:-1]:
        running += share
        targets.append(length * running / total)
    options = candidates(flat, lang)
    if len(options) < count - 1:
        return _spread_few(options, targets, length)
    cuts = _best_cuts(options, targets, max(length / count, 1.0))
    edges = [0, *cuts, length]
    return list(zip(edges, edges[1:], strict=False))


def _best_cuts(options: list[tuple[int, float]], targets: list[float], scale: float) -> list[int]:
    """Dynamic programming over increasing cut positions (one per target)."""
    inf = float("inf")
    size = len(options)
    cost = [abs(pos - targets[0]) / scale + pen for pos, pen in options]
    back: list[list[int]] = []
    for target in targets[1:]:
        best_before = inf
        best_index = -1
        new_cost = [inf] * size
        links = [-1] * size
        for j, (pos, pen) in enumerate(options):
            if j > 0 and cost[j - 1] < best_before:
                best_before, best_index = cost[j - 1], j - 1
            if best_index >= 0:
                new_cost[j] = best_before + abs(pos - target) / scale + pen
                links[j] = best_index
        back.append(links)
        cost = new_cost
    index = min(range(size), key=cost.__getitem__)
    chosen = [index]
    for links in reversed(back):
        index = links[index]
        chosen.append(index)
    return [options[i][0] for i in reversed(chosen)]


def _spread_few(options: list[tuple[int, float]], targets: list[float], length: int) -> list[tuple[int, int]]:
    """Fewer possible cuts than cues: use them all, each piece going to the cue nearest in time."""
    cuts = [pos for pos, _ in options]
    edges = [0, *cuts, length]
    pieces = list(zip(edges, edges[1:], strict=False))
    bounds = [0.0, *targets, float(length)]
    slots = len(targets) + 1
    ranges: list[tuple[int, int]] = [(0, 0)] * slots
    previous = -1
    for number, (start, end) in enumerate(pieces):
        middle = (start + end) / 2
        nearest = min(range(slots), key=lambda s: abs((bounds[s] + bounds[s + 1]) / 2 - middle))
        latest = slots - (len(pieces) - number)
        slot = min(max(nearest, previous + 1), latest)
        ranges[slot] = (start, end)
        previous = slot
    return ranges


def wrap(flat: Flat, start: int, end: int, width: int, first_width: int, lang: str) -> list[tuple[int, int]]:
    """Lines of at most ``width`` characters for [start, end): two balanced lines if they fit."""
    text = flat.display
    first_width = max(first_width, 1)
    size = _trimmed_len(text, start, end)
    if size <= first_width:
        return [(start, end)]
    options = [(pos, pen) for pos, pen in candidates(flat, lang) if start < pos < end]
    pairs = [
        (pen + abs(_trimmed_len(text, start, pos) - _trimmed_len(text, pos, end)) / width, pos)
        for pos, pen in options
        if _trimmed_len(text, start, pos) <= first_width and _trimmed_len(text, pos, end) <= width
    ]
    if pairs:
        cut = min(pairs)[1]
        return [(start, cut), (cut, end)]
    lines: list[tuple[int, int]] = []
    line_start, budget = start, first_width
    while _trimmed_len(text, line_start, end) > budget:
        fitting = [
            (pos, pen) for pos, pen in options if pos > line_start and _trimmed_len(text, line_start, pos) <= budget
        ]
        if fitting:
            cut = min(fitting, key=lambda o: o[1] + (budget - _trimmed_len(text, line_start, o[0])) / budget)[0]
        else:
            later = [pos for pos, _ in options if pos > line_start]
            if not later:
                break
            cut = later[0]
        lines.append((line_start, cut))
        line_start, budget = cut, width
    lines.append((line_start, end))
    return lines


def _trimmed_len(text: str, start: int, end: int) -> int:
    return len(text[start:end].strip())
