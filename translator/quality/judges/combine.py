"""One 0–100 estimate from the judges that gave a score, and what ran, in words.

Each scoring judge has a weight in ``[thresholds]`` (``weight_embedded``, ``weight_round_trip``,
``weight_similarity``); ``scores.qe`` is the weighted mean of the scores present for a segment,
so a run without back-translation is judged by the embedded model alone and one without the
model by the round trip alone. Judges that only find (rules, glossary, numbers) count through
their findings' severities (see ``verdict.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# translation.scores keys holding each scoring judge's 0–100 view
EMBEDDED_SCORE = "qe_model"
COMBINED_SCORE = "qe"
JUDGE_PREFIX = "judge."  # other judges' scores: "judge.<name>"


def score_key(judge_name: str) -> str:
    """Where a judge's score goes in ``translation.scores`` (and the JSON report)."""
    return EMBEDDED_SCORE if judge_name == "embedded" else JUDGE_PREFIX + judge_name


def combined(judge_scores: Mapping[str, float], weights: Mapping[str, float]) -> float | None:
    """Weighted mean of the judges' 0–100 scores; None when no judge scored. A judge with no
    weight of its own in ``[thresholds]`` counts once, like the default weights."""
    total = sum(weights.get(name, 1.0) for name in judge_scores)
    if total <= 0:
        return None
    return round(sum(weights.get(name, 1.0) * score for name, score in judge_scores.items()) / total, 2)


@dataclass(frozen=True)
class JudgesRan:
    """Which judges a document was judged from, and why others were not."""

    ran: tuple[str, ...]  # labels, e.g. ("rules", "glossary", "embedded model")
    missing: tuple[str, ...] = ()  # e.g. ("no back-translation",)

    def words(self) -> str:
        text = "judged from: " + (", ".join(self.ran) if self.ran else "nothing")
        return text + ("; " + "; ".join(self.missing) if self.missing else "")

    def as_dict(self) -> dict[str, list[str]]:
        return {"ran": list(self.ran), "not_run": list(self.missing)}


def judges_ran(
    *,
    back_translated: int,
    semantic: bool,
    embedded_note: str | None,
    rule_files: Sequence[str],
    others: Sequence[str] = (),
) -> JudgesRan:
    """``embedded_note``: None when the embedded model ran, else why it did not; ``others``:
    labels of further judges that ran (an LLM judge)."""
    ran = ["rules", "glossary", "numbers"] if rule_files else ["glossary"]
    missing = []
    if embedded_note is None:
        ran.append("embedded model")
    else:
        missing.append(embedded_note)
    ran.extend(others)
    if back_translated:
        ran.append("back-translation")
        if semantic:
            ran.append("semantic similarity")
    else:
        missing.append("no back-translation")
    return JudgesRan(tuple(ran), tuple(missing))
