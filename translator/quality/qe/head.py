"""The regression head: a blend of two ridge models over the features, its calibration, its file.

A head file is JSON (``translator.qe-head/3``) holding the feature standardisation, the linear
weights, the two anchors of its 0–100 scale and the line that predicts the cross-lingual
similarity of a correct translation from the lengths (its residual spread says when a similarity
is too low to be the same sentence). ``bench/train_qe.py`` writes the shipped one;
``translator calibrate --head`` refits one on a team's own labelled pairs.

The scale is linear in the head's estimate: 50 at the mean of its predictions on its training
pairs, 0 and 100 three of their spreads below and above (clamped beyond). A linear map keeps
the estimate's correlation with human scores; the map by training quantiles that format 1 and 2
heads were written for (0–100 as the share of training translations estimated worse) flattened
the tails, where the clearest cases are, and cost about 0.016 of held-out Pearson correlation.
Those heads store their 101 training quantiles instead of anchors; their anchors are computed
from the quantiles the same way (mean and spread of the quantiles, which sample the training
predictions evenly), so an older head, a team's refitted one too, scores on the same scale.

The weights are fitted as two ridge models, one on the 2,048 embedding columns and one on the
few dozen compact features (cosine, surface, clause coverage), each with its own strength, and
blended by the weight that inner cross-validation prefers: one ridge over everything lets the
embedding columns drown the compact ones. The blend of two linear models is one linear model,
so a head stores a single weight vector. Format 1 heads (no clause coverage, one ridge) still
load and score: they read the first columns of the same feature matrix.
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
from .coverage import COVERAGE_NAMES
from .features import SURFACE_NAMES

FORMAT = "translator.qe-head/3"
FORMAT_2 = "translator.qe-head/2"
FORMAT_1 = "translator.qe-head/1"
EMBEDDING_SIZE = 512
EMBEDDING_FEATURES = 4 * EMBEDDING_SIZE  # both embeddings, their product and |difference|
FEATURES_1 = EMBEDDING_FEATURES + 1 + len(SURFACE_NAMES)
FEATURES = FEATURES_1 + len(COVERAGE_NAMES)
FEATURES_BY_FORMAT = {FORMAT_1: FEATURES_1, FORMAT_2: FEATURES, FORMAT: FEATURES}
QUANTILES = 101
SHIPPED_HEAD = "head-v3.json"
# 0 and 100 lie this many spreads of the training predictions below and above their mean. At 3
# almost no real prediction is clamped; 10-fold Pearson of the mapped score with the human DA
# 0.186 (2 spreads 0.179, 4 spreads 0.188, the raw estimate 0.178, the quantile map 0.162):
# clamping the few far-out held-out estimates helps a little.
SCALE_SPREADS = 3.0
BLEND_GRID = np.linspace(0.0, 1.0, 21)
BLEND_FOLDS = 5
BLEND_SEED = 99
# With fewer labelled pairs the inner folds are too small to choose a blend: it stays as given.
BLEND_MIN_PAIRS = 50
# Standardised features are clipped to this many spreads, in fitting and in use: the head is
# fitted on single sentences, and a paragraph's sentence or word count lies dozens of spreads
# out, where a linear model extrapolates into nonsense (unclipped, AWS's own Japanese paragraphs
# scored near 0, `literal`). 10-fold Pearson: unclipped 0.180, 5 spreads 0.182, 4 0.184, 3 0.180,
# 2.5 0.178. 2.5 costs a little of that figure but is the widest clip measured that keeps those
# paragraphs out of `literal`: the figure is on sentences, the tool judges paragraphs too.
CLIP_SPREADS = 2.5
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
    anchors: list[float]  # the raw estimates that score 0 and 100
    similarity_line: list[float]  # coefficients over features.length_predictors
    similarity_spread: float  # residual standard deviation of that line
    encoder: str = "USE multilingual v3"
    provenance: dict[str, Any] = field(default_factory=dict)
    format: str = FORMAT
    clip: float = CLIP_SPREADS  # 0: no clipping (format 1 heads)
    quantiles: list[float] = field(default_factory=list)  # format 1 and 2: what the anchors came from

    @property
    def uses_coverage(self) -> bool:
        """Whether the head reads the clause-coverage columns (so the pieces must be embedded)."""
        return len(self.weights) > FEATURES_1

    def predict(self, features: np.ndarray) -> np.ndarray:
        """The head's raw estimate of the human score (the training target's scale)."""
        columns = features[:, : len(self.weights)]
        standard = _clipped((columns - np.asarray(self.mean)) / np.asarray(self.scale), self.clip)
        return standard @ np.asarray(self.weights) + self.bias

    def calibrated(self, raw: np.ndarray) -> np.ndarray:
        """0–100, linear in the estimate between the anchors (so it keeps the estimate's order
        and its correlation with human scores), clamped beyond them."""
        low, high = self.anchors
        return np.clip(100.0 * (np.asarray(raw, dtype=np.float64) - low) / (high - low), 0.0, 100.0)

    def expected_similarity(self, predictors: np.ndarray) -> np.ndarray:
        return predictors @ np.asarray(self.similarity_line)

    def wrong_sentence_limit(self, predictors: np.ndarray) -> np.ndarray:
        limit = self.expected_similarity(predictors) - WRONG_SENTENCE_SPREADS * self.similarity_spread
        return np.minimum(limit, WRONG_SENTENCE_CEILING)

    def save(self, path: Path) -> None:
        data = asdict(self)
        data = {"format": data.pop("format"), **data}
        if self.format == FORMAT_1:
            del data["clip"]
        # An older format keeps its quantiles (its anchors are derived from them on loading).
        del data["quantiles" if self.format == FORMAT else "anchors"]
        for key in ("mean", "scale", "weights", "similarity_line", "quantiles", "anchors"):
            if key in data:
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
        anchors=data["anchors"] if data["format"] == FORMAT else anchors_from_quantiles(data["quantiles"]),
        quantiles=data.get("quantiles", []),
        similarity_line=data["similarity_line"],
        similarity_spread=float(data["similarity_spread"]),
        encoder=str(data.get("encoder", "")),
        provenance=dict(data.get("provenance") or {}),
        format=data["format"],
        clip=float(data.get("clip", 0.0)),
    )


def scale_anchors(predictions: np.ndarray) -> list[float]:
    """The raw estimates that score 0 and 100: ``SCALE_SPREADS`` spreads of the training
    predictions below and above their mean."""
    centre = float(np.mean(predictions))
    spread = max(float(np.std(predictions)), 1e-6)
    return [centre - SCALE_SPREADS * spread, centre + SCALE_SPREADS * spread]


def anchors_from_quantiles(quantiles: list[float]) -> list[float]:
    """A format 1 or 2 head's anchors, from the 101 evenly spaced quantiles of its training
    predictions it stores (they stand in for the predictions themselves)."""
    return scale_anchors(np.asarray(quantiles, dtype=np.float64))


def _problem(data: Any) -> str | None:
    if not isinstance(data, Mapping):
        return "expected a JSON object"
    features = FEATURES_BY_FORMAT.get(data.get("format"))  # type: ignore[arg-type]
    if features is None:
        return f"format is {data.get('format')!r}, expected {FORMAT!r} (or {FORMAT_2!r}, {FORMAT_1!r})"
    sizes = {"mean": features, "scale": features, "weights": features, "similarity_line": 3}
    sizes.update({"anchors": 2} if data["format"] == FORMAT else {"quantiles": QUANTILES})
    for key, size in sizes.items():
        values = data.get(key)
        if not isinstance(values, list) or len(values) != size:
            return f"'{key}' must be a list of {size} numbers"
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values):
            return f"'{key}' holds something other than finite numbers"
    if any(v <= 0 for v in data["scale"]):
        return "'scale' must be positive"
    if data["format"] == FORMAT and not data["anchors"][0] < data["anchors"][1]:
        return "'anchors' must be two increasing numbers"
    if data["format"] != FORMAT:
        quantiles = data["quantiles"]
        if any(b < a for a, b in zip(quantiles[:-1], quantiles[1:], strict=True)):
            return "'quantiles' must be sorted"
        if quantiles[-1] <= quantiles[0]:
            return "'quantiles' must not all be equal"
    for key in ("bias", "similarity_spread"):
        value = data.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            return f"'{key}' must be a finite number"
    if data["similarity_spread"] <= 0:
        return "'similarity_spread' must be positive"
    if data["format"] != FORMAT_1:
        value = data.get("clip")
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value) or value <= 0:
            return "'clip' must be a positive number"
    return None


def fit_head(
    features: np.ndarray,
    target: np.ndarray,
    similarity: np.ndarray,
    predictors: np.ndarray,
    *,
    embedding_alpha: float,
    compact_alpha: float,
    blend: float | None = None,
    synthetic: tuple[np.ndarray, np.ndarray] | None = None,
    provenance: Mapping[str, Any] | None = None,
) -> Head:
    """Two ridge regressions on standardised features (closed form, deterministic), blended
    with weight ``blend`` on the embedding one (None: the weight whose inner cross-validated
    Pearson correlation is highest), the scale's anchors from the blend's own predictions on
    the training pairs, and the similarity line (least squares).

    ``synthetic``: features and targets of made-up pairs (translations cut short) that join the
    regressions only; the scale and the similarity line come from the real pairs alone."""
    real = features
    if synthetic is not None:
        features = np.vstack([features, synthetic[0]])
        target = np.concatenate([target, synthetic[1]])
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale = np.where(scale < 1e-8, 1.0, scale)
    standard = _clipped((features - mean) / scale, CLIP_SPREADS)
    alphas = (embedding_alpha, compact_alpha)
    if blend is None:
        blend = chosen_blend(features, target, alphas) if len(target) >= BLEND_MIN_PAIRS else 0.5
    bias = float(target.mean())
    embedding = _ridge(standard[:, :EMBEDDING_FEATURES], target - bias, embedding_alpha)
    compact = _ridge(standard[:, EMBEDDING_FEATURES:], target - bias, compact_alpha)
    weights = np.concatenate([blend * embedding, (1.0 - blend) * compact])
    raw = _clipped((real - mean) / scale, CLIP_SPREADS) @ weights + bias
    line, *_ = np.linalg.lstsq(predictors, similarity, rcond=None)
    spread = float(np.std(similarity - predictors @ line))
    return Head(
        mean=mean.tolist(),
        scale=scale.tolist(),
        weights=weights.tolist(),
        bias=bias,
        anchors=scale_anchors(raw),
        similarity_line=line.tolist(),
        similarity_spread=max(spread, 1e-6),
        clip=CLIP_SPREADS,
        provenance={
            **dict(provenance or {}),
            "alpha": embedding_alpha,
            "compact_alpha": compact_alpha,
            "blend": round(float(blend), 4),
        },
    )


def chosen_blend(features: np.ndarray, target: np.ndarray, alphas: tuple[float, float]) -> float:
    """The blend weight on the embedding ridge whose predictions on held-out inner folds
    correlate best with the target (each inner fold standardised and fitted on the others)."""
    count = len(target)
    held_out = np.zeros((2, count))
    for fold in np.array_split(np.random.default_rng(BLEND_SEED).permutation(count), BLEND_FOLDS):
        train = np.setdiff1d(np.arange(count), fold)
        mean = features[train].mean(axis=0)
        scale = features[train].std(axis=0)
        scale = np.where(scale < 1e-8, 1.0, scale)
        standard = _clipped((features - mean) / scale, CLIP_SPREADS)
        bias = target[train].mean()
        for part, (columns, alpha) in enumerate(
            ((slice(0, EMBEDDING_FEATURES), alphas[0]), (slice(EMBEDDING_FEATURES, None), alphas[1]))
        ):
            weights = _ridge(standard[train, columns], target[train] - bias, alpha)
            held_out[part, fold] = standard[fold, columns] @ weights + bias
    return float(max(BLEND_GRID, key=lambda w: _pearson(w * held_out[0] + (1 - w) * held_out[1], target)))


def _clipped(standard: np.ndarray, spreads: float) -> np.ndarray:
    return np.clip(standard, -spreads, spreads) if spreads > 0 else standard


def _ridge(standard: np.ndarray, centred: np.ndarray, alpha: float) -> np.ndarray:
    """Ridge weights in closed form; with more columns than rows the dual form is the smaller solve."""
    rows, columns = standard.shape
    if columns > rows:
        return standard.T @ np.linalg.solve(standard @ standard.T + alpha * np.eye(rows), centred)
    return np.linalg.solve(standard.T @ standard + alpha * np.eye(columns), standard.T @ centred)


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    if np.std(a) == 0 or np.std(b) == 0:
        return -1.0
    return float(np.corrcoef(a, b)[0, 1])
