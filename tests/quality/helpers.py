"""Shared builders: segments from plain text, a small glossary, an assessor like a run's."""

from __future__ import annotations

from pathlib import Path

from translator.glossary.model import Entry, Glossary, Rendering
from translator.quality.assess import Assessor
from translator.quality.rules import load_rules
from translator.quality.scores import Scorer
from translator.quality.terms import TermIndex
from translator.quality.verdict import Thresholds
from translator.segmenter import tagged
from translator.types import Segment, Translation

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "samples" / "corpus"

GLOSSARY = Glossary(
    (
        Entry("inference", targets={"ja": Rendering("推論", forbidden=("インファレンス", "推測"))}),
        Entry("foundation model", targets={"ja": Rendering("基盤モデル", forbidden=("ファウンデーションモデル",))}),
        Entry("Amazon SageMaker", case="exact", keep=True),
    )
)


def assessor(glossary: Glossary = GLOSSARY) -> Assessor:
    return Assessor(load_rules("ja"), TermIndex(glossary, "ja"), Scorer(("chrf", "bleu", "ter")), "chrf", Thresholds())


def pair(source: str, target: str, seg_id: str = "s1") -> tuple[Segment, Translation]:
    text, spans = tagged(source)
    target_text, target_spans = tagged(target, "t")
    return Segment(seg_id, "text", text, {**spans, **target_spans}), Translation(seg_id, target_text)


def corpus_pairs() -> list[tuple[str, str]]:
    """The 500 Tanaka pairs: English as shipped (lower-cased, tokenised), Japanese tokens joined."""
    english = (CORPUS / "small_parallel_enja.dev.en").read_text(encoding="utf-8").splitlines()
    japanese = (CORPUS / "small_parallel_enja.dev.ja").read_text(encoding="utf-8").splitlines()
    return [(e.strip(), j.replace(" ", "").strip()) for e, j in zip(english, japanese, strict=True)]
