"""Round-trip scores are sacrebleu's own numbers, on masked text, with signatures kept."""

from __future__ import annotations

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from translator.quality.masking import NEUTRAL, masked_plain
from translator.quality.scores import Scorer
from translator.quality.terms import TermIndex
from translator.segmenter import tagged

from .helpers import GLOSSARY, corpus_pairs

PAIRS = [(en, en.replace(" the ", " a ").replace("i ", "we ")) for en, _ja in corpus_pairs()[:120]]


@pytest.mark.parametrize(
    ("name", "reference_metric"),
    [("chrf", CHRF()), ("bleu", BLEU(effective_order=True)), ("ter", TER())],
)
def test_sentence_scores_equal_sacrebleu(name, reference_metric):
    scorer = Scorer((name,))
    for source, back in PAIRS:
        expected = reference_metric.sentence_score(back, [source]).score
        assert scorer.sentence(back, source)[name] == pytest.approx(expected, abs=0.005)
    assert scorer.signatures[f"{name}.sentence"] == str(reference_metric.get_signature())


@pytest.mark.parametrize(("name", "reference_metric"), [("chrf", CHRF()), ("bleu", BLEU()), ("ter", TER())])
def test_document_scores_equal_sacrebleu_corpus_scores(name, reference_metric):
    scorer = Scorer((name,))
    sources = [s for s, _b in PAIRS]
    backs = [b for _s, b in PAIRS]
    expected = reference_metric.corpus_score(backs, [sources]).score
    assert scorer.corpus(backs, sources)[name] == pytest.approx(expected, abs=0.005)
    assert scorer.signatures[f"{name}.corpus"] == str(reference_metric.get_signature())
    assert "version:" in scorer.signatures[f"{name}.corpus"]


def test_terms_and_protected_spans_are_masked_on_both_sides_alike():
    index = TermIndex(GLOSSARY, "ja")
    text, spans = tagged("Run inference on https://example.com/data with Amazon SageMaker.")
    masked = masked_plain(text, spans, index)
    assert "inference" not in masked and "example.com" not in masked
    assert masked == f"Run {NEUTRAL} on {NEUTRAL} with {NEUTRAL}."  # term, URL, keep-term
    back, back_spans = tagged("Inferences run on https://example.com/data with Amazon SageMaker.")
    assert "Inferences" not in masked_plain(back, back_spans, index)


def test_masking_keeps_verbatim_terms_from_inflating_the_score():
    index = TermIndex(GLOSSARY, "ja")
    source, spans = tagged("Amazon SageMaker runs inference for the foundation model quickly.")
    back, _ = tagged("Amazon SageMaker runs inference for the foundation model slowly and badly.")
    plain_score = Scorer(("chrf",)).sentence(back, source)["chrf"]
    masked_score = Scorer(("chrf",)).sentence(masked_plain(back, spans, index), masked_plain(source, spans, index))[
        "chrf"
    ]
    assert masked_score < plain_score


def test_document_scores_pool_the_statistics_of_the_sentences_already_scored():
    scorer = Scorer(("chrf", "bleu", "ter"))
    pooled = [scorer.sentence_statistics(back, source)[1] for source, back in PAIRS]
    sources = [s for s, _b in PAIRS]
    backs = [b for _s, b in PAIRS]
    document = scorer.corpus_from(pooled)
    for name, reference_metric in (("chrf", CHRF()), ("bleu", BLEU()), ("ter", TER())):
        assert document[name] == pytest.approx(reference_metric.corpus_score(backs, [sources]).score, abs=0.005)


def test_only_the_configured_metric_is_computed():
    scores, statistics = Scorer(("ter",)).sentence_statistics(PAIRS[0][1], PAIRS[0][0])
    assert set(scores) == set(statistics) == {"ter"}


def test_chrf_statistics_are_sacrebleus_own():
    """The scorer counts chrF's character n-grams itself (about twice as fast); the numbers must be
    sacrebleu's, on real pairs, masked ones and made-up strings with every kind of whitespace."""
    import random

    from translator.quality.scores import chrf_statistics

    metric = CHRF()
    rng = random.Random(7)
    made_up = [
        tuple("".join(rng.choice("ab c∎\n\t\u3000ｱ.") for _ in range(rng.randint(0, 40))) for _side in "hr")
        for _ in range(2000)
    ]
    masked = [(f"{back} {NEUTRAL}", f"{NEUTRAL} {source}") for source, back in PAIRS]
    for hypothesis, reference in [*PAIRS, *masked, *made_up, ("", ""), ("a", ""), ("", "abc")]:
        expected = metric._extract_corpus_statistics([hypothesis], [[reference]])[0]
        assert chrf_statistics(hypothesis, reference, metric.char_order) == expected, (hypothesis, reference)
