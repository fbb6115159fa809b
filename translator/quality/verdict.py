"""One verdict per segment — ok | review | literal — from every signal, with tunable thresholds.

Signals and how they combine (the worst verdict wins):

* round-trip score of the chosen metric (0–100, TER inverted): below ``literal_score`` →
  literal, below ``review_score`` → review;
* semantic similarity of source and back-translation (0–1, when the model is installed): below
  ``literal_similarity`` → literal, below ``review_similarity`` → review;
* findings (rule hits and glossary violations not repaired), weighted by severity
  (``weight_critical``/``weight_functional``/``weight_cosmetic``, each check once): a total of at least
  ``literal_weight`` → literal, at least ``review_weight`` → review;
* the combined quality estimate ``scores.qe`` (0–100, the weighted mean of the scoring judges:
  the embedded model, the round trip, the similarity; see ``judges/combine.py``): below
  ``literal_qe`` → literal, below ``review_qe`` → review;
* two independent signals agreeing escalate: findings at review level *and* a score at review
  level → literal.

Segments without a back-translation are judged on findings and the embedded model. Defaults below were set on
the Tanaka corpus pairs (human translations: at most a few percent judged literal) and can be
refitted on labelled data with ``translator calibrate``; put the result in ``[thresholds]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields

from ..errors import ConfigError
from ..types import Finding, Verdict
from .scores import adequacy

VERDICTS: tuple[Verdict, ...] = ("ok", "review", "literal")
RANK = {verdict: index for index, verdict in enumerate(VERDICTS)}


@dataclass(frozen=True)
class Thresholds:
    literal_score: float = 25.0
    review_score: float = 45.0
    literal_similarity: float = 0.5
    review_similarity: float = 0.75
    review_weight: float = 2.0
    literal_weight: float = 3.0  # two literal renderings (e.g. あなたは + することができます) → literal
    weight_critical: float = 4.0
    weight_functional: float = 2.0
    weight_cosmetic: float = 1.0
    # The embedded model's score is linear in its estimate, 50 for the mean training translation
    # (qe/head.py). The shipped head's estimates of its training translations fall below 23 for
    # the worst twentieth and below 37 for the worst fifth: the shares literal and review had when
    # the score was the share of training translations estimated worse (literal_qe 5, review_qe 20).
    literal_qe: float = 23.0
    review_qe: float = 37.0
    weight_embedded: float = 1.0
    weight_round_trip: float = 1.0
    weight_similarity: float = 1.0

    @classmethod
    def from_config(cls, values: Mapping[str, float]) -> Thresholds:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigError(f"unknown [thresholds] key(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        try:
            return cls(**{k: float(v) for k, v in values.items()})
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"[thresholds] values must be numbers: {exc}") from exc

    def as_toml(self) -> str:
        lines = ["[thresholds]"]
        lines.extend(f"{name} = {value:g}" for name, value in asdict(self).items())
        return "\n".join(lines) + "\n"

    def weight(self, finding: Finding) -> float:
        return {
            "critical": self.weight_critical,
            "functional": self.weight_functional,
            "cosmetic": self.weight_cosmetic,
        }[finding.severity]


def counts_against(finding: Finding) -> bool:
    """Whether a finding speaks against the translation: not repaired, not the score's own notes,
    not style (style is fixed automatically and says nothing about literalness)."""
    return not finding.repaired and not finding.check.startswith(("quality.", "style."))


def counted(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that speak against the translation."""
    return [f for f in findings if counts_against(f)]


def questioned(findings: Iterable[Finding]) -> bool:
    """Whether any finding speaks against the translation (``counted`` without building the list:
    asked of every segment of a document to choose what to back-translate)."""
    return any(counts_against(f) for f in findings)


def finding_weight(findings: Iterable[Finding], thresholds: Thresholds) -> float:
    """Sum of severity weights, each check counted once per segment (five untranslated words are
    one problem, not five)."""
    by_check: dict[str, float] = {}
    for finding in counted(findings):
        by_check[finding.check] = max(by_check.get(finding.check, 0.0), thresholds.weight(finding))
    return sum(by_check.values())


def judge(
    findings: Iterable[Finding],
    scores: Mapping[str, float],
    metric: str,
    thresholds: Thresholds,
) -> Verdict:
    weight = finding_weight(findings, thresholds)
    by_findings = _level(weight, thresholds.review_weight, thresholds.literal_weight, higher_is_worse=True)
    verdicts = [by_findings]
    by_score: Verdict = "ok"
    if metric in scores:
        by_score = _level(adequacy(metric, scores[metric]), thresholds.review_score, thresholds.literal_score)
        verdicts.append(by_score)
    if "semantic" in scores:
        verdicts.append(_level(scores["semantic"], thresholds.review_similarity, thresholds.literal_similarity))
    if "qe" in scores:
        verdicts.append(_level(scores["qe"], thresholds.review_qe, thresholds.literal_qe))
    if by_findings == "review" and by_score == "review":
        verdicts.append("literal")
    return max(verdicts, key=RANK.__getitem__)


def judge_weights(thresholds: Thresholds) -> dict[str, float]:
    """Weights of the scoring judges in ``scores.qe``, by judge name."""
    return {
        "embedded": thresholds.weight_embedded,
        "round-trip": thresholds.weight_round_trip,
        "similarity": thresholds.weight_similarity,
    }


def _level(value: float, review: float, literal: float, *, higher_is_worse: bool = False) -> Verdict:
    if higher_is_worse:
        return "literal" if value >= literal else "review" if value >= review else "ok"
    return "literal" if value < literal else "review" if value < review else "ok"


def score_note(segment_id: str, scores: Mapping[str, float], metric: str, thresholds: Thresholds) -> Finding | None:
    """A finding explaining a low round-trip score, so the report shows why (not weighted)."""
    if metric not in scores:
        return None
    value = adequacy(metric, scores[metric])
    if value >= thresholds.review_score:
        return None
    limit = thresholds.literal_score if value < thresholds.literal_score else thresholds.review_score
    return Finding(
        segment_id,
        "quality.round-trip",
        "critical" if value < thresholds.literal_score else "functional",
        f"the back-translation differs a lot from the source ({metric} {scores[metric]:g}, threshold {limit:g}): "
        "the translation may not say what the English says",
    )


def estimate_note(segment_id: str, scores: Mapping[str, float], thresholds: Thresholds) -> Finding | None:
    """A finding explaining a low quality estimate in plain words (not weighted: the estimate
    itself sets the verdict)."""
    value = scores.get("qe")
    if value is None or value >= thresholds.review_qe:
        return None
    return Finding(
        segment_id,
        "quality.estimate",
        "critical" if value < thresholds.literal_qe else "functional",
        f"the quality estimate is low ({value:.0f} of 100, where a typical machine translation people "
        "scored gets 50): the Japanese may be hard to follow or miss part of the English",
    )
