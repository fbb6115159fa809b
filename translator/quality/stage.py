"""The quality stage of a run (what ``translator.stages.QualityAssessment`` asks for).

For each document, in order: Japanese style normalisation of the translations (after glossary
repair, before anything is judged); literalness rules per segment and per document; the choice of
segments to back-translate (``all`` | ``suspect`` — those a rule or the glossary already
questions — | ``none``) with the characters each choice costs; back-translation through the
back-translator the run hands it (it never builds a backend itself); masked round-trip scores (and similarity); a verdict per segment; with ``--fix``, a
second candidate for each literal segment. What the document as a whole scored is left in
``document.quality`` (see ``summary.py``).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config import Settings
from ..errors import ConfigError
from ..glossary.loader import load_glossary
from ..glossary.matcher import Matcher
from ..glossary.model import Glossary
from ..markup import plain
from ..stages import GlossaryEnforcement
from ..types import Document, Finding, Segment, Translation
from .assess import Assessor
from .backtranslate import MODES, BackTranslate, BackTranslationCost, characters
from .finding_names import reasons
from .fix import FixInstructions, Retranslate, candidate_record, reflection
from .judges.base import Judge, JudgeItem, Judgement
from .judges.combine import judges_ran, score_key
from .judges.embedded import EmbeddedModelJudge
from .judges.llm import LLMJudge
from .llm_stage import ChatModel, judge_with_llm
from .offload import CheckOffload, HeldScore, HeldScores, unpacked
from .plaintext import plain_text
from .qe.model import load_model
from .rules import load_rules
from .scores import METRICS, PooledStatistics, Scorer, Statistics, adequacy
from .semantic import SemanticModel, load_semantic
from .style import STYLES, differences, normalise
from .summary import DocumentQuality, verdict_counts
from .terms import TermIndex
from .verdict import RANK, Thresholds, finding_weight, questioned

Item = tuple[Segment, Translation]

STYLE_MESSAGE = (
    "AWS Japanese style: half-width letters and digits, a space between Latin and Japanese words, 、。 punctuation"
)


def judging_at_once() -> int:
    """Batches the scoring judges may work on side by side: one per usable core, at most two."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


def build_quality_stage(
    settings: Settings,
    *,
    back_translator: BackTranslate | None = None,
    fixer: Retranslate | None = None,
    glossary: GlossaryEnforcement | Glossary | None = None,
    report_style: bool = False,
    judge_model: ChatModel | None = None,
    all_metrics: bool = True,
    offload: bool = False,
) -> QualityStage:
    """The stage for a run. ``back_translator``/``fixer``: built by the run around its backends
    (None: no back-translation / no ``--fix``). ``glossary``: the run's glossary stage (its
    ``.glossary`` is used) or a ``Glossary``; by default the shipped and configured glossaries are
    loaded. ``report_style``: report style differences as findings instead of rewriting (``check``).
    ``judge_model``: the LLM the run's LLM judge asks (``judge_backend``), if any.
    ``all_metrics``: every metric per segment, as a JSON report lists them; False scores only
    the configured metric (all verdicts and the terminal summary use), a third of the cost.
    ``offload``: the per-segment rules and round-trip scores may run in a second process once
    the run is large enough (``offload.py``); the caller then calls ``close`` at the run's end."""
    semantic, semantic_note = load_semantic()
    if settings.embedded_model:
        model, model_note = load_model(settings.qe_head)
    else:
        model, model_note = None, "no embedded model (turned off: --no-embedded-model / embedded_model = false)"
    assessor = build_assessor(settings, glossary, semantic, all_metrics=all_metrics)
    llm_judge = None
    if judge_model is not None:
        llm_judge = LLMJudge(
            judge_model,
            terms=assessor.terms,
            concurrency=settings.concurrency,
            model_name=str(getattr(judge_model, "model", "")),
        )
    stage = QualityStage(
        settings,
        assessor,
        llm_judge=llm_judge,
        back_translator=back_translator,
        fixer=fixer,
        glossary_stage=glossary if not isinstance(glossary, Glossary) else None,
        semantic_note=semantic_note,
        report_style=report_style,
        judges=[EmbeddedModelJudge(model)] if model is not None else [],
        embedded_note=model_note,
    )
    if offload:
        stage.offload = CheckOffload(assessor)
    return stage


def build_assessor(
    settings: Settings,
    glossary: GlossaryEnforcement | Glossary | None = None,
    semantic: SemanticModel | None = None,
    *,
    all_metrics: bool = True,
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
        terms=TermIndex(resolved, settings.target, matcher=_shared_matcher(glossary, resolved, settings.target)),
        scorer=Scorer(tuple(dict.fromkeys((settings.metric, *METRICS))) if all_metrics else (settings.metric,)),
        metric=settings.metric,
        thresholds=Thresholds.from_config(settings.thresholds),
        semantic=semantic,
    )


def _shared_matcher(glossary: object, resolved: Glossary, target: str) -> Matcher | None:
    """The glossary stage's matcher when it matches the same glossary for the same target, so the
    quality checks read the matches protect and check found instead of matching again."""
    matcher = getattr(glossary, "matcher", None)
    if isinstance(matcher, Matcher) and getattr(glossary, "target_lang", None) == target:
        return matcher
    return None


@dataclass
class QualityStage:
    settings: Settings
    assessor: Assessor
    back_translator: BackTranslate | None = None
    fixer: Retranslate | None = None
    llm_judge: LLMJudge | None = None  # asked with neighbouring context; see llm_stage.py
    glossary_stage: GlossaryEnforcement | None = None
    semantic_note: str = ""
    report_style: bool = False
    judges: list[Judge] = field(default_factory=list)  # scoring judges, run on every judged segment
    embedded_note: str = ""  # the embedded model used, or why none was
    documents: list[DocumentQuality] = field(default_factory=list)
    offload: CheckOffload | None = None  # the run's check worker, when the caller allows one
    # Batches judged at once: the embedded model's encoder runs on one core (one BLAS thread,
    # encoder.py), in a thread that releases the interpreter's lock, so a batch per usable core
    # (at most two: each holds its slice's embeddings) keeps a large run from waiting on one core
    # while the others idle. On one core, one at a time.
    _judging: asyncio.Semaphore = field(
        default_factory=lambda: asyncio.Semaphore(judging_at_once()), init=False, repr=False
    )

    def close(self) -> None:
        """Stop the check worker, if one started (the run's end, also on errors and Ctrl-C)."""
        if self.offload is not None:
            self.offload.close()

    @property
    def scores_offloaded(self) -> bool:
        """Round-trip scores go to the worker (once it runs; not with the semantic model, which
        is not sent there)."""
        return self.offload is not None and self.offload.running and self.assessor.semantic is None

    @property
    def style(self) -> str:
        """Style normalisation is Japanese-specific: other targets are left as translated."""
        return self.settings.style if self.settings.target.split("-")[0].lower() == "ja" else "none"

    async def assess(self, document: Document, translations: dict[str, Translation]) -> None:
        """Judge a document whose translations all exist (``check``, or a caller without batches)."""
        checks = self.start(document)
        segments = {s.id: s for s in document.segments}
        checks.add(
            [
                (segments[seg_id], t)
                for seg_id, t in translations.items()
                if seg_id in segments and t.origin != "untranslated"
            ]
        )
        try:
            await checks.finish(translations)
        except BaseException:
            await checks.cancel()
            raise

    def start(self, document: Document) -> DocumentChecks:
        """The checks of one document, fed batch by batch as its translations arrive."""
        return DocumentChecks(self, document)

    async def estimate(self, items: Sequence[Item], judges: Sequence[Judge] | None = None) -> None:
        """Every scoring judge's score and findings for every item (one batch per judge)."""
        judges = self.judges if judges is None else judges
        if not judges or not items:
            return
        for (_segment, translation), per_judge in zip(items, await self.judge(judges, items), strict=True):
            for judge, judgement in zip(judges, per_judge, strict=True):
                _apply(judge, translation, judgement)

    async def judge(self, judges: Sequence[Judge], items: Sequence[Item]) -> list[list[Judgement]]:
        """Per item, one judgement of each of ``judges`` (left on no translation)."""
        if not judges or not items:
            return [[] for _ in items]
        judge_items = [
            JudgeItem(
                segment.id,
                plain_text(segment.text, segment.spans).text,
                plain_text(translation.text, segment.spans).text,
                kind=segment.kind,
                back_translation=plain_text(translation.back_translation, segment.spans).text
                if translation.back_translation is not None
                else None,
                source_lang=self.settings.source,
                target_lang=self.settings.target,
            )
            for segment, translation in items
        ]
        async with self._judging:
            per_judge = [await judge.judge(judge_items) for judge in judges]
        return [[judgements[index] for judgements in per_judge] for index in range(len(items))]

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
        if self.back_translator is None:
            return 0
        texts, sent = await self.back_translator(items)
        for segment, translation in items:
            translation.back_translation = texts.get(segment.id)
        return sent

    async def fix_literal(
        self,
        items: Sequence[Item],
        translations: dict[str, Translation],
        statistics: dict[str, Statistics | None] | None = None,
    ) -> int:
        """Second candidates for literal segments; returns how many replaced the first (whose
        score statistics then replace the first's in ``statistics``)."""
        if not items or self.fixer is None:
            return 0
        name = self.fixer.name
        notes = {
            segment.id: reflection(plain(translation.text, segment.spans), reasons(translation.findings))
            for segment, translation in items
        }
        second = await self.fixer([segment for segment, _t in items], FixInstructions(self.glossary_stage), notes)
        candidates: list[Item] = []
        for segment, _original in items:
            candidate = second.get(segment.id)
            if candidate is None or candidate.origin == "untranslated":
                continue
            candidate.origin = "fix"
            self.normalise(segment, candidate)
            candidate.findings.extend(self.assessor.rule_findings(segment, candidate))
            candidates.append((segment, candidate))
        with_back = [(s, c) for s, c in candidates if translations[s.id].back_translation is not None]
        if with_back:
            await self.back_translate(with_back)
        await self.estimate(candidates)
        if self.llm_judge is not None:  # judged alike, so the comparison is fair
            await judge_with_llm(self.llm_judge, candidates, self.settings)
        replaced = 0
        for segment, candidate in candidates:
            candidate_statistics = self.assessor.score(segment, candidate)
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
                if statistics is not None:
                    statistics[segment.id] = candidate_statistics
                replaced += 1
            else:
                original.alternatives = records
        return replaced

    def _rank(self, translation: Translation) -> tuple[float, float, float]:
        metric = self.assessor.metric
        if "qe" in translation.scores:
            score = translation.scores["qe"]
        else:
            score = adequacy(metric, translation.scores[metric]) if metric in translation.scores else 0.0
        weight = finding_weight(translation.findings, self.assessor.thresholds)
        return (RANK[translation.verdict or "literal"], -score, weight)

    def record(
        self,
        document: Document,
        items: Sequence[Item],
        cost: BackTranslationCost,
        fixed: int,
        statistics: dict[str, Statistics | None] | PooledStatistics,
    ) -> None:
        """The document's ``DocumentQuality``. ``statistics``: each segment's (pooled here, for
        those scored with the verdict metric), or already pooled as they were scored."""
        scorer = self.assessor.scorer
        if isinstance(statistics, PooledStatistics):
            corpus = scorer.corpus_of(statistics)
        else:
            corpus = scorer.corpus_from(
                found
                for segment, translation in items
                if self.assessor.metric in translation.scores and (found := statistics.get(segment.id)) is not None
            )
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
            judges=judges_ran(
                back_translated=sum(1 for _s, t in items if t.back_translation is not None),
                semantic=self.assessor.semantic is not None,
                embedded_note=None if any(j.name == "embedded" for j in self.judges) else self.embedded_note,
                rule_files=self.assessor.rules.files,
                others=[j.label for j in self.judges if j.name != "embedded"]
                + ([self.llm_judge.label] if self.llm_judge else []),
            ),
            back_backend=self.back_translator.name if cost.segments and self.back_translator else None,
            fix_backend=self.fixer.name if self.fixer else None,
            fixed=fixed,
        )
        document.quality = quality
        self.documents.append(quality)


SCORE_CHUNK = 200  # segments scored between two returns to the event loop


class DocumentChecks:
    """One document's checks, fed as its batches return.

    ``add`` does at once what a segment allows on its own: house style, the literalness rules,
    and (``back_translate = "all"``, or ``"suspect"`` for a segment a rule questions) queues its
    back-translation, sent a batch at a time while the document's other batches are still out;
    scoring judges that do not read the back-translation (the embedded model) start too, off the
    event loop. ``finish`` does what needs the whole document, in the order ``assess`` always had:
    document-wide rules, back-translation of what they newly question, the judges' findings and
    scores, verdicts, ``--fix``, the document's record. Verdicts therefore do not depend on how
    the batches arrived.

    With the run's check worker running (``offload.py``), each batch's rules are computed there
    and applied (and its back-translation chosen) when they return, batch after batch in arrival
    order; each back-translated group is scored there as soon as it returns, and ``finish``
    applies those scores at the point and in the order it computes them in-process. What a
    segment ends with is the same either way."""

    def __init__(self, stage: QualityStage, document: Document) -> None:
        self.stage = stage
        self.document = document
        self.mode = stage.settings.back_translate if stage.back_translator is not None else "none"
        self.batch_texts = max(1, int(getattr(stage.back_translator, "batch_texts", 50)))
        self.items: list[Item] = []
        self.queued: list[Item] = []  # to back-translate, not yet sent
        self.back_translating: set[str] = set()  # segment ids queued or sent
        self.tasks: list[asyncio.Future[Any]] = []  # back-translations and early judgements
        self.ruling: list[asyncio.Future[None]] = []  # batches whose rules the worker is checking
        # Back-translated groups the worker is scoring: their items and the future of their results.
        self.scoring: list[tuple[list[Item], asyncio.Future[list[HeldScore]]]] = []
        self.held = HeldScores()
        self.early: dict[str, list[Judgement]] = {}  # segment id → a judgement per early judge
        self.early_judges = [j for j in stage.judges if not getattr(j, "reads_back_translation", True)]

    def add(self, items: Sequence[Item]) -> None:
        if not items:
            return
        for segment, translation in items:
            self.stage.normalise(segment, translation)
        offload = self.stage.offload
        if offload is not None and offload.wanted(len(items)):
            items = list(items)
            previous = self.ruling[-1] if self.ruling else None
            self.ruling.append(asyncio.ensure_future(self._rules_in_worker(items, previous)))
        else:
            for segment, translation in items:
                translation.findings.extend(self.stage.assessor.rule_findings(segment, translation))
            self._choose(items)
        self.items.extend(items)
        if self.early_judges:
            self.tasks.append(asyncio.ensure_future(self._judge_early(list(items))))

    def _choose(self, items: Sequence[Item]) -> None:
        """Queue the back-translation of what the mode asks for, once a batch's rules are in."""
        if self.mode == "all":
            self._queue(items)
        elif self.mode == "suspect":
            self._queue([(s, t) for s, t in items if questioned(t.findings)])

    async def _rules_in_worker(self, items: list[Item], previous: asyncio.Future[None] | None) -> None:
        found = await self.stage.offload.rule_findings(items)  # type: ignore[union-attr]
        if previous is not None:
            await previous  # applied in arrival order, so back-translations are grouped as in-process
        for (_segment, translation), findings in zip(items, found, strict=True):
            translation.findings.extend(findings)
        self._choose(items)

    def _queue(self, items: Sequence[Item], *, flush: bool = False) -> None:
        for segment, translation in items:
            if segment.id not in self.back_translating:
                self.back_translating.add(segment.id)
                self.queued.append((segment, translation))
        while self.queued and (flush or len(self.queued) >= self.batch_texts):
            group, self.queued = self.queued[: self.batch_texts], self.queued[self.batch_texts :]
            self.tasks.append(asyncio.ensure_future(self._back_translate(group)))

    async def _back_translate(self, group: list[Item]) -> int:
        sent = await self.stage.back_translate(group)
        offload = self.stage.offload
        if offload is not None and self.stage.scores_offloaded:
            # Scored now, while the document's other batches are still out, not all at its end.
            scored = [(s, t) for s, t in group if t.back_translation is not None]
            if scored:
                self.scoring.append((scored, asyncio.ensure_future(self._held_scores(scored))))
        return sent

    async def _held_scores(self, items: list[Item]) -> list[HeldScore]:
        """The worker's scores of ``items``, compact until ``finish`` applies them."""
        held = self.held.compact(await self.stage.offload.scores(items))  # type: ignore[union-attr]
        if self.stage.fixer is None:
            # The glossary matches protect left on these segments (about 0.4 KB each) have had
            # their last reader: the rules ran before the back-translation was chosen, and the
            # scores are in. Only --fix reads them again, for its second candidates.
            for segment, _translation in items:
                segment.glossary_terms = None
        return held

    async def _judge_early(self, items: list[Item]) -> int:
        judgements = await self.stage.judge(self.early_judges, items)
        for (segment, _translation), per_judge in zip(items, judgements, strict=True):
            self.early[segment.id] = per_judge
        return 0

    async def finish(self, translations: dict[str, Translation]) -> None:
        stage = self.stage
        # Document order, whatever order the batches came back in; a translation the arrivals
        # replaced since is the one judged.
        order = {segment_id: index for index, segment_id in enumerate(translations)}
        items = sorted(self.items, key=lambda item: order.get(item[0].id, len(order)))
        ruling, self.ruling = self.ruling, []
        await self._gather(ruling)  # every batch's rule findings are in
        for finding in stage.assessor.document_findings(items):
            translations[finding.segment_id].findings.append(finding)

        suspect = [(s, t) for s, t in items if questioned(t.findings)]
        cost = BackTranslationCost(
            mode=self.mode,
            all=sum(characters(t, s) for s, t in items),
            suspect=sum(characters(t, s) for s, t in suspect),
        )
        chosen = items if self.mode == "all" else suspect if self.mode == "suspect" else []
        self._queue(chosen, flush=True)
        outcomes = await self._settle()
        if chosen:
            cost.sent = sum(outcomes)
            cost.segments = len(chosen)
        for segment, translation in items:  # the early judges' findings, after the choice above
            for judge, judgement in zip(self.early_judges, self.early.pop(segment.id, []), strict=True):
                _apply(judge, translation, judgement)
        await stage.estimate(items, [j for j in stage.judges if j not in self.early_judges])
        if stage.llm_judge is not None:
            await judge_with_llm(stage.llm_judge, items, stage.settings)
        # Each segment's statistics pooled for the corpus score as it is scored; kept per segment
        # only with --fix, whose second candidate may replace a segment's.
        statistics: dict[str, Statistics | None] | PooledStatistics = (
            {} if stage.fixer is not None else PooledStatistics()
        )
        scored = await self._worker_scores(items)
        for index, (segment, translation) in enumerate(items):
            known = scored.pop(segment.id, None)  # applied: released
            if known is not None and known[0] is translation:
                findings, scores, packed, signatures = known[1]
                translation.findings.extend(findings)
                translation.scores.update(scores)
                found = unpacked(packed)
                for key, signature in signatures.items():
                    stage.assessor.scorer.signatures.setdefault(key, signature)
            else:
                found = stage.assessor.score(segment, translation)
            stage.assessor.decide(translation)
            if isinstance(statistics, dict):
                statistics[segment.id] = found
            elif found is not None and stage.assessor.metric in translation.scores:
                statistics.add(found)  # as ``record`` pools them, in the same order
            if index % SCORE_CHUNK == SCORE_CHUNK - 1:
                await asyncio.sleep(0)  # let the other documents' requests go out meanwhile

        fixed = 0
        if stage.fixer is not None:
            assert isinstance(statistics, dict)
            literal = [(s, t) for s, t in items if t.verdict == "literal"]
            fixed = await stage.fix_literal(literal, translations, statistics)
        stage.record(self.document, [(s, translations[s.id]) for s, _t in items], cost, fixed, statistics)

    async def _worker_scores(self, items: Sequence[Item]) -> dict[str, tuple[Translation, HeldScore]]:
        """Segment id → (the translation scored, what ``Assessor.score`` gave it) for what the
        worker scored: the groups scored as they returned, then (when the worker started late in
        the document) the rest; empty when scores are computed in-process."""
        scoring, self.scoring = self.scoring, []
        offload = self.stage.offload
        if offload is None or not self.stage.scores_offloaded:
            await _cancel([future for _items, future in scoring])
            return {}
        done = {s.id for group, _future in scoring for s, _t in group}  # each segment is in items once
        rest = [(s, t) for s, t in items if t.back_translation is not None and s.id not in done]
        for first in range(0, len(rest), SCORE_CHUNK):
            group = rest[first : first + SCORE_CHUNK]
            scoring.append((group, asyncio.ensure_future(self._held_scores(group))))
        results = await self._gather([future for _items, future in scoring])
        return {
            segment.id: (translation, result)
            for (group, _future), found in zip(scoring, results, strict=True)
            for (segment, translation), result in zip(group, found, strict=True)
        }

    async def _settle(self) -> list[int]:
        """Wait for everything ``add`` started; the first failure cancels the rest."""
        tasks, self.tasks = self.tasks, []
        return await self._gather(tasks)

    @staticmethod
    async def _gather(tasks: Sequence[asyncio.Future[Any]]) -> list[Any]:
        try:
            return list(await asyncio.gather(*tasks))
        except BaseException:
            await _cancel(tasks)
            raise

    async def cancel(self) -> None:
        tasks = [*self.tasks, *self.ruling, *(future for _items, future in self.scoring)]
        self.tasks, self.ruling, self.scoring = [], [], []
        await _cancel(tasks)


async def _cancel(tasks: Sequence[asyncio.Future[Any]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _apply(judge: Judge, translation: Translation, judgement: Judgement) -> None:
    if judgement.available and judgement.score is not None:
        translation.scores[score_key(judge.name)] = judgement.score
    translation.findings.extend(judgement.findings)
