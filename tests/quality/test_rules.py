"""Literalness rules: each fires on its defect, with the span to highlight; human pairs stay ok.

The corpus acceptance: 500 human Tanaka pairs (Japanese tokens joined). Judged literal at most
5% of the time, both without back-translation (rules alone) and with a perfect round trip (the
English source itself as back-translation — a fair upper bound on what a good back-translation
can give). The emulator's pseudo back-translation is not English (it echoes the Japanese with an
"[en]" marker), so it is recognised as unusable and not scored rather than condemning every pair.
"""

from __future__ import annotations

import random
from functools import cache

import pytest

from translator.quality.rules import load_rules
from translator.quality.verdict import counted, questioned
from translator.types import Finding

from .helpers import assessor, corpus_pairs, pair


@cache
def shared_assessor():
    return assessor()


def judged(source: str, target: str, back: str | None = None):
    judge = shared_assessor()
    segment, translation = pair(source, target)
    translation.findings = judge.rule_findings(segment, translation)
    if back is not None:
        translation.back_translation = back
        judge.score(segment, translation)
    judge.decide(translation)
    return translation


def checks(translation) -> set[str]:
    return {f.check for f in counted(translation.findings)}


@pytest.mark.parametrize("back", ["none", "source", "pseudo"])
def test_at_most_five_percent_of_human_pairs_are_judged_literal(back):
    pairs = corpus_pairs()
    literal = 0
    for source, target in pairs:
        back_translation = {"none": None, "source": source, "pseudo": f"[en] {target}"}[back]
        literal += judged(source, target, back_translation).verdict == "literal"
    assert literal <= 0.05 * len(pairs), literal


def planted(rule: str, source: str, target: str) -> tuple[str, str] | None:
    """The pair with one literal defect planted, or None when this pair cannot carry it."""
    if rule == "anata":
        return (f"you know {source}", f"あなたは{target}") if "あなた" not in target else None
    if rule == "katakana":
        return (f"{source} the model runs inference .", f"{target}モデルがインファレンスを実行します。")
    if rule == "number":
        digits = [c for c in target if c in "０１２３４５６７８９0123456789"]
        if not digits:
            return None
        changed = "７" if digits[0] != "７" else "８"
        return source, target.replace(digits[0], changed, 1)
    if rule == "english":
        words = [w for w in source.split() if w.isalpha() and len(w) >= 4]
        if not words or len(target) < 4:
            return None
        return source, target[:2] + words[0] + target[2:]
    raise AssertionError(rule)


@pytest.mark.parametrize(
    ("rule", "check"),
    [
        ("anata", "rule.ja.anata"),
        ("katakana", "rule.ja.katakana-term"),
        ("number", "rule.ja.numbers"),
        ("english", "rule.ja.untranslated-english"),
    ],
)
def test_every_planted_defect_is_caught_on_the_corpus(rule, check):
    rng = random.Random(4)
    candidates = [p for s, t in corpus_pairs() if (p := planted(rule, s, t)) is not None]
    sample = rng.sample(candidates, min(40, len(candidates)))
    assert sample
    missed = [p for p in sample if check not in checks(judged(*p))]
    assert not missed, missed[:3]


@pytest.mark.parametrize(
    ("source", "target", "check", "found"),
    [
        ("You can change your settings.", "あなたはあなたの設定を変更できます。", "rule.ja.anata", "あなたは"),
        ("It is a managed service.", "それはマネージドサービスです。", "rule.ja.sore-wa", "それは"),
        ("Note:\nThis is optional.", "注:\nこれはオプションです。", "rule.ja.sore-wa", "これは"),
        (
            "You can stop the job.",
            "ジョブを停止することができます。",
            "rule.ja.suru-koto-ga-dekiru",
            "することができます",
        ),
        (
            "The model is trained by SageMaker.",
            "モデルは SageMaker によってトレーニングされます。",
            "rule.ja.niyotte-passive",
            None,
        ),
        (
            "The size of the volume of the data of the job of the user.",
            "ユーザーのジョブのデータのボリュームのサイズ。",
            "rule.ja.no-chain",
            None,
        ),
        ("Use 5 GB of storage.", "5 MB のストレージを使用します。", "rule.ja.units", "MB"),
        ("Hello {name}, welcome.", "こんにちは、ようこそ。", "rule.ja.placeholders", "{name} (missing)"),
        ("Options A and C are correct.", "選択肢 A は正しいです。", "rule.ja.option-letters", "C (missing)"),
        (
            "Amazon SageMaker provides fully managed training for every model you build.",
            "学習。",
            "rule.ja.length-ratio",
            None,
        ),
    ],
)
def test_each_rule_fires_on_its_defect_with_a_span(source, target, check, found):
    translation = judged(source, target)
    hits = [f for f in translation.findings if f.check == check]
    assert hits, translation.findings
    if found is not None:
        assert hits[0].found == found
    for hit in hits:
        if hit.span is not None:
            plain = target
            assert plain[hit.span[0] : hit.span[1]] == hit.found
        assert hit.message  # the explanation shown to the user


@pytest.mark.parametrize(
    ("source", "literal", "natural"),
    [
        (
            "You can use Amazon SageMaker to train models.",
            "あなたは Amazon SageMaker を使用してモデルをトレーニングすることができます。",
            "Amazon SageMaker を使用してモデルをトレーニングできます。",
        ),
        (
            "It is important to monitor your models.",
            "それはあなたのモデルを監視することが重要です。",
            "モデルを監視することが重要です。",
        ),
    ],
)
def test_textbook_literal_japanese_is_literal_and_its_natural_rewrite_is_ok(source, literal, natural):
    assert judged(source, literal).verdict == "literal"
    assert judged(source, natural).verdict == "ok"


def test_a_rule_hit_around_a_kept_name_still_counts():
    source = "The data is copied by Amazon SageMaker to Amazon S3."
    translation = judged(source, "データは Amazon SageMaker によって Amazon S3 にコピーされます。")
    assert "rule.ja.niyotte-passive" in checks(translation)


def test_a_line_break_separates_words_and_is_not_part_of_a_hit():
    from translator.quality.plaintext import plain_text
    from translator.types import Segment, Span, Translation

    spans = {"1": Span("1", "br", "  \n"), "2": Span("2", "code", "`x`")}
    assert plain_text('Note<x id="1"/>Unless <x id="2"/>', spans).text == "Note\nUnless `x`"
    segment = Segment("s1", "text", 'It works.<x id="1"/>Done.', spans)
    translation = Translation("s1", '動きます。<x id="1"/>それは終わりです。')
    hits = [f for f in assessor().rule_findings(segment, translation) if f.check == "rule.ja.sore-wa"]
    assert [(h.found, h.span) for h in hits] == [("それは", (6, 9))]


def test_keep_terms_names_and_protected_text_are_not_untranslated_english():
    translation = judged(
        "Use Amazon SageMaker with Python at https://example.com/page now.",
        "Amazon SageMaker を Python と一緒に https://example.com/page で使用します。",
    )
    assert "rule.ja.untranslated-english" not in checks(translation)


def test_numbers_written_as_words_or_kanji_are_not_changes():
    for source, target in [
        ("i have three tickets .", "私はチケットを３枚持っている。"),
        ("he came back last august .", "彼は８月に戻ってきた。"),
        ("wait 5 minutes .", "五分待って。"),
    ]:
        assert "rule.ja.numbers" not in checks(judged(source, target))


def test_mixed_styles_in_one_document_flag_the_minority():
    judge = assessor()
    items = [pair("a", "これはペンです。", "1"), pair("b", "あれは本です。", "2"), pair("c", "それは机である。", "3")]
    findings = judge.document_findings(items)
    assert [(f.segment_id, f.check, f.found) for f in findings] == [("3", "rule.ja.mixed-style", "である")]


def test_rules_file_errors_point_at_the_line(tmp_path):
    from translator.errors import ConfigError

    path = tmp_path / "ja.yaml"
    path.write_text("rules:\n  - id: x\n    severity: fatal\n    pattern: a\n    explanation: e\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_rules("ja", [path])
    assert f"{path}:2:" in str(caught.value)


def test_a_team_file_can_switch_a_shipped_rule_off(tmp_path):
    from translator.quality.rules import shipped_rules_dir

    team = tmp_path / "ja.yaml"
    team.write_text("rules:\n  - id: ja.sore-wa\n    enabled: false\n", encoding="utf-8")
    rules = load_rules("ja", [shipped_rules_dir() / "ja.yaml", team])
    assert "ja.sore-wa" not in rules.ids and "ja.anata" in rules.ids


def test_a_back_translation_that_echoes_the_japanese_is_not_scored():
    """An engine that returns its input with a marker ("[en-us] 概要") has Latin letters enough to
    pass for English; scored, every short heading would be judged literal."""
    for source, target in [("Overview", "概要"), ("Lab 2 - Text Summarization", "ラボ 2 - Summarization (文章要約)")]:
        translation = judged(source, target, f"[en-us] {target}")
        assert translation.scores == {}
        assert "quality.back-translation-unusable" in {f.check for f in translation.findings}
        assert translation.verdict == "ok"


def test_transliterations_of_terms_starting_at_the_same_word_are_all_found():
    from translator.quality.plaintext import PlainText
    from translator.quality.rules import Rule, RuleSet, SegmentPair
    from translator.quality.terms import TermIndex

    rule = Rule(
        "ja.katakana",
        "functional",
        "katakana_terms",
        "transliterated",
        params={"transliterations": {"Model": ["モデル"], "model card": ["モデルカード"]}},
    )
    pair = SegmentPair("s1", PlainText("The model card lists the model."), PlainText("モデルカード には モデル が"))
    found = [f.found for f in RuleSet("ja", (rule,)).check_segment(pair, TermIndex())]
    assert found == ["モデルカード", "モデル"]


def test_a_segment_is_questioned_exactly_when_a_finding_counts_against_it() -> None:
    # What chooses the segments to back-translate: the same answer as counting the findings.

    cases = [
        [],
        [Finding("s1", "style.aws", "cosmetic", "spacing")],
        [Finding("s1", "quality.round-trip", "cosmetic", "score")],
        [Finding("s1", "glossary.forbidden", "functional", "replaced", repaired=True)],
        [Finding("s1", "style.aws", "cosmetic", "x"), Finding("s1", "literal.untranslated", "major", "y")],
        [Finding("s1", "glossary.missing", "functional", "missing")],
    ]
    assert [questioned(findings) for findings in cases] == [bool(counted(findings)) for findings in cases]
    assert [questioned(findings) for findings in cases] == [False, False, False, False, True, True]
