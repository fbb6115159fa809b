"""Parsing without the cycle collector's repeated passes over what is being built.

A reader builds hundreds of thousands of small objects that all live until its document is done.
CPython's cycle collector walks every object it tracks again each time enough new ones have
piled up, and once they outgrow the CPU cache each walk costs more per object, so reading a 2 MB
file took 14-21 times as long as a 200 KB one instead of 10 (``bench/reader_scaling.py``). Readers,
writers and glossary parsers run with the collector paused; cycles they leave (a parsed tree's
parent links) are collected as usual once it resumes.
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
