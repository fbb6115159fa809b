"""``translator calibrate``: fit the verdict thresholds to pairs people have labelled.

Input: a TSV with columns source, translation, back-translation (optional), label
(ok | review | literal); a header line is skipped. Each pair gets the same signals as in a run
(rule hits, masked round-trip score when a back-translation is given); a grid search then picks
the thresholds that maximise macro F1 over the three verdicts. Severity weights and the
similarity thresholds are kept as configured (the labelled file has no embeddings).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError
from ..segmenter import tagged
from ..types import Finding, Segment, Translation, Verdict
from .assess import Assessor
from .verdict import VERDICTS, Thresholds, judge


@dataclass
class Labelled:
    line: int
    findings: list[Finding]
    scores: dict[str, float]
    label: Verdict


@dataclass(frozen=True)
class Metrics:
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    support: dict[str, int]

    @property
    def macro_f1(self) -> float:
        return sum(self.f1.values()) / len(self.f1)


def read_labelled(path: str, assessor: Assessor) -> list[Labelled]:
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from exc
    rows: list[Labelled] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("\t")]
        if number == 1 and parts[-1].lower() == "label":
            continue
        if len(parts) not in (3, 4):
            raise InputError("expected source, translation, [back-translation,] label separated by tabs", path=path, line=number)
        label = parts[-1].lower()
        if label not in VERDICTS:
            raise InputError(f"label must be ok, review or literal, not '{parts[-1]}'", path=path, line=number)
        text, spans = tagged(parts[0])
        segment = Segment(f"l{number}", "text", text, spans, line=number)
        translation = Translation(segment.id, tagged(parts[1])[0])
        translation.findings = assessor.rule_findings(segment, translation)
        if len(parts) == 4 and parts[2]:
            translation.back_translation = tagged(parts[2])[0]
            assessor.score(segment, translation)
        rows.append(Labelled(number, translation.findings, translation.scores, label))  # type: ignore[arg-type]
    if not rows:
        raise InputError("no labelled pairs", path=path)
    return rows


def evaluate(rows: Sequence[Labelled], thresholds: Thresholds, metric: str) -> Metrics:
    predicted = [judge(r.findings, r.scores, metric, thresholds) for r in rows]
    precision: dict[str, float] = {}
    recall: dict[str, float] = {}
    f1: dict[str, float] = {}
    support: dict[str, int] = {}
    for verdict in VERDICTS:
        true_positive = sum(1 for p, r in zip(predicted, rows) if p == verdict and r.label == verdict)
        predicted_count = sum(1 for p in predicted if p == verdict)
        actual = sum(1 for r in rows if r.label == verdict)
        precision[verdict] = true_positive / predicted_count if predicted_count else 0.0
        recall[verdict] = true_positive / actual if actual else 0.0
        total = precision[verdict] + recall[verdict]
        f1[verdict] = 2 * precision[verdict] * recall[verdict] / total if total else 0.0
        support[verdict] = actual
    return Metrics(precision, recall, f1, support)


def candidates(base: Thresholds, with_scores: bool) -> Iterator[Thresholds]:
    weights = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0)
    for review_weight in weights:
        for literal_weight in (w for w in weights if w > review_weight):
            if not with_scores:
                yield replace(base, review_weight=review_weight, literal_weight=literal_weight)
                continue
            for review_score in range(20, 85, 5):
                for literal_score in range(5, review_score, 5):
                    yield replace(
                        base,
                        review_weight=review_weight,
                        literal_weight=literal_weight,
                        review_score=float(review_score),
                        literal_score=float(literal_score),
                    )


def fit(rows: Sequence[Labelled], base: Thresholds, metric: str) -> tuple[Thresholds, Metrics]:
    """The thresholds with the best macro F1 (ties: the first found, i.e. the most lenient)."""
    with_scores = any(metric in r.scores for r in rows)
    best, best_metrics = base, evaluate(rows, base, metric)
    for thresholds in candidates(base, with_scores):
        metrics = evaluate(rows, thresholds, metric)
        if metrics.macro_f1 > best_metrics.macro_f1 + 1e-9:
            best, best_metrics = thresholds, metrics
    return best, best_metrics
