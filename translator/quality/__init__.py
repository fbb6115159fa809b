"""Quality: how far to trust each translated segment, and why.

For every translated segment the quality stage fills in the ``Translation`` fields a reader of
the review report needs (see ``translator.types.Translation``):

* ``back_translation`` — the translation rendered back into the source language (tagged text,
  same inline codes), when it was chosen (``back_translate = all | suspect | none``);
* ``scores`` — round-trip scores between the source and its back-translation, masked first
  (``chrf``/``bleu``/``ter`` from sacrebleu, 0–100; TER is an error rate, lower is better) and
  ``semantic`` (cosine similarity 0–1) when the optional embedding model is installed;
  ``qe_model`` (the embedded quality-estimation model, 0–100) and ``qe`` (every scoring judge
  combined, 0–100);
* ``findings`` — glossary violations (``glossary.*``) and literalness rule hits (``rule.ja.*``),
  each with a severity, the explanation shown to the user and the span in the plain translation;
* ``verdict`` — ``ok`` | ``review`` | ``literal`` (see ``verdict.py`` for how signals combine);
* ``alternatives`` — with ``--fix``: every candidate considered, which one was kept and why.

The run-level ``QualitySummary`` (``summary.py``) holds the per-document corpus scores, the
sacrebleu signature strings, the back-translation cost of each choice and the verdict counts.

Modules, one job each: ``masking`` (neutral tokens for terms and protected spans), ``scores``
(sacrebleu), ``rules`` (data-driven literalness rules), ``style`` (Japanese style normalisation),
``verdict`` (thresholds), ``backtranslate``, ``semantic`` (optional), ``qe`` (the embedded
quality-estimation model), ``judges`` (the judge contract, the embedded-model judge, how scores
combine into ``scores.qe``), ``fix``, ``stage`` (the pipeline seam), ``pairs`` and ``check``
(``translator check``), ``calibrate``, ``summary``.
"""
