"""Run-level quality results, and the terminal summary table.

The quality stage leaves a ``DocumentQuality`` in ``document.quality`` of each result
(``DocumentResult.document``), so anything holding the results — the terminal summary, the JSON and
HTML reports — can rebuild the run-level ``QualitySummary`` with ``summarize`` without access to
the stage.
"""

from __future__ import annotations

import heapq
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from rich.console import Console
from rich.table import Table

from ..markup import plain
from ..notices import safe_name
from ..types import Document, Segment, Translation
from .backtranslate import BackTranslationCost
from .judges.combine import COMBINED_SCORE, JudgesRan
from .scores import adequacy
from .verdict import RANK, VERDICTS, Thresholds, finding_weight


@dataclass
class DocumentQuality:
    """What the quality stage learned about one document, beyond the per-segment fields."""

    source: str
    metric: str  # the metric the verdict uses
    metrics: tuple[str, ...]
    scores: dict[str, float]  # corpus-level scores of the back-translated segments
    signatures: dict[str, str]  # sacrebleu signature strings, e.g. {"chrf.sentence": "nrefs:1|…"}
    verdicts: dict[str, int]  # counts per verdict
    cost: BackTranslationCost
    thresholds: Thresholds
    style: str
    rules_files: tuple[str, ...] = ()
    semantic: str = ""  # the model used, or why none was
    back_backend: str | None = None
    fix_backend: str | None = None
    fixed: int = 0  # segments whose --fix candidate was kept
    judges: JudgesRan = field(default_factory=lambda: JudgesRan(()))  # which judges ran, in words


@dataclass
class QualitySummary:
    documents: list[DocumentQuality] = field(default_factory=list)
    verdicts: dict[str, int] = field(default_factory=dict)
    cost: BackTranslationCost = field(default_factory=BackTranslationCost)
    signatures: dict[str, str] = field(default_factory=dict)


class HasResult(Protocol):
    document: Document
    translations: dict[str, Translation]


def results_of(run: Any) -> list[HasResult]:
    """The results of a ``TranslateRun`` (or a list of results) still held in memory."""
    outcomes = getattr(run, "outcomes", None)
    if outcomes is None:
        return list(run)
    return [o.result for o in outcomes if o.result is not None]


def qualities_of(run: Any) -> list[DocumentQuality]:
    """What each document scored, in the run's order: from its result, or from the compact record
    a run keeps once it has written and released the result (``JobOutcome.quality``)."""
    outcomes = getattr(run, "outcomes", None)
    if outcomes is None:
        found = [result.document.quality for result in run]
    else:
        found = [o.result.document.quality if o.result is not None else getattr(o, "quality", None) for o in outcomes]
    return [quality for quality in found if isinstance(quality, DocumentQuality)]


def summarize(run: Any) -> QualitySummary:
    summary = QualitySummary()
    counts: Counter[str] = Counter()
    for quality in qualities_of(run):
        summary.documents.append(quality)
        counts.update(quality.verdicts)
        summary.cost.mode = quality.cost.mode
        summary.cost.add(quality.cost)
        summary.signatures.update(quality.signatures)
    summary.verdicts = {v: counts.get(v, 0) for v in VERDICTS}
    return summary


@dataclass(frozen=True)
class Ranked:
    source: str
    segment_id: str
    source_text: str
    translation: Translation


WORST_SHOWN = 10  # segments the terminal summary lists


class WorstSegments:
    """The segments to read first (worst verdict, then lowest score, then most findings), kept as
    the documents finish: a bounded heap of ``limit`` candidates, so a run of millions of segments
    never sorts them all, and the plain text is made only for those shown."""

    def __init__(self, limit: int = WORST_SHOWN) -> None:
        self.limit = limit
        self._heap: list[tuple[tuple[float, ...], int, str, Segment, Translation]] = []
        self._added = 0  # order of arrival: ties keep document order, as a stable sort would

    def add(self, document: Document, translations: dict[str, Translation]) -> None:
        if self.limit <= 0:
            return
        quality = document.quality
        thresholds = quality.thresholds if isinstance(quality, DocumentQuality) else Thresholds()
        metric = quality.metric if isinstance(quality, DocumentQuality) else "chrf"
        segments = None
        for seg_id, translation in translations.items():
            if translation.verdict is None or translation.verdict == "ok":
                continue
            score = _estimate(translation, metric)
            key = (-RANK[translation.verdict], score, -finding_weight(translation.findings, thresholds))
            self._added += 1
            inverted = tuple(-part for part in key)  # heap[0] is then the worst of the kept: the first to drop
            if len(self._heap) >= self.limit and (inverted, -self._added) <= self._heap[0][:2]:
                continue
            if segments is None:
                segments = {s.id: s for s in document.segments}
            if seg_id not in segments:
                continue
            entry = (inverted, -self._added, document.source, segments[seg_id], translation)
            if len(self._heap) < self.limit:
                heapq.heappush(self._heap, entry)
            else:
                heapq.heapreplace(self._heap, entry)

    def top(self, limit: int | None = None) -> list[Ranked]:
        kept = sorted(self._heap, key=lambda entry: entry[:2], reverse=True)
        return [
            Ranked(source, segment.id, plain(segment.text, segment.spans), translation)
            for _key, _order, source, segment, translation in kept[: self.limit if limit is None else limit]
        ]


def worst_segments(run: Any, limit: int = WORST_SHOWN) -> list[Ranked]:
    """The segments to read first: worst verdict, then lowest score, then most findings."""
    kept = getattr(run, "worst", None)
    if isinstance(kept, WorstSegments) and kept.limit >= limit:
        return kept.top(limit)
    worst = WorstSegments(limit)
    for result in results_of(run):
        worst.add(result.document, result.translations)
    return worst.top()


VERDICT_STYLE = {"ok": "green", "review": "yellow", "literal": "red"}


def print_summary(console: Console, run: Any, *, limit: int = WORST_SHOWN) -> QualitySummary:
    """Counts per verdict and the worst segments, as rich tables."""
    summary = summarize(run)
    if not summary.documents:
        return summary
    counts = Table(title="Quality", title_justify="left")
    counts.add_column("document", overflow="fold", max_width=48)
    for verdict in VERDICTS:
        counts.add_column(verdict, justify="right", style=VERDICT_STYLE[verdict])
    counts.add_column("round trip", justify="right")
    for quality in summary.documents:
        score = quality.scores.get(quality.metric)
        counts.add_row(
            _display(quality.source),
            *(str(quality.verdicts.get(v, 0)) for v in VERDICTS),
            f"{quality.metric} {score:.1f}" if score is not None else "—",
        )
    if len(summary.documents) > 1:
        counts.add_row("total", *(str(summary.verdicts.get(v, 0)) for v in VERDICTS), "")
    console.print(counts)
    worst = worst_segments(run, limit)
    if worst:
        table = Table(title=f"Segments to read in English first (worst {len(worst)})", title_justify="left")
        table.add_column("segment", overflow="fold", max_width=24)
        table.add_column("verdict")
        table.add_column("score", justify="right")
        table.add_column("source", overflow="fold", max_width=40)
        table.add_column("why", overflow="fold", max_width=50)
        for item in worst:
            translation = item.translation
            found = _quality_for(summary.documents, item.source)
            metric = found.metric if found else "chrf"
            score = translation.scores.get(COMBINED_SCORE, translation.scores.get(metric))
            reasons = _reasons(translation.findings)
            table.add_row(
                item.segment_id if len(summary.documents) == 1 else f"{_short_name(item.source)}:{item.segment_id}",
                f"[{VERDICT_STYLE[translation.verdict or 'ok']}]{translation.verdict}[/]",
                f"{score:.1f}" if score is not None else "—",
                _clip(" ".join(item.source_text.split()), 120),
                _clip(reasons, 200),
            )
        console.print(table)
    for words in dict.fromkeys(quality.judges.words() for quality in summary.documents):
        console.print(words, highlight=False)
    cost = summary.cost
    console.print(
        f"back-translation: {cost.mode} — {cost.segments} segments, {cost.sent} characters sent "
        f"(all would cost {cost.all}, suspect {cost.suspect}, none 0)",
        highlight=False,
    )
    return summary


def _estimate(translation: Translation, metric: str) -> float:
    """The segment's 0–100 estimate: the combined one, else the round trip, else none (100)."""
    if COMBINED_SCORE in translation.scores:
        return translation.scores[COMBINED_SCORE]
    return adequacy(metric, translation.scores[metric]) if metric in translation.scores else 100.0


def _short_name(source: str) -> str:
    """A file's name (or a URL's last part): enough to tell the documents of one run apart."""
    return safe_name(source.rstrip("/").rsplit("/", 1)[-1] or source)


def _display(source: str) -> str:
    """A path relative to the working folder when it is inside it (tables stay narrow), with
    control characters made visible."""
    return safe_name(_relative(source))


def _relative(source: str) -> str:
    if "://" in source or source == "-":
        return source
    try:
        relative = os.path.relpath(source)
    except ValueError:
        return source
    return source if relative.startswith("..") else relative


def _quality_for(documents: Sequence[DocumentQuality], source: str) -> DocumentQuality | None:
    return next((d for d in documents if d.source == source), None)


def _reasons(findings: Iterable[Any]) -> str:
    """``check: found, found; check: →expected`` — each check once, with what it found."""
    grouped: dict[str, list[str]] = {}
    for finding in findings:
        if finding.repaired or finding.check.startswith("style."):
            continue
        found = grouped.setdefault(finding.check.removeprefix("rule."), [])
        # A missing glossary rendering has nothing to quote: name what was expected instead.
        what = finding.found or (
            f"→{finding.expected}" if finding.expected and finding.check.startswith("glossary.") else None
        )
        if what and what not in found:
            found.append(what)
    return "; ".join(f"{name}: {', '.join(found)}" if found else name for name, found in grouped.items())


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def verdict_counts(translations: Iterable[Translation]) -> dict[str, int]:
    counts = Counter(t.verdict for t in translations if t.verdict)
    return {v: counts.get(v, 0) for v in VERDICTS}
