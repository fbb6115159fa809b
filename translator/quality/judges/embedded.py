"""The embedded quality-estimation model as a judge: a 0–100 estimate for every segment, and a
finding when the translation reads like one of another sentence."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from ...types import Finding
from ..qe.model import QEModel
from .base import JudgeItem, Judgement

WRONG_SENTENCE = "qe.wrong-sentence"
# Pairs estimated at once: the head's features are about 2,000 float64 numbers a pair, so a
# document of 20,000 pairs in one batch would hold over 300 MB of them; in chunks memory stays
# flat and the encoder's own micro-batches are as full as before.
CHUNK = 512
WRONG_SENTENCE_MESSAGE = (
    "the Japanese does not seem to say what the English says (it reads like a translation of another "
    "sentence): read the English"
)


@dataclass
class EmbeddedModelJudge:
    model: QEModel
    name: str = "embedded"
    label: str = "embedded model"
    reads_back_translation: bool = False  # so a run may judge each batch as soon as it returns

    async def judge(self, items: Sequence[JudgeItem]) -> list[Judgement]:
        # Embedding is CPU work in numpy: off the event loop, so requests in flight keep moving.
        estimates = []
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            estimates += await asyncio.to_thread(
                self.model.estimate, [i.source for i in chunk], [i.translation for i in chunk]
            )
        judgements = []
        for item, estimate in zip(items, estimates, strict=True):
            findings = []
            if estimate.wrong_sentence:
                findings.append(
                    Finding(
                        item.segment_id,
                        WRONG_SENTENCE,
                        "critical",
                        WRONG_SENTENCE_MESSAGE,
                        found=f"similarity {estimate.similarity:.2f}, expected about {estimate.expected_similarity:.2f}",
                    )
                )
            judgements.append(Judgement(score=estimate.score, findings=findings))
        return judgements
