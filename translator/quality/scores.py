"""Round-trip scores with sacrebleu: the source against its back-translation, per segment and
per document.

Both sides are in the source language (English), so sacrebleu's defaults fit: chrF on characters
(language-agnostic, the default here because it is stable on short segments), BLEU with the
``13a`` tokenizer and effective order for sentences, TER. The Japanese side is never scored, so
``ja-mecab`` (an optional dependency of sacrebleu) is not needed. Metric options live on the
sacrebleu classes; every result carries the metric's signature string so a report says exactly
how its numbers were made.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import add
from typing import Any

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric

METRICS = ("chrf", "bleu", "ter")
HIGHER_IS_BETTER = {"chrf": True, "bleu": True, "ter": False}
# TER's shift search grows far faster than the text: 4,000 words take 15 s and a 2 MB transcript
# line exhausts memory. Pairs longer than this get no TER (chrF and BLEU stay linear).
MAX_TER_WORDS = 400


def _ter_fits(hypothesis: str, reference: str) -> bool:
    return max(len(hypothesis.split()), len(reference.split())) <= MAX_TER_WORDS


def make_metric(name: str, *, sentence: bool) -> Metric:
    """A sacrebleu metric object; sentence-level BLEU uses effective order, as sacrebleu advises."""
    if name == "chrf":
        return CHRF()
    if name == "bleu":
        return BLEU(effective_order=sentence)
    if name == "ter":
        return TER()
    raise ValueError(f"unknown metric '{name}' (known: {', '.join(METRICS)})")


Statistics = dict[str, list[float]]  # metric name -> one sentence's sacrebleu statistics


def _char_ngrams(text: str, order: int) -> tuple[list[Counter[str]], int]:
    """Character n-grams of ``text`` without its whitespace, orders 1 to ``order``, and its length.
    Each order's n-grams are the previous order's with the next character added, one C-level
    ``map`` per order, instead of a slice per n-gram (sacrebleu's ``extract_all_char_ngrams``)."""
    line = "".join(text.split())
    grams: list[str] | str = line
    counters = [Counter(line)]
    for n in range(2, order + 1):
        grams = list(map(add, grams, line[n - 1 :]))
        counters.append(Counter(grams))
    return counters, len(line)


def chrf_statistics(hypothesis: str, reference: str, order: int) -> list[float]:
    """sacrebleu's chrF statistics of one sentence against one reference (chrF without word
    n-grams, case and whitespace as sacrebleu's defaults): per order, hypothesis n-grams (0 when
    the reference has none), reference n-grams, and matches — the same numbers, in about half
    the time, as ``CHRF._extract_corpus_statistics`` (a test compares them)."""
    hyp_grams, hyp_length = _char_ngrams(hypothesis, order)
    ref_grams, ref_length = _char_ngrams(reference, order)
    statistics: list[float] = []
    for n, (hyp, ref) in enumerate(zip(hyp_grams, ref_grams, strict=True), start=1):
        hyp_total = max(0, hyp_length - n + 1)
        ref_total = max(0, ref_length - n + 1)
        common = hyp.keys() & ref.keys()
        if len(hyp) == hyp_total and len(ref) == ref_total:
            matches = len(common)  # every n-gram once on each side: each common one matches once
        else:
            matches = sum(min(hyp[gram], ref[gram]) for gram in common)
        statistics += [hyp_total if ref else 0, ref_total, matches]
    return statistics


def _plain_chrf(metric: Metric) -> bool:
    """A chrF that ``chrf_statistics`` computes: no word n-grams, case kept, whitespace dropped."""
    return (
        isinstance(metric, CHRF)
        and metric.word_order == 0
        and not metric.lowercase
        and not metric.whitespace
        and type(metric)._extract_corpus_statistics is CHRF._extract_corpus_statistics
    )


class PooledStatistics:
    """Sentence statistics summed per metric as they are added, as sacrebleu's ``sum_of_lists``
    sums them (the same additions in the same order, from a zero of the first list's type), so a
    document's corpus score needs no sentence's statistics kept until its end: at 100,000
    segments those lists were about 0.7 KB a segment."""

    def __init__(self) -> None:
        self.totals: dict[str, list[Any]] = {}

    def add(self, statistics: Statistics) -> None:
        for name, stats in statistics.items():
            total = self.totals.get(name)
            if total is None:
                total = self.totals[name] = [type(stats[0])(0.0) if stats else 0.0] * len(stats)
            for index, value in enumerate(stats):
                total[index] += value


@dataclass
class Scorer:
    """Scores hypothesis (back-translation) against reference (source) with several metrics.

    A sentence's statistics (n-gram matches, edits) are extracted once: its sentence score is
    computed from them, and a document's corpus score sums them (as sacrebleu's own
    ``corpus_score`` does) instead of extracting every sentence's statistics again."""

    metrics: tuple[str, ...] = ("chrf",)
    _sentence: dict[str, Metric] = field(default_factory=dict, init=False, repr=False)
    _corpus: dict[str, Metric] = field(default_factory=dict, init=False, repr=False)
    signatures: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for name in self.metrics:
            self._sentence[name] = make_metric(name, sentence=True)
            if _plain_chrf(self._sentence[name]):
                self._sentence[name].num_refs = 1  # as extracting statistics sets it, for the signature
            corpus = make_metric(name, sentence=False)
            corpus.num_refs = 1  # its signature needs it; it never extracts statistics itself
            self._corpus[name] = corpus

    def sentence(self, hypothesis: str, reference: str) -> dict[str, float]:
        return self.sentence_statistics(hypothesis, reference)[0]

    def sentence_statistics(self, hypothesis: str, reference: str) -> tuple[dict[str, float], Statistics]:
        """Sentence scores, and the statistics ``corpus_from`` pools for the document."""
        scores: dict[str, float] = {}
        statistics: Statistics = {}
        for name, metric in self._sentence.items():
            if name == "ter" and not _ter_fits(hypothesis, reference):
                continue
            metric._check_sentence_score_args(hypothesis, [reference])
            if isinstance(metric, CHRF) and _plain_chrf(metric):
                stats = chrf_statistics(hypothesis, reference, metric.char_order)
            else:
                stats = metric._extract_corpus_statistics([hypothesis], [[reference]])[0]
            scores[name] = round(float(metric._compute_score_from_stats(stats).score), 2)
            statistics[name] = stats
            if f"{name}.sentence" not in self.signatures:  # the same for every sentence: made once
                self.signatures[f"{name}.sentence"] = str(metric.get_signature())
        return scores, statistics

    def corpus_from(self, statistics: Iterable[Statistics]) -> dict[str, float]:
        """Document scores from the pooled statistics of its sentences (not the mean of their
        scores); a sentence without a metric's statistics (TER on a long pair) is left out of it."""
        pool = PooledStatistics()
        for found in statistics:
            pool.add(found)
        return self.corpus_of(pool)

    def corpus_of(self, pool: PooledStatistics) -> dict[str, float]:
        """``corpus_from`` of the statistics ``pool`` summed as they came."""
        scores: dict[str, float] = {}
        for name, metric in self._corpus.items():
            total = pool.totals.get(name)
            if total is None:
                continue
            scores[name] = round(float(metric._compute_score_from_stats(total).score), 2)
            self.signatures.setdefault(f"{name}.corpus", str(metric.get_signature()))
        return scores

    def corpus(self, hypotheses: Sequence[str], references: Sequence[str]) -> dict[str, float]:
        """Document scores of pairs not scored sentence by sentence before."""
        return self.corpus_from(
            [self.sentence_statistics(h, r)[1] for h, r in zip(hypotheses, references, strict=True)]
        )


def adequacy(name: str, value: float) -> float:
    """A 0–100, higher-is-better view of any metric, for thresholds (TER is inverted)."""
    return value if HIGHER_IS_BETTER[name] else max(0.0, 100.0 - value)
