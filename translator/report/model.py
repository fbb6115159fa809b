"""What a review report shows, as plain data built once from a run.

The JSON and HTML writers both read these objects, so the two reports always agree. Texts are
rendered to what a reader sees (``markup.plain``, the text findings point into): inline
codes dropped, protected originals kept, line breaks kept.
Only fields of the run's result objects are copied; settings are never read wholesale, so no key
or other secret can reach a report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from .. import __version__
from ..formats.questions.inline import MARKER_KIND
from ..formats.questions.model import refs as question_refs
from ..formats.questions.phrases import marker_spans
from ..markup import plain
from ..quality.scores import HIGHER_IS_BETTER, adequacy
from ..quality.summary import DocumentQuality
from ..types import Finding, RunSignature, Segment, Translation
from .highlight import Highlight, highlights

VERDICT_KEYS = ("ok", "review", "literal", "unchecked")  # "unchecked": no verdict (--no-check)


@dataclass(frozen=True)
class ReportSegment:
    id: str
    kind: str
    line: int | None
    source: str
    translation: str
    back_translation: str | None
    scores: dict[str, float]
    findings: list[Finding]
    highlights: list[Highlight]  # non-overlapping ranges of ``translation``
    verdict: str | None
    origin: str
    alternatives: list[dict[str, Any]]
    score: float | None  # the verdict metric on a 0–100 higher-is-better scale (TER inverted)

    @property
    def verdict_key(self) -> str:
        return self.verdict or "unchecked"


@dataclass(frozen=True)
class ReportQuestion:
    """A practice question's rows, read together: its stem, lettered options and explanation."""

    id: str
    line: int | None
    segments: list[str]  # its segment ids in reading order: stem, options, explanation
    letters: dict[str, str]  # option segment id → letter
    answer: list[str]
    multi_select: int = 0
    kept: dict[str, str] = field(default_factory=dict)  # segment id → source, for options with no row


@dataclass(frozen=True)
class ReportDocument:
    source: str
    format: str
    source_lang: str
    target_lang: str
    segments: list[ReportSegment]
    metric: str | None = None  # the metric verdicts use; None when nothing was checked
    scores: dict[str, float] = field(default_factory=dict)  # corpus-level, per metric
    signatures: dict[str, str] = field(default_factory=dict)
    back_translation: dict[str, Any] | None = None  # characters each choice costs
    thresholds: dict[str, float] | None = None
    skipped: int = 0  # segments with nothing to translate (code, numbers)
    questions: list[ReportQuestion] = field(default_factory=list)  # question sets: rows grouped
    judges: dict[str, list[str]] | None = None  # {"ran": [...], "not_run": [...]}; None when not checked
    judged_from: str = ""  # the same in words: "judged from: rules, …; no back-translation"

    @property
    def verdicts(self) -> dict[str, int]:
        counts = dict.fromkeys(VERDICT_KEYS, 0)
        for segment in self.segments:
            counts[segment.verdict_key] += 1
        return counts

    @property
    def score(self) -> float | None:
        """The document's corpus score of the verdict metric, as reported by sacrebleu."""
        return self.scores.get(self.metric) if self.metric else None


@dataclass(frozen=True)
class ReportMeta:
    """Run-level facts: what produced the translations and how they were measured."""

    tool_version: str
    created: str  # UTC, ISO-8601
    backend: str
    backend_options: str
    source_lang: str
    target_lang: str
    glossary_hash: str
    signatures: dict[str, str]
    stats: dict[str, int]
    costs: list[dict[str, Any]] = field(default_factory=list)  # what each stack sent, and its price


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def report_meta(
    signature: RunSignature | None,
    signatures: Mapping[str, str],
    stats: Mapping[str, int] | None = None,
    *,
    source_lang: str = "en",
    target_lang: str = "ja",
) -> ReportMeta:
    return ReportMeta(
        tool_version=signature.tool_version if signature and signature.tool_version else __version__,
        created=utc_now(),
        backend=signature.backend if signature else "",
        backend_options=signature.backend_options if signature else "",  # already without credentials
        source_lang=signature.source_lang if signature else source_lang,
        target_lang=signature.target_lang if signature else target_lang,
        glossary_hash=signature.glossary_hash if signature else "",
        signatures=dict(sorted(signatures.items())),
        stats=dict(stats or {}),
    )


def report_segment(
    segment: Segment, translation: Translation, metric: str | None, target_lang: str | None = None
) -> ReportSegment:
    # The translation as written: a multi-select marker reads （2 つ選択） as in the output file.
    written = segment.spans
    if target_lang and any(span.kind == MARKER_KIND for span in segment.spans.values()):
        written = marker_spans(segment.spans, target_lang)
    text = plain(translation.text, written)
    back = plain(translation.back_translation, segment.spans) if translation.back_translation else None
    value = translation.scores.get(metric) if metric else None
    return ReportSegment(
        id=segment.id,
        kind=segment.kind,
        line=segment.line,
        source=plain(segment.text, segment.spans),
        translation=text,
        back_translation=back,
        scores=dict(translation.scores),
        findings=list(translation.findings),
        highlights=highlights(text, translation.findings),
        verdict=translation.verdict,
        origin=translation.origin,
        alternatives=[_alternative(a, segment) for a in translation.alternatives],
        score=adequacy(metric, value) if metric in HIGHER_IS_BETTER and value is not None else None,
    )


def _alternative(record: Mapping[str, Any], segment: Segment) -> dict[str, Any]:
    """A ``--fix`` candidate with its texts rendered for reading; findings as plain dicts."""
    back = record.get("back_translation")
    return {
        "text": plain(str(record.get("text", "")), segment.spans),
        "origin": str(record.get("origin", "")),
        "backend": str(record.get("backend", "")),
        "back_translation": plain(back, segment.spans) if back else None,
        "scores": {str(k): float(v) for k, v in dict(record.get("scores") or {}).items()},
        "verdict": record.get("verdict"),
        "kept": bool(record.get("kept", False)),
        "findings": [finding_dict(f) for f in record.get("findings") or []],
    }


def finding_dict(finding: Finding | Mapping[str, Any]) -> dict[str, Any]:
    data = asdict(finding) if isinstance(finding, Finding) else dict(finding)
    span = data.get("span")
    return {
        "check": str(data.get("check", "")),
        "severity": str(data.get("severity", "")),
        "message": str(data.get("message", "")),
        "expected": data.get("expected"),
        "found": data.get("found"),
        "repaired": bool(data.get("repaired", False)),
        "span": list(span) if span else None,
    }


def report_document(
    document_source: str,
    document_format: str,
    segments: Iterable[Segment],
    translations: Mapping[str, Translation],
    quality: DocumentQuality | None,
    *,
    source_lang: str,
    target_lang: str,
    questions: Sequence[Any] = (),
) -> ReportDocument:
    """One document's rows: every segment that was translated (or given), in reading order.
    ``questions``: the reader's ``QuestionRef``s (``meta["questions"]``), to group rows by question."""
    metric = quality.metric if quality else None
    rows: list[ReportSegment] = []
    skipped = 0
    segments = list(segments)
    by_id = {segment.id: segment for segment in segments}
    for segment in segments:
        translation = translations.get(segment.id)
        if translation is None or translation.origin == "untranslated":
            skipped += 1 if segment.translate else 0
            continue
        rows.append(report_segment(segment, translation, metric, target_lang))
    shown = {row.id for row in rows}
    return ReportDocument(
        source=document_source,
        format=document_format,
        source_lang=source_lang,
        target_lang=target_lang,
        segments=rows,
        metric=metric,
        scores=dict(quality.scores) if quality else {},
        signatures=dict(quality.signatures) if quality else {},
        back_translation=quality.cost.as_dict() if quality else None,
        thresholds=asdict(quality.thresholds) if quality else None,
        skipped=skipped,
        questions=[group for ref in questions if (group := _question(ref, shown, by_id)) is not None],
        judges=quality.judges.as_dict() if quality else None,
        judged_from=quality.judges.words() if quality else "",
    )


def _question(ref: Any, shown: set[str], by_id: Mapping[str, Segment]) -> ReportQuestion | None:
    """A question's group; options kept as written (service names) are listed without a row."""
    members = [*ref.stem, *ref.options.values(), *ref.explanation]
    if not any(seg_id in shown for seg_id in members):
        return None
    letters = {seg_id: letter for letter, seg_id in ref.options.items()}
    kept = {
        seg_id: plain(by_id[seg_id].text, by_id[seg_id].spans)
        for seg_id in ref.options.values()
        if seg_id not in shown and seg_id in by_id
    }
    segments = [seg_id for seg_id in members if seg_id in shown or seg_id in kept]
    return ReportQuestion(str(ref.id), ref.line, segments, letters, list(ref.answer), int(ref.multi_select or 0), kept)


def documents_from_results(results: Iterable[Any], source_lang: str, target_lang: str) -> list[ReportDocument]:
    """``ReportDocument``s from ``DocumentResult``s (of ``translate`` or ``check``)."""
    documents = []
    for result in results:
        quality = result.document.quality
        documents.append(
            report_document(
                result.document.source,
                result.document.format,
                result.document.segments,
                result.translations,
                quality if isinstance(quality, DocumentQuality) else None,
                source_lang=source_lang,
                target_lang=target_lang,
                questions=question_refs(result.document),
            )
        )
    return documents
