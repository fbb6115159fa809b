"""``translator check``: judge a translation someone already has (from a browser, a vendor).

The same judging as ``translate`` runs on its own output — glossary verification, literalness
rules, style (reported, not rewritten), back-translation and scores, verdicts — on segments
paired from the user's files. The result has the shape of a ``translate`` run, so the terminal
summary and the reports read it the same way.
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

from .. import __version__
from ..allocator import return_large_buffers
from ..config import Settings
from ..jobs import Job
from ..pipeline import DocumentResult, DocumentStats
from ..quality.encoded import EncodedTexts
from ..quality.pairs import Pairing, read_pairs
from ..quality.qe.encoder import load_encoder
from ..quality.similarity import default_similarity
from ..quality.stage import build_quality_stage
from ..stages import GlossaryEnforcement
from ..types import RunSignature, Translation
from .backends import RunBackends, open_memory
from .roundtrip import PipelineBackTranslator
from .translate import JobOutcome, TranslateRun

FAIL_ON = ("literal", "review", "glossary", "never")


@dataclass(repr=False)
class CheckRun(TranslateRun):
    problems: list[str] = field(default_factory=list)  # structure differences found while pairing
    notes: list[str] = field(default_factory=list)  # merged or split paragraphs, checked together


def check_translation(
    source: str,
    translation: str | None,
    settings: Settings,
    *,
    glossary: GlossaryEnforcement | None = None,
    backend_url: str | None = None,
) -> CheckRun:
    return_large_buffers()  # the encoder's buffers must not stay in the heap once freed
    # Pairing two files encodes every paragraph; the embedded model then reads those encodings
    # back instead of encoding the same texts a second time.
    with EncodedTexts() as encoded:
        pairing = read_pairs(source, translation, default_similarity(encoded) if translation else None)
        document, translations = pairing.document, pairing.translations
        if glossary is not None:
            for segment in document.segments:
                translations[segment.id] = glossary.check(segment, translations[segment.id])
        with _reusing(encoded):
            asyncio.run(_assess(pairing, settings, glossary, backend_url))
    result = DocumentResult(document, translations, DocumentStats(segments=len(document.segments)))
    job = Job(source, translation, document.format)
    run = CheckRun(problems=pairing.problems, notes=pairing.notes)
    run.signature = RunSignature(
        backend="given",
        source_lang=settings.source,
        target_lang=settings.target,
        glossary_hash=glossary.content_hash if glossary is not None else "",
        tool_version=__version__,
    )
    run.outcomes.append(JobOutcome(job, result))
    run.stats.add(result.stats)
    return run


def _reusing(encoded: EncodedTexts) -> AbstractContextManager[None]:
    if not len(encoded):
        return nullcontext()
    encoder, _note = load_encoder()
    return encoder.reusing(encoded) if encoder is not None else nullcontext()


async def _assess(
    pairing: Pairing, settings: Settings, glossary: GlossaryEnforcement | None, backend_url: str | None
) -> None:
    """Judge the pairs; backends are built only when back-translation or the LLM judge is on."""
    if settings.back_translate == "none" and not settings.judge_backend:
        stage = build_quality_stage(settings, glossary=glossary, report_style=True)
        await stage.assess(pairing.document, pairing.translations)
        return
    memory = open_memory(settings)
    try:
        async with RunBackends(settings, url=backend_url, memory=memory) as backends:
            back = None
            if settings.back_translate != "none":
                back = PipelineBackTranslator(
                    await backends.back(), settings.source, settings.target, settings.concurrency
                )
            stage = build_quality_stage(
                settings,
                back_translator=back,
                glossary=glossary,
                report_style=True,
                judge_model=await backends.judge_model(),
            )
            await stage.assess(pairing.document, pairing.translations)
    finally:
        if memory:
            memory.close()


def failed(run: TranslateRun, fail_on: str) -> bool:
    """Whether ``--fail-on`` makes this run exit non-zero."""
    if fail_on == "never":
        return False
    translations: list[Translation] = [
        t for outcome in run.outcomes if outcome.result for t in outcome.result.translations.values()
    ]
    if fail_on == "glossary":
        return any(f.check.startswith("glossary.") and not f.repaired for t in translations for f in t.findings)
    worst = ("literal",) if fail_on == "literal" else ("literal", "review")
    return any(t.verdict in worst for t in translations)
