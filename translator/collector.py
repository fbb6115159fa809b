"""Parsing without the cycle collector's repeated passes over what is being built.

A reader builds hundreds of thousands of small objects that all live until its document is done.
CPython's cycle collector walks every object it tracks again each time enough new ones have
piled up, and once they outgrow the CPU cache each walk costs more per object, so reading a 2 MB
file took 14-21 times as long as a 200 KB one instead of 10 (``bench/reader_scaling.py``). Readers,
writers and glossary parsers run with the collector paused; cycles they leave (a parsed tree's
parent links) are collected as usual once it resumes. A whole run (and its check worker) collects
less often than Python's defaults would (``fewer_collections``).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block; nested or concurrent pauses end with it running
    again as soon as the one that paused it is done (never left off)."""
    paused_here = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused_here:
            gc.enable()


def without_collector(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run with the cycle collector paused."""

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return function(*args, **kwargs)

    return paused


# The cyclic garbage collector's thresholds for a run (Python's are 700, 10, 10). A run allocates
# millions of small objects that live for a whole document (segments, translations, findings,
# matches): with the defaults, a 20,000-paragraph document set off about 1,400 young and 9 full
# collections, each full one walking every object of the document on the event loop (2.2 of
# the main thread's ~20 s of CPU, in stalls of a quarter of a second). Collecting the youngest
# generation every 10,000 allocations instead of 700 left 185 young and no full collection.
# Objects freed by their reference count (nearly all) are freed as before.
RUN_GC_THRESHOLDS = (10_000, 20, 10)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """``RUN_GC_THRESHOLDS`` for the length of a run, the caller's own thresholds after it."""
    before = gc.get_threshold()
    gc.set_threshold(*RUN_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
