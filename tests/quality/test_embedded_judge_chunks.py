"""The embedded-model judge estimates a long document in chunks (its features are about 2,000
float64 numbers a pair: 20,000 pairs at once held over 300 MB), each segment still getting its own
estimate, in order."""

from __future__ import annotations

import asyncio

from translator.quality.judges.base import JudgeItem
from translator.quality.judges.embedded import CHUNK, WRONG_SENTENCE, EmbeddedModelJudge
from translator.quality.qe.model import Estimate


class CountingModel:
    """Scores each pair by its number; remembers how many pairs each call was given."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def estimate(self, sources: list[str], translations: list[str]) -> list[Estimate]:
        self.calls.append(len(sources))
        return [Estimate(float(s.split()[-1]) % 100, 0.1, 0.8, s.endswith(" 7")) for s in sources]


def test_a_long_document_is_estimated_in_chunks_each_segment_keeping_its_own_estimate():
    count = 2 * CHUNK + 17
    items = [JudgeItem(f"p{n}", f"source {n}", f"translation {n}") for n in range(count)]
    model = CountingModel()
    judgements = asyncio.run(EmbeddedModelJudge(model).judge(items))  # type: ignore[arg-type]
    assert model.calls == [CHUNK, CHUNK, 17]
    assert [j.score for j in judgements] == [float(n % 100) for n in range(count)]
    flagged = [n for n, j in enumerate(judgements) if any(f.check == WRONG_SENTENCE for f in j.findings)]
    assert flagged == [7]
    assert judgements[7].findings[0].segment_id == "p7"
