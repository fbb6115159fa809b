"""``--fix``: segments judged literal get a second translation; the better candidate is kept.

The second candidate comes from ``fix_backend`` (default: the forward backend). A backend that
takes instructions (an LLM) is told to write natural Japanese and given the glossary entries of
the batch. Both candidates are judged the same way (style, rules, round trip) and the one with
the better verdict — then the higher score, then the fewer findings — is kept; both are recorded
in ``Translation.alternatives``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Protocol

from ..backends.base import GlossaryPairs
from ..stages import GlossaryEnforcement
from ..types import Segment, Translation

NATURAL_JAPANESE = (
    "Write natural, fluent Japanese as AWS's Japanese documentation does, not a word-for-word rendering: "
    "leave out generic 'you' (no あなた), prefer the active voice over によって〜される, write 〜できます "
    "rather than 〜することができます, avoid long chains of の, and keep the です/ます style. "
    "Keep every inline tag and number exactly."
)


class FixInstructions:
    """A glossary stage for the fix pass: the run's glossary plus the natural-Japanese brief.

    Segments reaching the quality stage are already protected, so ``protect`` leaves them alone.
    """

    def __init__(self, glossary: GlossaryEnforcement | None) -> None:
        self._glossary = glossary
        self.content_hash = f"fix:{glossary.content_hash}" if glossary is not None else "fix"

    def protect(self, segment: Segment) -> Segment:
        return segment

    def native_pairs(self, source_lang: str, target_lang: str) -> GlossaryPairs | None:
        return self._glossary.native_pairs(source_lang, target_lang) if self._glossary else None

    def instructions(self, texts: Sequence[str], target_lang: str) -> str | None:
        glossary = self._glossary.instructions(texts, target_lang) if self._glossary else None
        return NATURAL_JAPANESE + (f"\n\n{glossary}" if glossary else "")

    def check(self, segment: Segment, translation: Translation) -> Translation:
        return self._glossary.check(segment, translation) if self._glossary else translation


class Retranslate(Protocol):
    """Second candidates from the fix backend; the run builds one (``translator.runs.roundtrip``)."""

    @property
    def name(self) -> str:
        """The backend, for the report."""
        ...

    async def __call__(
        self, segments: Sequence[Segment], glossary: GlossaryEnforcement, notes: dict[str, str] | None = None
    ) -> dict[str, Translation]:
        """A translation per segment id (``origin == "untranslated"`` where none came back);
        ``notes``: per segment id, the earlier translation and what was wrong with it."""
        ...


def reflection(translation_text: str, reasons: Sequence[str]) -> str:
    """What the fix backend is told about a segment: the earlier translation and, in plain words,
    what the judges found wrong with it (translate → reflect → improve)."""
    problems = "; ".join(reasons) if reasons else "it reads word for word"
    return f"Earlier translation: {translation_text}\nWhat was wrong: {problems}"


def candidate_record(translation: Translation, origin: str, backend: str, kept: bool) -> dict[str, object]:
    """One entry of ``Translation.alternatives`` (plain data, ready for a JSON report)."""
    return {
        "text": translation.text,
        "origin": origin,
        "backend": backend,
        "back_translation": translation.back_translation,
        "scores": dict(translation.scores),
        "verdict": translation.verdict,
        "findings": [asdict(f) for f in translation.findings],
        "kept": kept,
    }
