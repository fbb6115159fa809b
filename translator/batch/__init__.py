"""The services' own batch engines for very large runs (``translate --batch``).

See ``run`` for how a run goes through a batch job, ``amazon_translate`` and ``bedrock`` for the
two engines, and ``state`` for how an interrupted run finds its job again.
"""

from .run import BatchOptions, BatchReport, translate_in_batch

__all__ = ["BatchOptions", "BatchReport", "translate_in_batch"]
