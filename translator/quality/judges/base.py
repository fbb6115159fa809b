"""The contract every quality judge meets: a batch of segments in, one judgement per segment out.

A judge is one signal about how far a translation can be trusted: the literalness rules, the
glossary, the numbers check, the round-trip score of a back-translation, the embedded
quality-estimation model, an LLM asked for error spans. Each gives, per segment, a score from 0 to
100 (higher is better; ``None`` when it has no opinion on that segment, e.g. a rule set that found
nothing says nothing about quality) and zero or more findings. The verdict (see ``verdict.py``)
combines the judges that ran, with the weights and thresholds of ``[thresholds]``.

Judges receive plain text (what a reader sees, see ``plaintext.py``) plus the segment's role and
neighbouring context, never the backend's wire format, so a judge written for ``check`` serves
``translate`` unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from ...types import Finding


@dataclass(frozen=True)
class JudgeItem:
    """One segment to judge."""

    segment_id: str
    source: str  # plain source text
    translation: str  # plain translation
    kind: str = "paragraph"  # the segment's role: heading, paragraph, list-item, question, option, cue, …
    context: str = ""  # neighbouring source text (not to be judged), may be empty
    back_translation: str | None = None  # plain back-translation, when one was made
    source_lang: str = "en"
    target_lang: str = "ja"


@dataclass
class Judgement:
    """What one judge says about one segment."""

    score: float | None = None  # 0–100, higher is better; None: no opinion
    findings: list[Finding] = field(default_factory=list)
    available: bool = True  # False when the judge could not judge this segment (a bad LLM answer)


@runtime_checkable
class Judge(Protocol):
    """A quality signal. ``name`` is the stable id used in reports and ``[thresholds]``;
    ``label`` is how the terminal summary and the HTML report name it in words."""

    name: str
    label: str

    async def judge(self, items: Sequence[JudgeItem]) -> list[Judgement]:
        """One ``Judgement`` per item, in order."""
        ...
