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

from collections.abc import Sequence
from dataclasses import dataclass, field

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


@dataclass
class Scorer:
    """Scores hypothesis (back-translation) against reference (source) with several metrics."""

    metrics: tuple[str, ...] = ("chrf",)
    _sentence: dict[str, Metric] = field(default_factory=dict, init=False, repr=False)
    signatures: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for name in self.metrics:
            self._sentence[name] = make_metric(name, sentence=True)

    def sentence(self, hypothesis: str, reference: str) -> dict[str, float]:
        scores: dict[str, float] = {}
        for name, metric in self._sentence.items():
            if name == "ter" and not _ter_fits(hypothesis, reference):
                continue
            scores[name] = round(float(metric.sentence_score(hypothesis, [reference]).score), 2)
            self.signatures.setdefault(f"{name}.sentence", str(metric.get_signature()))
        return scores

    def corpus(self, hypotheses: Sequence[str], references: Sequence[str]) -> dict[str, float]:
        """Document scores from pooled statistics (not the mean of sentence scores)."""
        if not hypotheses:
            return {}
        scores: dict[str, float] = {}
        for name in self.metrics:
            metric = make_metric(name, sentence=False)
            pairs = list(zip(hypotheses, references, strict=True))
            if name == "ter":
                pairs = [pair for pair in pairs if _ter_fits(*pair)]
                if not pairs:
                    continue
            scored_hypotheses = [hypothesis for hypothesis, _ in pairs]
            scored_references = [reference for _, reference in pairs]
            scores[name] = round(float(metric.corpus_score(scored_hypotheses, [scored_references]).score), 2)
            self.signatures.setdefault(f"{name}.corpus", str(metric.get_signature()))
        return scores


def adequacy(name: str, value: float) -> float:
    """A 0–100, higher-is-better view of any metric, for thresholds (TER is inverted)."""
    return value if HIGHER_IS_BETTER[name] else max(0.0, 100.0 - value)
