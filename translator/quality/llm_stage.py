"""The LLM judge inside a run: ``judge_backend`` (``--judge-backend``) names an LLM backend whose
model reviews every judged segment (see ``judges/llm.py``); the run hands the stage that model,
under its request limit and retries, and the stage asks it here.

Its error spans join the segment's findings (``llm.*``), so they weigh in the verdict like any
other finding, and its 0–100 MQM score goes into ``scores["judge.llm"]``, which the verdict
combines into ``scores.qe`` with the other scoring judges (counted once, like the default weights). A segment the model could not
judge (two unusable answers) gets a ``quality.llm-unavailable`` note, which does not count
against the translation.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..backends._llm import ChatModel
from ..config import Settings
from ..markup import plain
from ..types import Finding, Segment, Translation
from .judges.base import Judge, JudgeItem, Judgement
from .judges.combine import score_key
from .plaintext import plain_text

__all__ = ["ChatModel", "judge_with_llm"]

SCORE_KEY = score_key("llm")  # "judge.llm": combined into scores.qe with the other judges
UNAVAILABLE = "quality.llm-unavailable"
CONTEXT_CHARACTERS = 300  # of neighbouring source text each side: enough for a pronoun's referent

Item = tuple[Segment, Translation]


async def judge_with_llm(judge: Judge, items: Sequence[Item], settings: Settings) -> None:
    """Ask the judge about ``items`` and record what it says on their translations."""
    if not items:
        return
    judgements = await judge.judge(judge_items(items, settings))
    for (_segment, translation), judgement in zip(items, judgements, strict=True):
        record(translation, judgement, judge.label)


def judge_items(items: Sequence[Item], settings: Settings) -> list[JudgeItem]:
    sources = [plain(segment.text, segment.spans) for segment, _t in items]
    judged: list[JudgeItem] = []
    for index, (segment, translation) in enumerate(items):
        before = " ".join(sources[max(0, index - 2) : index])[-CONTEXT_CHARACTERS:]
        after = " ".join(sources[index + 1 : index + 3])[:CONTEXT_CHARACTERS]
        judged.append(
            JudgeItem(
                segment_id=segment.id,
                source=plain_text(segment.text, segment.spans).text,
                translation=plain_text(translation.text, segment.spans).text,
                kind=segment.kind,
                context=" … ".join(part for part in (before, after) if part),
                source_lang=settings.source,
                target_lang=settings.target,
            )
        )
    return judged


def record(translation: Translation, judgement: Judgement, label: str) -> None:
    translation.findings = [
        f for f in translation.findings if not f.check.startswith("llm.") and f.check != UNAVAILABLE
    ]
    if not judgement.available:
        translation.findings.append(
            Finding(
                translation.segment_id,
                UNAVAILABLE,
                "cosmetic",
                f"the {label} gave no usable answer for this segment, twice",
            )
        )
        translation.scores.pop(SCORE_KEY, None)
        return
    translation.findings.extend(judgement.findings)
    if judgement.score is not None:
        translation.scores[SCORE_KEY] = judgement.score
