"""``translator calibrate``: fit the verdict thresholds to pairs people have labelled.

Input: a TSV with columns source, translation, back-translation (optional), label
(ok | review | literal); a header line is skipped. Each pair gets the same signals as in a run
(rule hits, masked round-trip score when a back-translation is given, the embedded model's
estimate when its encoder is installed); a grid search then picks the thresholds that maximise
macro F1 over the three verdicts. Severity weights and the similarity thresholds are kept as
configured.

``refit_head`` refits the embedded model's head on the same pairs (labels as a score: ok 1,
review 0, literal −1), for teams whose material or engines differ from the general-domain data
the shipped head was trained on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..segmenter import tagged
from ..types import Finding, Segment, Translation, Verdict
from .assess import Assessor
from .judges.combine import COMBINED_SCORE, EMBEDDED_SCORE, combined
from .plaintext import plain_text
from .qe.model import QEModel
from .verdict import VERDICTS, Thresholds, judge, judge_weights

LABEL_SCORES = {"ok": 1.0, "review": 0.0, "literal": -1.0}
DEFAULT_COMPACT_ALPHA = 1000.0  # for a refit from a format 1 head, which had no compact ridge


@dataclass
class Labelled:
    line: int
    findings: list[Finding]
    scores: dict[str, float]
    label: Verdict
    source: str = ""  # plain texts, for refitting the embedded model's head
    translation: str = ""
    judge_scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Metrics:
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    support: dict[str, int]

    @property
    def macro_f1(self) -> float:
        return sum(self.f1.values()) / len(self.f1)


def read_labelled(path: str, assessor: Assessor, model: QEModel | None = None) -> list[Labelled]:
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
            raise InputError(
                "expected source, translation, [back-translation,] label separated by tabs", path=path, line=number
            )
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
        rows.append(
            Labelled(
                number,
                translation.findings,
                translation.scores,
                label,
                plain_text(segment.text, segment.spans).text,
                plain_text(translation.text, segment.spans).text,
            )
        )
    if not rows:
        raise InputError("no labelled pairs", path=path)
    if model is not None:
        for row, estimate in zip(
            rows, model.estimate([r.source for r in rows], [r.translation for r in rows]), strict=True
        ):
            row.scores[EMBEDDED_SCORE] = estimate.score
    for row in rows:
        row.judge_scores = assessor.judge_scores(Translation("", "", scores=row.scores))
    return rows


def with_estimate(scores: dict[str, float], judge_scores: dict[str, float], thresholds: Thresholds) -> dict[str, float]:
    """``scores`` plus the combined estimate under ``thresholds``' judge weights."""
    estimate = combined(judge_scores, judge_weights(thresholds))
    return scores if estimate is None else {**scores, COMBINED_SCORE: estimate}


def refit_head(rows: Sequence[Labelled], model: QEModel, alpha: float) -> Any:
    """A head fitted on the labelled pairs (same encoder and features as the shipped one, in the
    current head format). ``alpha`` is the embedding ridge's strength; the compact ridge's
    strength comes from the model's head, and so does the blend when there are too few pairs
    to choose one."""
    from .qe.coverage import coverage_matrix, embed_pieces
    from .qe.features import feature_matrix, length_predictors
    from .qe.head import BLEND_MIN_PAIRS, fit_head

    sources = [r.source for r in rows]
    translations = [r.translation for r in rows]
    source_vectors = model.encoder.embed(sources)
    translation_vectors = model.encoder.embed(translations)
    pieces = embed_pieces(model.encoder.embed, sources, translations, source_vectors, translation_vectors)
    shipped = model.head.provenance
    return fit_head(
        feature_matrix(
            source_vectors,
            translation_vectors,
            sources,
            translations,
            coverage_matrix(pieces, source_vectors, translation_vectors),
        ),
        np.array([LABEL_SCORES[r.label] for r in rows]),
        np.sum(source_vectors * translation_vectors, axis=1),
        length_predictors(sources, translations),
        embedding_alpha=alpha,
        compact_alpha=float(shipped.get("compact_alpha", DEFAULT_COMPACT_ALPHA)),
        blend=None if len(rows) >= BLEND_MIN_PAIRS else float(shipped.get("blend", 0.5)),
        provenance={
            "data": f"{len(rows)} labelled pairs",
            "target": "label: ok 1, review 0, literal -1",
        },
    )


def evaluate(rows: Sequence[Labelled], thresholds: Thresholds, metric: str) -> Metrics:
    predicted = [
        judge(r.findings, with_estimate(r.scores, r.judge_scores, thresholds), metric, thresholds) for r in rows
    ]
    precision: dict[str, float] = {}
    recall: dict[str, float] = {}
    f1: dict[str, float] = {}
    support: dict[str, int] = {}
    for verdict in VERDICTS:
        true_positive = sum(1 for p, r in zip(predicted, rows, strict=True) if p == verdict and r.label == verdict)
        predicted_count = sum(1 for p in predicted if p == verdict)
        actual = sum(1 for r in rows if r.label == verdict)
        precision[verdict] = true_positive / predicted_count if predicted_count else 0.0
        recall[verdict] = true_positive / actual if actual else 0.0
        total = precision[verdict] + recall[verdict]
        f1[verdict] = 2 * precision[verdict] * recall[verdict] / total if total else 0.0
        support[verdict] = actual
    return Metrics(precision, recall, f1, support)


def candidates(base: Thresholds, with_scores: bool, with_estimate: bool = False) -> Iterator[Thresholds]:
    weights = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0)
    for review_weight in weights:
        for literal_weight in (w for w in weights if w > review_weight):
            if with_estimate:  # the estimate's levels (round-trip levels kept as configured)
                # scores.qe is 50 for a typical translation, 0 three spreads below it
                for review_qe in range(15, 65, 5):
                    for literal_qe in (0, *range(5, review_qe, 5)):
                        yield replace(
                            base,
                            review_weight=review_weight,
                            literal_weight=literal_weight,
                            review_qe=float(review_qe),
                            literal_qe=float(literal_qe),
                        )
                continue
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
    estimated = any(r.judge_scores for r in rows)
    best, best_metrics = base, evaluate(rows, base, metric)
    for thresholds in candidates(base, with_scores, estimated):
        metrics = evaluate(rows, thresholds, metric)
        if metrics.macro_f1 > best_metrics.macro_f1 + 1e-9:
            best, best_metrics = thresholds, metrics
    return best, best_metrics
