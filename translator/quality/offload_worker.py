"""The worker side of ``offload.py``: what runs in the checks' second process.

Its top level imports nothing but the standard library, on purpose: a spawned process unpickles
its target (this module's functions) before anything else, while the parent waits on the pipe;
the quality modules it needs are imported by ``setup``, the first task it runs, when the parent
is already back at its own work.
"""

from __future__ import annotations

import gc
import pickle
import signal
from typing import Any

from ..collector import RUN_GC_THRESHOLDS

# Set by ``setup``: the run's Assessor (unpickled once) and the glossary entries, in the order of
# the parent's matcher, that shipped glossary matches refer to by index.
_assessor: Any = None
_entries: tuple[Any, ...] = ()

# (id, kind, tagged text, spans, scope or None, glossary matches or None): what the rules and
# scores read of a segment. Glossary matches: per token of the tagged text, (token, matches) with
# each match as (start, end, entry index, surface, base) and every token None when they are the
# tokens ``markup.tokens`` gives (neither side splits the text to send or rebuild them), or each
# as (kind, value) when protect left runs split another way.
PackedMatches = tuple[tuple[tuple[str, str] | None, tuple[tuple[int, int, int, str, str], ...]], ...]
PackedSegment = tuple[str, str, str, dict[str, Any], Any, PackedMatches | None]


def ignore_interrupts() -> None:
    """A Ctrl-C reaches the whole process group: the parent handles it and shuts this worker
    down; the worker itself neither stops half-way nor prints a traceback. (Spawned with SIGINT
    already ignored, so this only matters if it is started some other way.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*RUN_GC_THRESHOLDS)  # it lives for one run, as the run's own thresholds do


def setup(payload: bytes, entry_count: int | None) -> None:
    """Unpickle the run's Assessor and build its glossary matcher here (an Aho-Corasick automaton
    is rebuilt from the glossary rather than pickled)."""
    global _assessor, _entries
    from ..glossary.matcher import Matcher
    from .terms import TermIndex

    assessor = pickle.loads(payload)
    matcher = Matcher(assessor.terms.glossary, assessor.terms.lang)
    assessor.terms = TermIndex(assessor.terms.glossary, assessor.terms.lang, matcher=matcher)
    if (
        entry_count is not None and len(matcher.entries) != entry_count
    ):  # the same glossary and language give the same entries
        raise RuntimeError(f"check worker: {len(matcher.entries)} glossary entries, the run has {entry_count}")
    _assessor, _entries = assessor, matcher.entries


def _segment(packed: PackedSegment) -> Any:
    from ..glossary.matcher import Match, RunMatches
    from ..glossary.source_terms import SourceTerms
    from ..markup import Token
    from ..types import Segment

    seg_id, kind, text, spans, scope, runs = packed
    segment = Segment(seg_id, kind, text, spans, meta={} if scope is None else {"scope": scope})
    if runs is None:
        return segment
    # The parent's matches, as protect left them (the protected text's own matches, which
    # matching that text again would not always give): the rules must read the same ones.
    matcher = _assessor.terms.matcher
    matches = tuple(
        tuple(Match(s, e, _entries[i], surface, base) for s, e, i, surface, base in found) for _token, found in runs
    )
    if all(token is None for token, _found in runs):
        segment.glossary_terms = SourceTerms.per_token(matcher, text, matches)
    else:
        tokens = (Token(*token) for token, _found in runs)  # type: ignore[misc]  # sent with each run
        segment.glossary_terms = SourceTerms(
            matcher, text, tuple(RunMatches(token, found) for token, found in zip(tokens, matches, strict=True))
        )
    return segment


def rule_findings(batch: list[tuple[PackedSegment, str]]) -> list[list[Any]]:
    """Each translation's per-segment rule findings (``Assessor.rule_findings``)."""
    from ..types import Translation

    found = []
    for packed, text in batch:
        segment = _segment(packed)
        found.append(_assessor.rule_findings(segment, Translation(segment.id, text)))
    return found


def scores(
    batch: list[tuple[PackedSegment, str, str]],
) -> list[tuple[list[Any], dict[str, float], Any, dict[str, str]]]:
    """Each back-translated translation's round-trip scores (``Assessor.score``): the findings
    and scores it added, the sentence statistics it returned, and the metrics' signatures its
    scoring records (``Scorer.signatures``, which the parent's reports show)."""
    from ..types import Translation

    signatures = _assessor.scorer.signatures
    found = []
    for packed, text, back_translation in batch:
        segment = _segment(packed)
        translation = Translation(segment.id, text, back_translation=back_translation)
        statistics = _assessor.score(segment, translation)
        used = {f"{name}.sentence": signatures[f"{name}.sentence"] for name in statistics or ()}
        found.append((translation.findings, translation.scores, statistics, used))
    return found
