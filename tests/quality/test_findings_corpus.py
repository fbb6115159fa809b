"""The per-segment checks say what they said before they were made faster, on ~2,000 varied pairs.

``tests/fixtures/findings/corpus-before.txt`` was written by the checks as they were before
(commit 7e942c2, see the README beside it) over the corpus ``findings_corpus.py`` builds:
machine and human translations, pseudo translations of documentation pages with links and code,
and damaged ones. Every finding, score and verdict must come out the same today, with one change
on purpose: the untranslated-English rule used to give one finding per word and now gives one per
segment, naming the words (``gathered`` below turns the stored findings into that form).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from translator.quality.rules import load_rules, shipped_rules_dir

from .findings_corpus import outcomes, read

STORED = Path(__file__).resolve().parents[1] / "fixtures" / "findings" / "corpus-before.txt"
PER_WORD = {
    f"rule.{rule.id}"
    for rule in load_rules("ja", [shipped_rules_dir() / "ja.yaml"]).rules
    if rule.kind == "untranslated_english"
}


def gathered(findings: list[list[Any]]) -> list[list[Any]]:
    """The stored per-word findings of a segment as one: the words each once, in order, and the
    span from the first word to the last (the rule's hits come one after another)."""
    out: list[list[Any]] = []
    for finding in findings:
        previous = out[-1] if out else None
        if finding[0] in PER_WORD and previous is not None and previous[0] == finding[0]:
            words = previous[4].split(", ")
            if finding[4] not in words:
                words.append(finding[4])
            previous[4] = ", ".join(words)
            previous[5] = [previous[5][0], finding[5][1]]
        else:
            out.append(list(finding))
    return out


@pytest.fixture(scope="module")
def before_and_now() -> tuple[dict[str, Any], dict[str, Any]]:
    return read(STORED), outcomes()


def test_the_corpus_is_varied(before_and_now):
    before, _now = before_and_now
    checks = {f[0] for outcome in before.values() for f in outcome["findings"]}
    assert len(before) > 1500
    assert {
        "rule.ja.untranslated-english",
        "rule.ja.numbers",
        "rule.ja.units",
        "rule.ja.lost-codes",
        "rule.ja.katakana-term",
        "rule.ja.mixed-style",
        "rule.ja.anata",
        "rule.ja.dropped-sentence",
        "rule.ja.option-letters",
        "quality.back-translation-unusable",
        "quality.round-trip",
    } <= checks
    assert {o["verdict"] for o in before.values()} == {"ok", "review", "literal"}


def test_every_segment_has_the_same_findings_scores_and_verdict_as_before(before_and_now):
    before, now = before_and_now
    assert now.keys() == before.keys()
    differing = [
        seg_id
        for seg_id, outcome in before.items()
        if {**outcome, "findings": gathered(outcome["findings"])} != now[seg_id]
    ]
    assert not differing, [(s, before[s], now[s]) for s in differing[:2]]


def test_verdicts_are_unchanged(before_and_now):
    before, now = before_and_now
    assert {s: o["verdict"] for s, o in now.items()} == {s: o["verdict"] for s, o in before.items()}


def test_a_segment_left_in_english_has_one_finding_naming_its_words(before_and_now):
    before, now = before_and_now
    seg_id = max(before, key=lambda s: sum(f[0] in PER_WORD for f in before[s]["findings"]))
    words_before = [f for f in before[seg_id]["findings"] if f[0] in PER_WORD]
    assert len(words_before) >= 10
    (finding,) = [f for f in now[seg_id]["findings"] if f[0] in PER_WORD]
    assert finding[4].split(", ") == list(dict.fromkeys(f[4] for f in words_before))
    assert finding[5] == [words_before[0][5][0], words_before[-1][5][1]]
