"""The scoring judges work on two batches at once where there are two cores to run them.

The embedded model encodes on one core, in a thread that releases the interpreter's lock; a run
that judged one batch at a time left the second core idle for most of a large document."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence

import pytest

from translator.config import Settings
from translator.quality import stage as stage_module
from translator.quality.judges.base import JudgeItem, Judgement
from translator.quality.stage import build_quality_stage
from translator.types import Segment, Translation


class CountingJudge:
    """Holds each batch until told to go, counting how many it holds at once."""

    name = "counting"
    label = "counting judge"
    reads_back_translation = False

    def __init__(self) -> None:
        self.holding = 0
        self.most = 0

    async def judge(self, items: Sequence[JudgeItem]) -> list[Judgement]:
        self.holding += 1
        self.most = max(self.most, self.holding)
        await asyncio.sleep(0.05)  # the batch's encoding, off the event loop
        self.holding -= 1
        return [Judgement(score=50.0) for _ in items]


def judged_side_by_side(cores: int, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)), raising=False)
    judge = CountingJudge()

    async def run() -> None:
        stage = build_quality_stage(Settings(embedded_model=False))
        stage.judges = [judge]
        batches = [
            [
                (Segment(f"s{b}-{i}", "paragraph", f"Text {b} {i}."), Translation(f"s{b}-{i}", "テキスト。"))
                for i in range(3)
            ]
            for b in range(4)
        ]
        await asyncio.gather(*(stage.judge([judge], batch) for batch in batches))

    asyncio.run(run())
    return judge.most


def test_two_cores_judge_two_batches_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    assert judged_side_by_side(2, monkeypatch) == 2
    assert judged_side_by_side(8, monkeypatch) == 2  # each batch holds its embeddings: two at most


def test_one_core_judges_one_batch_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    assert judged_side_by_side(1, monkeypatch) == 1
    assert stage_module.judging_at_once() == 1
