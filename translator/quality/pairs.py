"""What ``translator check`` reads: a source and the translation someone already has.

Either two files in the same format (paired segment by segment, in order, by meaning where the
multilingual encoder is installed, see ``align``), or one bilingual file: TSV (``source<TAB>translation`` per line), JSONL (``{"source": …, "translation": …}`` per
line) or XLIFF 1.x/2.0 (``<source>``/``<target>`` of each unit; parsed with defusedxml).

Both sides become tagged text. The translation's inline codes are renumbered with a ``t`` prefix
and their spans added to the source segment, so one segment's ``spans`` can render both sides
(a link in a Japanese page usually points somewhere else than in the English one).
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import markup
from ..errors import InputError
from ..formats import format_name_for
from ..formats.io import load_document
from ..segmenter import tagged
from ..types import Document, Segment, Span, Translation
from .similarity import Scores, Similarity, default_similarity

BILINGUAL_SUFFIXES = {".tsv": "tsv", ".jsonl": "jsonl", ".xlf": "xliff", ".xliff": "xliff"}
TARGET_PREFIX = "t"


@dataclass
class Pairing:
    document: Document
    translations: dict[str, Translation]
    problems: list[str] = field(default_factory=list)  # structure differences, with file:line
    notes: list[str] = field(default_factory=list)  # paragraphs merged or split, checked together


def read_pairs(source: str, translation: str | None = None, similarity: Similarity | None = None) -> Pairing:
    """The segment pairs of a bilingual file, or of two files in the same format; two files are
    paired by meaning with ``similarity`` (default: the packaged encoder's, when installed)."""
    if translation is None:
        kind = BILINGUAL_SUFFIXES.get(Path(source).suffix.lower())
        if kind is None:
            known = ", ".join(sorted(BILINGUAL_SUFFIXES))
            raise InputError(f"a single file must be bilingual ({known}); or give SOURCE TRANSLATION", path=source)
        return {"tsv": _read_tsv, "jsonl": _read_jsonl, "xliff": _read_xliff}[kind](source)
    return _pair_files(source, translation, similarity or default_similarity())


def _pair_files(source_path: str, target_path: str, similarity: Similarity | None) -> Pairing:
    fmt = format_name_for(source_path)
    target_fmt = format_name_for(target_path)
    if fmt != target_fmt:
        raise InputError(
            f"the translation is {target_fmt} but the source is {fmt}; both must be the same format", path=target_path
        )
    source_doc = load_document(source_path, fmt)
    target_doc = load_document(target_path, fmt)
    sources = source_doc.translatable()
    targets = target_doc.translatable()
    del source_doc, target_doc  # only the segments are paired: the rest of each file is freed now
    problems: list[str] = []
    notes: list[str] = []
    segments: list[Segment] = []
    translations: dict[str, Translation] = {}
    for source_run, target_run in align(sources, targets, similarity):
        if not source_run or not target_run:
            missing_from = target_path if source_run else source_path
            problems.extend(
                f"{where(source_path if source_run else target_path, segment)}: no matching segment in {missing_from}"
                for segment in (source_run or target_run)
            )
            continue
        if len(source_run) > 1 or len(target_run) > 1:
            notes.append(_merge_note(source_path, source_run, target_path, target_run))
        source = _joined(source_run, "s")
        target = _joined(target_run, "")
        text, spans = _prefixed(target.text, target.spans)
        segments.append(_with_spans(source, spans))
        translations[source.id] = Translation(source.id, text, origin="given")
    document = Document(source_path, fmt, segments, meta={"translation_path": target_path})
    return Pairing(document, translations, problems, notes)


# Costs of the alignment moves, after Gale and Church's priors (-log P: 1-1 is common, a merge
# about ten times rarer, a segment with no counterpart rarer still). Translators join or split
# running paragraphs, not headings, list items or table cells.
PAIR_COST = 0.1
MERGE_COST = 2.3
SKIP_COST = 4.6
KIND_MISMATCH_COST = 6.0
LENGTH_WEIGHT = 2.0
MERGEABLE_KINDS = frozenset({"paragraph", "blockquote", "text"})
MOVES = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (3, 1), (1, 3))
# With a similarity model, meaning is the main evidence (as in Bertalign): a pair of unrelated
# paragraphs costs up to SIMILARITY_WEIGHT more than a pair that says the same thing, which
# outweighs the length evidence that misleads Gale-Church when lengths vary a lot.
SIMILARITY_WEIGHT = 8.0
BAND = 20  # cells either side of the diagonal (plus the length difference) that are searched
# A cell costing this much more than its row's best is not extended: the path through it would
# need several unlikely moves to win back the difference (beam search, as long aligners do).
BEAM = 4 * SKIP_COST + SIMILARITY_WEIGHT


def align(
    sources: list[Segment], targets: list[Segment], similarity: Similarity | None = None
) -> list[tuple[list[Segment], list[Segment]]]:
    """Pair two segment sequences in order, allowing a segment with no counterpart and a paragraph
    merged or split in translation, so one difference does not shift every later pair.

    Gale-Church style by kind and relative length; with ``similarity`` (source texts, target
    texts → scores, see ``similarity.py``) mostly by meaning, so runs of paragraphs whose lengths
    happen to add up are not merged. Only a band around the diagonal is searched and stored, so
    time and memory grow linearly with the documents."""
    source_texts = [markup.plain(s.text, s.spans) for s in sources]
    target_texts = [markup.plain(t.text, t.spans) for t in targets]
    scores = similarity(source_texts, target_texts) if similarity is not None and sources and targets else None
    lattice = _Lattice(
        sources,
        targets,
        [len(text) or 1 for text in source_texts],
        [len(text) or 1 for text in target_texts],
        scores,
    )
    del source_texts, target_texts  # the search needs only their lengths
    return lattice.best_path()


# Within a row, moves are applied longest target run first: a cell reached by two moves at the
# same cost keeps the one from the leftmost cell, as a cell-by-cell search in reading order would.
_ORDERED_MOVES = sorted(range(len(MOVES)), key=lambda m: -MOVES[m][1])
_SKIP_TARGET = MOVES.index((0, 1))
_NO_MOVE = -1


class _Lattice:
    """The alignment search over a band of the (sources+1) × (targets+1) grid.

    Row ``i`` stores only columns ``lo[i]`` … ``lo[i] + width[i] - 1``, as one row of a
    (sources+1) × band array of costs and one of back-pointers (move numbers), never the whole
    grid. Each row's moves are costed for the whole band at once with numpy."""

    def __init__(
        self,
        sources: list[Segment],
        targets: list[Segment],
        source_lengths: list[int],
        target_lengths: list[int],
        scores: Scores | None,
    ) -> None:
        self.sources, self.targets = sources, targets
        self.source_lengths = source_lengths
        self.target_lengths = np.asarray(target_lengths, dtype=np.float64)
        self.source_before = list(itertools.accumulate(source_lengths, initial=0))
        self.target_before = np.asarray(list(itertools.accumulate(target_lengths, initial=0)), dtype=np.float64)
        self.source_kinds = [s.kind for s in sources]
        kind_codes: dict[str, int] = {}
        # Padded by three so a run's last members can be read past the end (never used there).
        self.target_kinds = np.array([kind_codes.setdefault(t.kind, len(kind_codes)) for t in targets] + [-1] * 3)
        self.target_mergeable = np.array([t.kind in MERGEABLE_KINDS for t in targets] + [False] * 3)
        self.kind_codes = kind_codes
        self.scores = scores
        self._similarities: dict[int, tuple[int, np.ndarray]] = {}
        self.ratio = (sum(target_lengths) or 1) / (sum(source_lengths) or 1)
        rows, cols = len(sources), len(targets)
        band = BAND + abs(rows - cols)
        lows, widths = [], []
        for i in range(rows + 1):
            centre = i * cols // rows if rows else 0
            lo, hi = max(0, centre - band), min(cols, centre + band)
            lows.append(lo)
            widths.append(hi - lo + 1)
        self.lo = np.array(lows, dtype=np.int64)
        self.width = np.array(widths, dtype=np.int64)
        self.cost = np.full((rows + 1, max(widths)), math.inf)
        self.back = np.full((rows + 1, max(widths)), _NO_MOVE, dtype=np.int8)

    def _index(self, i: int, j: int) -> int | None:
        k = j - int(self.lo[i])
        return k if 0 <= k < self.width[i] else None

    def best_path(self) -> list[tuple[list[Segment], list[Segment]]]:
        rows, cols = len(self.sources), len(self.targets)
        end = self._index(rows, cols)
        assert end is not None, "the band always holds the end corner"
        self._search(BEAM)
        if self.cost[rows, end] == math.inf:
            # The beam cut every way to the end (long runs of unmatched segments cost more than it
            # allows); search the whole band instead.
            self._search(math.inf)
        runs: list[tuple[list[Segment], list[Segment]]] = []
        i, j = rows, cols
        while i or j:
            index = self._index(i, j)
            move = int(self.back[i, index]) if index is not None else _NO_MOVE
            assert move != _NO_MOVE, "the band always holds a path from corner to corner"
            di, dj = MOVES[move]
            runs.append((self.sources[i - di : i], self.targets[j - dj : j]))
            i, j = i - di, j - dj
        return runs[::-1]

    def _search(self, beam: float) -> None:
        rows, cols = len(self.sources), len(self.targets)
        self.cost.fill(math.inf)
        self.back.fill(_NO_MOVE)
        self.cost[0, 0] = 0.0
        for i in range(rows + 1):
            lo, width = int(self.lo[i]), int(self.width[i])
            row = self.cost[i, :width]
            limit = float(row.min()) + beam
            if limit == math.inf and beam != math.inf:
                continue  # no path reaches this row
            self._skip_targets(i, row, limit, cols - lo)
            live = np.flatnonzero((row <= limit) & (row < math.inf))
            if not live.size:
                continue
            for move in _ORDERED_MOVES:
                di, dj = MOVES[move]
                if not di or i + di > rows:
                    continue
                self._relax(i, live, move, di, dj, cols)

    def _skip_targets(self, i: int, row: np.ndarray, limit: float, last: int) -> None:
        """Target segments with no counterpart, within row ``i``: each cell may extend the one to
        its right, which may extend the next, so this runs cell by cell (and only when one does)."""
        width = min(len(row), last + 1)
        if width < 2:
            return
        extended = row[: width - 1] + SKIP_COST
        if not np.any((extended < row[1:width]) & (row[: width - 1] <= limit)):
            return
        values = row[:width].tolist()
        for k in range(width - 1):
            here = values[k]
            if here == math.inf or here > limit:
                continue
            total = here + SKIP_COST
            if total < values[k + 1]:
                values[k + 1] = total
                self.back[i, k + 1] = _SKIP_TARGET
        row[:width] = values

    def _relax(self, i: int, live: np.ndarray, move: int, di: int, dj: int, cols: int) -> None:
        """Extend the live cells of row ``i`` by one move, keeping each reached cell's cheapest way."""
        j = live + int(self.lo[i])
        there = j + dj - int(self.lo[i + di])
        keep = (j + dj <= cols) & (there >= 0) & (there < self.width[i + di])
        if not keep.all():
            live, j, there = live[keep], j[keep], there[keep]
            if not live.size:
                return
        total = self.cost[i, live] + self._move_costs(i, j, di, dj)
        target = self.cost[i + di]
        better = total < target[there]
        if better.any():
            target[there[better]] = total[better]
            self.back[i + di, there[better]] = move

    def _move_costs(self, i: int, j: np.ndarray, di: int, dj: int) -> np.ndarray | float:
        """The cost of the move (di, dj) from cell (i, j), for each of the columns ``j``."""
        if not dj:
            return SKIP_COST
        source_kinds = set(self.source_kinds[i : i + di])
        merged = di + dj - 2
        if merged and not source_kinds <= MERGEABLE_KINDS:
            return math.inf
        if len(source_kinds) > 1:
            mismatch = np.ones(len(j), dtype=bool)
        else:
            code = self.kind_codes.get(next(iter(source_kinds)), -2)
            mismatch = self.target_kinds[j] != code
            for k in range(1, dj):
                mismatch |= self.target_kinds[j + k] != code
        source_length = self.source_before[i + di] - self.source_before[i]
        target_length = self.target_before[j + dj] - self.target_before[j]
        cost = np.full(len(j), PAIR_COST + MERGE_COST * merged)
        cost += np.where(mismatch, KIND_MISMATCH_COST, 0.0)
        cost += LENGTH_WEIGHT * np.abs(np.log(target_length / (source_length * self.ratio)))
        if self.scores is not None:
            cost += SIMILARITY_WEIGHT * (1.0 - self._run_similarity(i, j, di, dj))
        if merged:
            mergeable = self.target_mergeable[j]
            for k in range(1, dj):
                mergeable &= self.target_mergeable[j + k]
            cost[~mergeable] = math.inf
        return cost

    def _run_similarity(self, i: int, j: np.ndarray, di: int, dj: int) -> np.ndarray:
        """How alike a run of sources and a run of targets are: each segment of the longer side
        against the one segment of the other, weighted by length (a merged paragraph is like each
        of its parts), so one unrelated part pulls the run down."""
        if di == 1 and dj == 1:
            return self._similarity(i, j)
        total = np.zeros(len(j))
        if dj == 1:
            weight: float | np.ndarray = sum(self.source_lengths[i : i + di])
            for k in range(di):
                total += self.source_lengths[i + k] * self._similarity(i + k, j)
        else:
            weight = np.zeros(len(j))
            for k in range(dj):
                weight += self.target_lengths[j + k]
                total += self.target_lengths[j + k] * self._similarity(i, j + k)
        return total / weight

    def _similarity(self, i: int, j: np.ndarray) -> np.ndarray:
        """Scores of source ``i`` against the targets ``j`` (ascending), from a kept stretch of
        the row: the search reads rows in order, a few ahead, each about a band wide."""
        assert self.scores is not None
        first, last = int(j[0]), int(j[-1])
        kept = self._similarities.get(i)
        if kept is None or not kept[0] <= first or last >= kept[0] + len(kept[1]):
            start = max(0, first - BAND)
            stop = min(len(self.targets), last + BAND + 4)
            if kept is not None:  # widen what is kept rather than drop it
                start, stop = min(start, kept[0]), max(stop, kept[0] + len(kept[1]))
            kept = (start, _score_row(self.scores, i, start, stop))
            if len(self._similarities) >= 8 and i not in self._similarities:
                del self._similarities[next(iter(self._similarities))]  # the row read longest ago
            self._similarities[i] = kept
        return kept[1][j - kept[0]]


def _score_row(scores: Scores, i: int, start: int, stop: int) -> np.ndarray:
    """Scores of source ``i`` against targets ``start`` … ``stop - 1``."""
    row = getattr(scores, "row", None)
    if row is not None:
        return np.asarray(row(i, start, stop), dtype=np.float64)
    return np.array([scores[i, j] for j in range(start, stop)], dtype=np.float64)


def _joined(run: list[Segment], prefix: str) -> Segment:
    """One segment standing for several merged ones; their codes renamed so they cannot clash."""
    if len(run) == 1:
        return run[0]
    texts: list[str] = []
    spans: dict[str, Span] = {}
    for index, segment in enumerate(run):
        text, renamed = _renamed(segment.text, segment.spans, f"{prefix}m{index}.")
        texts.append(text)
        spans.update(renamed)
    first = run[0]
    return Segment(first.id, first.kind, " ".join(texts), spans, first.line, first.translate, first.meta)


def _merge_note(source_path: str, source_run: list[Segment], target_path: str, target_run: list[Segment]) -> str:
    def lines(path: str, run: list[Segment]) -> str:
        if len(run) == 1:
            return where(path, run[0])
        return f"{where(path, run[0])}–{run[-1].line or run[-1].id}"

    return f"{lines(source_path, source_run)} ↔ {lines(target_path, target_run)}: paragraphs merged or split in translation; checked together"


def where(path: str, segment: Segment) -> str:
    """``file:line`` of a segment, or ``file: segment ID`` when its reader records no line."""
    return f"{path}:{segment.line}" if segment.line else f"{path}: segment {segment.id}"


def _prefixed(text: str, spans: dict[str, Span]) -> tuple[str, dict[str, Span]]:
    """The translation's codes renamed ``t<id>`` so they cannot clash with the source's."""
    return _renamed(text, spans, TARGET_PREFIX)


def _renamed(text: str, spans: dict[str, Span], prefix: str) -> tuple[str, dict[str, Span]]:
    out = [
        markup.escape(token.value)
        if token.kind == "text"
        else markup.code_markup(markup.Token(token.kind, prefix + token.value))
        for token in markup.tokens(text)
    ]
    renamed = {
        prefix + code_id: Span(prefix + code_id, s.kind, s.opening, s.closing, s.paired, s.attrs)
        for code_id, s in spans.items()
    }
    return "".join(out), renamed


def _with_spans(segment: Segment, extra: dict[str, Span]) -> Segment:
    return Segment(
        segment.id,
        segment.kind,
        segment.text,
        {**segment.spans, **extra},
        segment.line,
        segment.translate,
        segment.meta,
    )


def _pair(seg_id: str, source: str, target: str, line: int | None) -> tuple[Segment, Translation]:
    source_text, source_spans = tagged(source)
    target_text, target_spans = tagged(target, TARGET_PREFIX)
    # Each row of a pair list is its own document for document-level rules (one row's style
    # says nothing about the next, unrelated one).
    segment = Segment(seg_id, "text", source_text, {**source_spans, **target_spans}, line=line, meta={"scope": seg_id})
    return segment, Translation(seg_id, target_text, origin="given")


def _build(path: str, fmt: str, rows: list[tuple[str, str, str, int | None]], problems: list[str]) -> Pairing:
    segments: list[Segment] = []
    translations: dict[str, Translation] = {}
    for seg_id, source, target, line in rows:
        segment, translation = _pair(seg_id, source, target, line)
        segments.append(segment)
        translations[seg_id] = translation
    if not segments:
        if problems:  # every line was bad: say what is wrong with the first one
            raise InputError(problems[0].removesuffix("; skipped") + _more(len(problems) - 1))
        raise InputError("no segment pairs found", path=path)
    return Pairing(Document(path, fmt, segments), translations, problems)


def _more(count: int) -> str:
    return f" (and {count} more bad line{'s' if count != 1 else ''})" if count else ""


def _read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from exc
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text", path=path) from exc


def _read_tsv(path: str) -> Pairing:
    rows: list[tuple[str, str, str, int | None]] = []
    problems: list[str] = []
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            problems.append(f"{path}:{number}: expected source<TAB>translation; skipped")
            continue
        if not rows and _is_header(parts[0], parts[1]):
            continue
        rows.append((f"l{number}", parts[0].strip(), parts[1].strip(), number))
    return _build(path, "tsv", rows, problems)


HEADER_WORDS = {"source", "src", "english", "en", "original"}, {"translation", "target", "tgt", "japanese", "ja"}


def _is_header(first: str, second: str) -> bool:
    """A first line naming its columns (``source<TAB>translation``) rather than a pair."""
    return first.strip().lower() in HEADER_WORDS[0] and second.strip().lower() in HEADER_WORDS[1]


def _read_jsonl(path: str) -> Pairing:
    rows: list[tuple[str, str, str, int | None]] = []
    problems: list[str] = []
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: not JSON ({exc.msg}); skipped")
            continue
        if (
            not isinstance(record, dict)
            or not isinstance(record.get("source"), str)
            or not isinstance(record.get("translation"), str)
        ):
            problems.append(f'{path}:{number}: expected {{"source": …, "translation": …}}; skipped')
            continue
        seg_id = str(record.get("id") or f"l{number}")
        rows.append((seg_id, record["source"], record["translation"], number))
    return _build(path, "jsonl", rows, problems)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _read_xliff(path: str) -> Pairing:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(_read_text(path).encode("utf-8"))
    except (ParseError, DefusedXmlException) as exc:
        raise InputError(f"not valid XLIFF: {exc}", path=path) from exc
    rows: list[tuple[str, str, str, int | None]] = []
    problems: list[str] = []
    for unit in root.iter():
        name = _local(unit.tag)
        if name == "trans-unit":
            containers = [unit]
        elif name == "unit":
            containers = [child for child in unit if _local(child.tag) == "segment"]
        else:
            continue
        for index, container in enumerate(containers, start=1):
            source = next((c for c in container if _local(c.tag) == "source"), None)
            target = next((c for c in container if _local(c.tag) == "target"), None)
            unit_id = unit.get("id") or str(len(rows) + 1)
            seg_id = unit_id if len(containers) == 1 else f"{unit_id}.{index}"
            if source is None or target is None:
                problems.append(f"{path}: unit {seg_id} has no {'source' if source is None else 'target'}; skipped")
                continue
            rows.append((seg_id, _inline_text(source), _inline_text(target), None))
    return _build(path, "xliff", rows, problems)


def _inline_text(element: object) -> str:
    """Plain text of a source/target element; inline codes contribute their text (content, or
    the ``equiv-text``/``disp`` of an empty code); whitespace collapsed as XLIFF readers show it."""
    parts: list[str] = []
    _walk(element, parts)
    return " ".join("".join(parts).split())


def _walk(element: object, parts: list[str]) -> None:
    parts.append(getattr(element, "text", None) or "")
    for child in element:  # type: ignore[attr-defined]
        if _local(child.tag) in ("ph", "x", "bx", "ex", "sc", "ec") and not (child.text or "").strip():
            parts.append(child.get("equiv-text") or child.get("equiv") or child.get("disp") or "")
        else:
            _walk(child, parts)
        parts.append(child.tail or "")
