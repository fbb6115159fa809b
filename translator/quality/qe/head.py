"""The regression head: a ridge model over the features, its calibration, and its file.

A head file is JSON (``translator.qe-head/1``) holding the feature standardisation, the ridge
weights, 101 quantiles of the head's predictions on its training pairs (so an estimate maps to
0–100: the share of training translations estimated worse) and the line that predicts the
cross-lingual similarity of a correct translation from the lengths (its residual spread says
when a similarity is too low to be the same sentence). ``bench/train_qe.py`` writes the shipped
one; ``translator calibrate --head`` refits one on a team's own labelled pairs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ConfigError
from .features import SURFACE_NAMES

FORMAT = "translator.qe-head/1"
EMBEDDING_SIZE = 512
FEATURES = 4 * EMBEDDING_SIZE + 1 + len(SURFACE_NAMES)
QUANTILES = 101
SHIPPED_HEAD = "head-v1.json"
# A similarity this many residual spreads below the predicted one is another sentence: on the
# training pairs no correct translation fell that low, and nearly every shuffled pair did.
WRONG_SENTENCE_SPREADS = 3.0
# …and never above this similarity, whatever the lengths predict: the line is fitted on
# sentence-sized pairs, and a right translation with a sentence added (a "see here" note) still
# shows about 0.45, while translations of other sentences stay below 0.3 (99 % of shuffled pairs).
WRONG_SENTENCE_CEILING = 0.35


class HeadError(ConfigError):
    """A head file that cannot be used (named with what is wrong)."""


@dataclass(frozen=True)
class Head:
    mean: list[float]
    scale: list[float]
    weights: list[float]
    bias: float
    quantiles: list[float]  # sorted training predictions at 0, 1, …, 100 %
    similarity_line: list[float]  # coefficients over features.length_predictors
    similarity_spread: float  # residual standard deviation of that line
    encoder: str = "USE multilingual v3"
    provenance: dict[str, Any] = field(default_factory=dict)

    def predict(self, features: np.ndarray) -> np.ndarray:
        """The head's raw estimate of the human score (the training target's scale)."""
        standard = (features - np.asarray(self.mean)) / np.asarray(self.scale)
        return standard @ np.asarray(self.weights) + self.bias

    def calibrated(self, raw: np.ndarray) -> np.ndarray:
        """0–100: the share of training translations the head estimated worse."""
        return np.interp(raw, np.asarray(self.quantiles), np.linspace(0.0, 100.0, QUANTILES))

    def expected_similarity(self, predictors: np.ndarray) -> np.ndarray:
        return predictors @ np.asarray(self.similarity_line)

    def wrong_sentence_limit(self, predictors: np.ndarray) -> np.ndarray:
        limit = self.expected_similarity(predictors) - WRONG_SENTENCE_SPREADS * self.similarity_spread
        return np.minimum(limit, WRONG_SENTENCE_CEILING)

    def save(self, path: Path) -> None:
        data = {"format": FORMAT, **asdict(self)}
        for key in ("mean", "scale", "weights", "quantiles", "similarity_line"):
            data[key] = [float(f"{v:.6g}") for v in data[key]]
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        temporary.replace(path)


def shipped_head_path() -> Path:
    return Path(str(resources.files(__package__).joinpath(SHIPPED_HEAD)))


def load_head(path: str | Path | None = None) -> Head:
    """The head in ``path`` (default: the shipped one), checked whole before use."""
    location = Path(path) if path else shipped_head_path()
    try:
        data = json.loads(location.read_text(encoding="utf-8"))
    except OSError as exc:
        raise HeadError(f"cannot read the quality-estimation head: {exc.strerror}", path=str(location)) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HeadError(f"not a quality-estimation head (not JSON: {exc})", path=str(location)) from exc
    problem = _problem(data)
    if problem:
        raise HeadError(f"not a usable quality-estimation head: {problem}", path=str(location))
    return Head(
        mean=data["mean"],
        scale=data["scale"],
        weights=data["weights"],
        bias=float(data["bias"]),
        quantiles=data["quantiles"],
        similarity_line=data["similarity_line"],
        similarity_spread=float(data["similarity_spread"]),
        encoder=str(data.get("encoder", "")),
        provenance=dict(data.get("provenance") or {}),
    )


def _problem(data: Any) -> str | None:
    if not isinstance(data, Mapping):
        return "expected a JSON object"
    if data.get("format") != FORMAT:
        return f"format is {data.get('format')!r}, expected {FORMAT!r}"
    sizes = {"mean": FEATURES, "scale": FEATURES, "weights": FEATURES, "quantiles": QUANTILES, "similarity_line": 3}
    for key, size in sizes.items():
        values = data.get(key)
        if not isinstance(values, list) or len(values) != size:
            return f"'{key}' must be a list of {size} numbers"
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values):
            return f"'{key}' holds something other than finite numbers"
    if any(v <= 0 for v in data["scale"]):
        return "'scale' must be positive"
    if any(b < a for a, b in zip(data["quantiles"][:-1], data["quantiles"][1:], strict=True)):
        return "'quantiles' must be sorted"
    for key in ("bias", "similarity_spread"):
        value = data.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            return f"'{key}' must be a finite number"
    if data["similarity_spread"] <= 0:
        return "'similarity_spread' must be positive"
    return None


def fit_head(
    features: np.ndarray,
    target: np.ndarray,
    similarity: np.ndarray,
    predictors: np.ndarray,
    *,
    alpha: float,
    provenance: Mapping[str, Any] | None = None,
) -> Head:
    """Ridge regression on standardised features (closed form, deterministic), calibration
    quantiles of its own training predictions, and the similarity line (least squares)."""
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale = np.where(scale < 1e-8, 1.0, scale)
    standard = (features - mean) / scale
    bias = float(target.mean())
    gram = standard.T @ standard + alpha * np.eye(standard.shape[1])
    weights = np.linalg.solve(gram, standard.T @ (target - bias))
    raw = standard @ weights + bias
    quantiles = np.quantile(raw, np.linspace(0.0, 1.0, QUANTILES))
    line, *_ = np.linalg.lstsq(predictors, similarity, rcond=None)
    spread = float(np.std(similarity - predictors @ line))
    return Head(
        mean=mean.tolist(),
        scale=scale.tolist(),
        weights=weights.tolist(),
        bias=bias,
        quantiles=quantiles.tolist(),
        similarity_line=line.tolist(),
        similarity_spread=max(spread, 1e-6),
        provenance=dict(provenance or {}),
    )
