"""The quality stage of a run (``translator.pipeline.QualityStage``).

For each document, in order: Japanese style normalisation of the translations (after glossary
repair, before anything is judged); literalness rules per segment and per document; the choice of
segments to back-translate (``all`` | ``suspect`` — those a rule or the glossary already
questions — | ``none``) with the characters each choice costs; back-translation through a
backend; masked round-trip scores (and similarity); a verdict per segment; with ``--fix``, a
second candidate for each literal segment. What the document as a whole scored is left in
``document.meta["quality"]`` (see ``summary.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..config import Settings
from ..errors import ConfigError
from ..glossary.loader import load_glossary
from ..glossary.model import Glossary
from ..markup import plain
from ..pipeline import GlossaryStage, RunOptions, translate_document
from ..run import build_backend, open_memory
from ..types import Document, Finding, Segment, Translation
from .assess import Assessor
from .backtranslate import MODES, BackTranslationCost, BackTranslator, characters
from .fix import FixInstructions, candidate_record
from .rules import load_rules
from .scores import METRICS, Scorer, adequacy
from .semantic import SemanticModel, load_semantic
from .style import STYLES, differences, normalise
from .summary import META_KEY, DocumentQuality, verdict_counts
from .terms import TermIndex
from .verdict import RANK, Thresholds, counted, finding_weight

Item = tuple[Segment, Translation]

STYLE_MESSAGE = (
    "AWS Japanese style: half-width letters and digits, a space between Latin and Japanese words, "
    "、。 punctuation"
)


def build_stage(
    settings: Settings,
    *,
    fix: bool,
    backend_url: str | None = None,
    glossary: GlossaryStage | Glossary | None = None,
    report_style: bool = False,
) -> QualityStage:
    """The stage for a run. ``glossary``: the run's glossary stage (its ``.glossary`` is used)
    or a ``Glossary``; by default the shipped and configured glossaries are loaded.
    ``report_style``: report style differences as findings instead of rewriting (``check``)."""
    semantic, semantic_note = load_semantic()
    return QualityStage(
        settings,
        build_assessor(settings, glossary, semantic),
        fix=fix,
        backend_url=backend_url,
        glossary_stage=glossary if hasattr(glossary, "instructions") else None,  # type: ignore[arg-type]
        semantic_note=semantic_note,
        report_style=report_style,
    )


def build_assessor(
    settings: Settings, glossary: GlossaryStage | Glossary | None = None, semantic: SemanticModel | None = None
) -> Assessor:
    """Rules, glossary terms, scorer and thresholds as ``settings`` configure them (also what
    ``calibrate`` needs, without loading the embedding model it has no use for)."""
    if settings.back_translate not in MODES:
        raise ConfigError(f"back_translate must be one of {', '.join(MODES)}, not '{settings.back_translate}'")
    if settings.style not in STYLES:
        raise ConfigError(f"style must be one of {', '.join(STYLES)}, not '{settings.style}'")
    if settings.metric not in METRICS:
        raise ConfigError(f"metric must be one of {', '.join(METRICS)}, not '{settings.metric}'")
    resolved = getattr(glossary, "glossary", glossary)
    if not isinstance(resolved, Glossary):
        resolved = load_glossary(list(settings.glossaries))
    return Assessor(
        rules=load_rules(settings.target),
        terms=TermIndex(resolved, settings.target),
        scorer=Scorer(tuple(dict.fromkeys((settings.metric, *METRICS)))),
        metric=settings.metric,
        thresholds=Thresholds.from_config(settings.thresholds),
        semantic=semantic,
    )


@dataclass
class QualityStage:
    settings: Settings
    assessor: Assessor
    fix: bool = False
    backend_url: str | None = None
    glossary_stage: GlossaryStage | None = None
    semantic_note: str = ""
    report_style: bool = False
    documents: list[DocumentQuality] = field(default_factory=list)

    @property
    def style(self) -> str:
        """Style normalisation is Japanese-specific: other targets are left as translated."""
        return self.settings.style if self.settings.target.split("-")[0].lower() == "ja" else "none"

    @property
    def back_backend_name(self) -> str:
        return self.settings.back_backend or self.settings.backend

    async def assess(self, document: Document, translations: dict[str, Translation]) -> None:
        segments = {s.id: s for s in document.segments}
        items = [
            (segments[seg_id], t)
            for seg_id, t in translations.items()
            if seg_id in segments and t.origin != "untranslated"
        ]
        for segment, translation in items:
            self.normalise(segment, translation)
            translation.findings.extend(self.assessor.rule_findings(segment, translation))
        for finding in self.assessor.document_findings(items):
            translations[finding.segment_id].findings.append(finding)

        mode = self.settings.back_translate
        suspect = [(s, t) for s, t in items if counted(t.findings)]
        cost = BackTranslationCost(
            mode=mode,
            all=sum(characters(t, s) for s, t in items),
            suspect=sum(characters(t, s) for s, t in suspect),
        )
        chosen = items if mode == "all" else suspect if mode == "suspect" else []
        if chosen:
            cost.sent = await self.back_translate(chosen)
            cost.segments = len(chosen)
        for segment, translation in items:
            self.assessor.score(segment, translation)
            self.assessor.decide(translation)

        fixed = 0
        if self.fix:
            fixed = await self.fix_literal([(s, t) for s, t in items if t.verdict == "literal"], translations)
        self.record(document, [(s, translations[s.id]) for s, _t in items], cost, fixed)

    def normalise(self, segment: Segment, translation: Translation) -> None:
        """Rewrite the translation in the house style, or (``check``) report each difference."""
        styled = normalise(translation.text, segment.spans, self.style)
        if not self.report_style:
            translation.text = styled
            return
        if styled == translation.text:
            return
        before, after = plain(translation.text, segment.spans), plain(styled, segment.spans)
        translation.findings.extend(
            Finding(segment.id, f"style.{self.style}", "cosmetic", STYLE_MESSAGE, expected=expected, found=found)
            for found, expected in differences(before, after)
        )

    async def back_translate(self, items: Sequence[Item]) -> int:
        """Fill ``back_translation`` of ``items``; returns the characters sent."""
        name = self.back_backend_name
        url = self.backend_url if name == self.settings.backend else None
        memory = open_memory(self.settings)
        try:
            async with build_backend(self.settings, name, url) as backend:
                back = BackTranslator(backend, self.settings.source, self.settings.target, self.settings.concurrency, memory)
                texts, sent = await back.run(items)
        finally:
            if memory:
                memory.close()
        for segment, translation in items:
            translation.back_translation = texts.get(segment.id)
        return sent

    async def fix_literal(self, items: Sequence[Item], translations: dict[str, Translation]) -> int:
        """Second candidates for literal segments; returns how many replaced the first."""
        if not items:
            return 0
        name = self.settings.fix_backend or self.settings.backend
        url = self.backend_url if name == self.settings.backend else None
        options = RunOptions(
            source_lang=self.settings.source,
            target_lang=self.settings.target,
            concurrency=self.settings.concurrency,
            glossary=FixInstructions(self.glossary_stage),
        )
        synthetic = Document("fix", "text", [segment for segment, _t in items])
        async with build_backend(self.settings, name, url) as backend:
            result = await translate_document(synthetic, backend, options)
        candidates: list[Item] = []
        for segment, _original in items:
            candidate = result.translations.get(segment.id)
            if candidate is None or candidate.origin == "untranslated":
                continue
            candidate.origin = "fix"
            self.normalise(segment, candidate)
            candidate.findings.extend(self.assessor.rule_findings(segment, candidate))
            candidates.append((segment, candidate))
        with_back = [(s, c) for s, c in candidates if translations[s.id].back_translation is not None]
        if with_back:
            await self.back_translate(with_back)
        replaced = 0
        for segment, candidate in candidates:
            self.assessor.score(segment, candidate)
            self.assessor.decide(candidate)
            original = translations[segment.id]
            better = self._rank(candidate) < self._rank(original)
            records = [
                candidate_record(original, original.origin, self.settings.backend, kept=not better),
                candidate_record(candidate, "fix", name, kept=better),
            ]
            if better:
                candidate.alternatives = records
                translations[segment.id] = candidate
                replaced += 1
            else:
                original.alternatives = records
        return replaced

    def _rank(self, translation: Translation) -> tuple[float, float, float]:
        metric = self.assessor.metric
        score = adequacy(metric, translation.scores[metric]) if metric in translation.scores else 0.0
        weight = finding_weight(translation.findings, self.assessor.thresholds)
        return (RANK[translation.verdict or "literal"], -score, weight)

    def record(self, document: Document, items: Sequence[Item], cost: BackTranslationCost, fixed: int) -> None:
        pairs = [
            self.assessor.masked(segment, translation.back_translation)
            for segment, translation in items
            if translation.back_translation is not None and self.assessor.metric in translation.scores
        ]
        scorer = self.assessor.scorer
        corpus = scorer.corpus([h for h, _r in pairs], [r for _h, r in pairs])
        quality = DocumentQuality(
            source=document.source,
            metric=self.assessor.metric,
            metrics=scorer.metrics,
            scores=corpus,
            signatures=dict(scorer.signatures),
            verdicts=verdict_counts(t for _s, t in items),
            cost=cost,
            thresholds=self.assessor.thresholds,
            style=self.style,
            rules_files=self.assessor.rules.files,
            semantic=self.semantic_note,
            back_backend=self.back_backend_name if cost.segments else None,
            fix_backend=(self.settings.fix_backend or self.settings.backend) if self.fix else None,
            fixed=fixed,
        )
        document.meta[META_KEY] = quality
        self.documents.append(quality)

