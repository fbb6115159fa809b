"""AWS Japanese style: half-width alphanumerics, spaces between scripts, punctuation; codes untouched."""

from __future__ import annotations

from translator.quality.style import differences, normalise
from translator.types import Span

SPANS = {
    "1": Span("1", "code", "`boto3`"),
    "2": Span("2", "url", "https://ＡＢＣ.example.com"),
    "3": Span("3", "link", "[", "](https://example.com)", paired=True),
}


def test_full_width_letters_and_digits_become_half_width():
    assert normalise("ＡＢＣ１２３を使います。", {}) == "ABC123 を使います。"


def test_a_space_separates_latin_and_japanese_but_not_punctuation():
    assert (
        normalise("PythonからAmazon Bedrockサービスに接続します。", {})
        == "Python から Amazon Bedrock サービスに接続します。"
    )
    assert normalise("ラボ0の概要", {}) == "ラボ 0 の概要"
    assert normalise("これは「APIです」。", {}) == "これは「API です」。"


def test_punctuation_and_parentheses_follow_aws():
    assert normalise("自然言語処理（NLP）手法，そして．", {}) == "自然言語処理 (NLP) 手法、そして。"
    assert normalise("指示を（プレーンテキストで）送信します。", {}) == "指示を（プレーンテキストで）送信します。"


def test_protected_spans_are_never_changed_but_get_spaced():
    tagged = 'ライブラリ<x id="1"/>を<x id="2"/>から入手'
    assert normalise(tagged, SPANS) == 'ライブラリ <x id="1"/> を <x id="2"/> から入手'
    assert normalise('<g id="3">リンク</g>を見る', SPANS) == '<g id="3">リンク</g>を見る'


def test_style_none_leaves_text_alone():
    assert normalise("ＡＢＣを使う", {}, "none") == "ＡＢＣを使う"


def test_differences_quote_only_the_changed_region_with_context():
    before = "モデルに要約タスクを実行させるために手法を使用します。詳しく知りたい場合は、 こちら をご覧ください。"
    after = normalise(before, {})
    assert differences(before, after) == [("…知りたい場合は、 こちら をご覧く…", "…知りたい場合は、こちら をご覧く…")]


def test_differences_far_apart_are_quoted_separately_and_close_ones_together():
    before = "ＡＢＣを使います。" + "説明" * 20 + "１２と３４を足します"
    assert differences(before, normalise(before, {})) == [
        ("ＡＢＣを使います。説明…", "ABC を使います。説明…"),
        (
            "…説明説明説明説明１２と３４を足します",
            "…説明説明説明説明 12 と 34 を足します",
        ),  # one excerpt for both numbers
    ]
