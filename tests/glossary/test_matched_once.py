"""A segment's source is searched for glossary terms once, and protect, check and the quality
checks all read that one search: what each of them finds is what its own search found before."""

from __future__ import annotations

from translator.config import Settings
from translator.glossary.enforce import GlossaryStage
from translator.glossary.matcher import Matcher
from translator.glossary.model import Entry, Glossary, Rendering
from translator.quality.masking import masked_plain
from translator.quality.scores import Scorer
from translator.quality.stage import build_assessor
from translator.segmenter import tagged
from translator.types import Segment, Translation

GLOSSARY = Glossary(
    (
        Entry("inference", targets={"ja": Rendering("推論", forbidden=("インファレンス", "推測"))}),
        Entry("guess", targets={"ja": Rendering("推測")}),
        Entry("foundation model", targets={"ja": Rendering("基盤モデル", forbidden=("ファウンデーションモデル",))}),
        Entry("Amazon SageMaker", case="exact", keep=True),
    )
)
SOURCE = "Amazon SageMaker's `predict` call runs inference on a foundation model, not a guess."


def searches(monkeypatch) -> list[str]:
    calls: list[str] = []
    original = Matcher.find_runs

    def counted(self, tagged_text):
        calls.append(tagged_text)
        return original(self, tagged_text)

    monkeypatch.setattr(Matcher, "find_runs", counted)
    return calls


def test_protect_check_and_quality_share_one_search(monkeypatch):
    stage = GlossaryStage(GLOSSARY, "ja")
    assessor = build_assessor(Settings(), stage)
    assessor.scorer = Scorer(("chrf",))
    calls = searches(monkeypatch)
    text, spans = tagged(SOURCE)
    segment = stage.protect(Segment("s1", "paragraph", text, spans))
    translated = segment.text.replace(
        "runs inference on a foundation model, not a guess.",
        "ファウンデーションモデルでインファレンスを実行します。推測ではありません。",
    )
    translation = stage.check(segment, Translation("s1", translated))
    findings = assessor.rule_findings(segment, translation)
    translation.back_translation = "Amazon SageMaker runs inference on a foundation model."
    assessor.score(segment, translation)
    assert len(calls) == 1
    # What each stage concluded from the shared search:
    assert [s.opening for s in segment.spans.values() if s.kind == "term"] == ["Amazon SageMaker"]
    repaired = [f.found for f in translation.findings if f.repaired]
    assert repaired == ["インファレンス", "ファウンデーションモデル"]  # not 推測: "guess" requires it
    assert "基盤モデル" in translation.text and "推論" in translation.text and "推測" in translation.text
    assert [f.check for f in findings if f.check == "rule.ja.katakana-terms"] == []  # repaired before the rules


def test_quality_masks_the_terms_protect_found():
    stage = GlossaryStage(GLOSSARY, "ja")
    assessor = build_assessor(Settings(), stage)
    text, spans = tagged(SOURCE)
    segment = stage.protect(Segment("s1", "paragraph", text, spans))
    hypothesis, reference = assessor.masked(segment, segment.text)
    assert reference == "∎ 's `predict` call runs ∎ on a ∎, not a ∎."
    assert reference == masked_plain(segment.text, segment.spans, assessor.terms)  # as a search of its own says
    assert hypothesis == reference  # the back-translation, masked by its own search, alike
