"""``translator glossary consistency``: across a translated question bank, the same English
rendered in different ways is reported (Xbench's and Okapi CheckMate's "same source, different
target"), for whole segments and for glossary terms. The bank is in ``bank/`` (see its README)."""

from __future__ import annotations

import shutil
from pathlib import Path

BANK = Path(__file__).parent / "bank"


def copy_bank(tmp: Path) -> tuple[Path, Path]:
    shutil.copytree(BANK / "en", tmp / "en")
    shutil.copytree(BANK / "ja", tmp / "ja")
    return tmp / "en", tmp / "ja"


def section(output: str, title: str) -> str:
    start = output.index(title)
    rest = output[start + len(title) :]
    end = min((rest.index(t) for t in ("glossary terms rendered", "same English") if t in rest), default=len(rest))
    return rest[:end]


def test_the_same_stem_translated_two_ways_is_reported_with_both_places(cli_env):
    copy_bank(cli_env.tmp)
    result = cli_env.run("glossary", "consistency", "en", "ja")
    assert result.exit_code == 1, result.output
    segments = section(result.output, "same English, different translations (1):")
    assert "Which SageMaker feature detects bias in training data?" in segments
    assert "トレーニングデータのバイアスを検出する SageMaker の機能はどれですか?  (1×: en/week1.json:4)" in segments
    assert "学習データの偏りを見つける SageMaker の機能はどれですか?  (1×: en/week2.json:11)" in segments
    assert "Amazon SageMaker Clarify" not in segments  # the same option, translated the same way


def test_glossary_terms_rendered_more_than_one_way_are_reported_with_forbidden_ones_marked(cli_env):
    copy_bank(cli_env.tmp)
    terms = section(
        cli_env.run("glossary", "consistency", "en", "ja").output, "glossary terms rendered more than one way"
    )
    assert "  fine-tuning  (ml-terms.yaml:" in terms
    assert "    ファインチューニング  (1×: en/week1.json:11)" in terms and "    微調整  (1×: en/week2.json:11)" in terms
    assert "    リアルタイム推測  (1×, forbidden: en/week2.json:4)" in terms
    assert "    バイアス  (2×: en/week1.json:4, en/week2.json:11)" in terms  # the usual rendering first


def test_a_consistent_bank_passes(cli_env):
    source, translation = copy_bank(cli_env.tmp)
    (translation / "week2.json").unlink()
    shutil.copy(source / "week2.json", source.parent / "spare.json")
    (source / "week2.json").unlink()
    result = cli_env.run("glossary", "consistency", str(source), str(translation))
    assert result.exit_code == 0, result.output
    assert "0 segment(s) and 0 term(s) translated inconsistently" in result.output


def test_a_source_without_its_translation_is_noted_and_the_rest_checked(cli_env):
    source, translation = copy_bank(cli_env.tmp)
    (translation / "week2.json").unlink()
    result = cli_env.run("glossary", "consistency", str(source), str(translation))
    assert "week2.json: no translation at" in result.output and "left out" in result.output
    assert "of 1 file(s)" in result.output


def test_a_bilingual_tsv_alone_is_checked(cli_env):
    pairs = cli_env.tmp / "pairs.tsv"
    pairs.write_text(
        "Select TWO.\t2 つ選択してください。\nWhat is inference?\t推論とは何ですか?\nSelect TWO.\t2 つ選んでください。\n",
        encoding="utf-8",
    )
    result = cli_env.run("glossary", "consistency", str(pairs))
    assert result.exit_code == 1, result.output
    assert "pairs.tsv:1" in result.output and "pairs.tsv:3" in result.output
