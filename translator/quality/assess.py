"""Judging one document's translations: rules, masked round-trip scores, similarity, verdicts.

Shared by the pipeline stage (``translate``), ``translator check``, ``--fix`` (to compare
candidates) and ``translator calibrate`` (to compute the signals of labelled pairs), so every
path judges a segment the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import overload

from ..types import Finding, Segment, Span, Translation
from .judges.combine import COMBINED_SCORE, EMBEDDED_SCORE, JUDGE_PREFIX, combined
from .masking import masked
from .plaintext import PlainText, plain_text
from .rules import RuleSet, SegmentPair
from .scores import Scorer, Statistics, adequacy
from .semantic import SemanticModel
from .terms import TermIndex
from .verdict import Thresholds, estimate_note, judge, judge_weights, score_note


@dataclass
class Assessor:
    rules: RuleSet
    terms: TermIndex
    scorer: Scorer
    metric: str
    thresholds: Thresholds
    semantic: SemanticModel | None = None
    # Each segment is read as plain text by its rules, its document's rules and its scores: the
    # walk is done once. Keyed by the tagged text and the spans' identity (the entry keeps the
    # spans alive, so that identity cannot be reused); cleared when full, so it stays small.
    _plain: dict[tuple[str, int], tuple[dict[str, Span], PlainText]] = field(
        default_factory=dict, init=False, repr=False
    )

    def plain(self, tagged: str, spans: dict[str, Span]) -> PlainText:
        key = (tagged, id(spans))
        known = self._plain.get(key)
        if known is not None and known[0] is spans:
            return known[1]
        if len(self._plain) >= 4096:
            self._plain.clear()
        text = plain_text(tagged, spans)
        self._plain[key] = (spans, text)
        return text

    def pair(self, segment: Segment, translation: Translation, *, with_terms: bool = True) -> SegmentPair:
        """What the rules read of a segment. ``with_terms=False`` leaves out the source's glossary
        terms (``source_terms`` None), which only segment rules read: document and
        back-translation rules do not."""
        return SegmentPair(
            segment.id,
            self.plain(segment.text, segment.spans),
            self.plain(translation.text, segment.spans),
            scope=str(segment.meta.get("scope", "")),
            source_tagged=segment.text,
            target_tagged=translation.text,
            spans=segment.spans,
            source_terms=self.terms.in_segment(segment) if with_terms else None,
        )

    def rule_findings(self, segment: Segment, translation: Translation) -> list[Finding]:
        return self.rules.check_segment(self.pair(segment, translation), self.terms)

    def document_findings(self, items: Sequence[tuple[Segment, Translation]]) -> list[Finding]:
        scopes = [str(segment.meta.get("scope", "")) for segment, _translation in items]
        return self.rules.check_document(_PairsWhenRead(self, items), scopes)

    def masked(self, segment: Segment, back_translation: str | PlainText) -> tuple[str, str]:
        """(hypothesis, reference): the back-translation (tagged, or its plain text already read)
        and the source, masked alike."""
        if isinstance(back_translation, str):
            back_translation = plain_text(back_translation, segment.spans)
        return masked(back_translation, self.terms), self.terms.masked_source(segment)

    def score(self, segment: Segment, translation: Translation) -> Statistics | None:
        """Round-trip scores (and similarity) into ``translation.scores``; returns the sentence's
        statistics, which the document's corpus score pools (None: nothing was scored)."""
        if translation.back_translation is None:
            return None
        source = self.plain(segment.text, segment.spans).text
        back_plain = plain_text(translation.back_translation, segment.spans)
        back = back_plain.text
        if _echoed(back, source, self.plain(translation.text, segment.spans).text):
            translation.findings.append(
                Finding(
                    segment.id,
                    "quality.back-translation-unusable",
                    "cosmetic",
                    "the back-translation came back in the target language, so it was not scored",
                )
            )
            return None
        pair = self.pair(segment, translation, with_terms=False)
        translation.findings.extend(self.rules.check_back_translation(pair, back))
        hypothesis, reference = self.masked(segment, back_plain)
        scores, statistics = self.scorer.sentence_statistics(hypothesis, reference)
        translation.scores.update(scores)
        if self.semantic is not None:
            translation.scores["semantic"] = self.semantic.similarity(source, back)
        return statistics

    def judge_scores(self, translation: Translation) -> dict[str, float]:
        """The 0–100 score of every scoring judge that spoke about this translation."""
        scores = translation.scores
        found: dict[str, float] = {}
        if EMBEDDED_SCORE in scores:
            found["embedded"] = scores[EMBEDDED_SCORE]
        for key, value in scores.items():
            if key.startswith(JUDGE_PREFIX):
                found[key.removeprefix(JUDGE_PREFIX)] = value
        if self.metric in scores:
            found["round-trip"] = adequacy(self.metric, scores[self.metric])
        if "semantic" in scores:
            found["similarity"] = max(0.0, 100.0 * scores["semantic"])
        return found

    def decide(self, translation: Translation) -> None:
        estimate = combined(self.judge_scores(translation), judge_weights(self.thresholds))
        if estimate is None:
            translation.scores.pop(COMBINED_SCORE, None)
        else:
            translation.scores[COMBINED_SCORE] = estimate
        notes = ("quality.round-trip", "quality.estimate")
        translation.findings = [f for f in translation.findings if f.check not in notes]
        for note in (
            score_note(translation.segment_id, translation.scores, self.metric, self.thresholds),
            estimate_note(translation.segment_id, translation.scores, self.thresholds),
        ):
            if note is not None:
                translation.findings.append(note)
        translation.verdict = judge(translation.findings, translation.scores, self.metric, self.thresholds)


# Everything but CJK characters: removing it leaves the characters to count (a run of others
# goes in one step, several times faster than finding each CJK character on its own).
_NOT_CJK = re.compile(r"[^\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF]+")
# Every byte but A-Z and a-z: in UTF-8 those letters are single bytes that no other character's
# bytes contain, so deleting the rest of the encoded text leaves exactly the Latin letters.
_NOT_LATIN_BYTES = bytes(b for b in range(256) if not (65 <= b <= 90 or 97 <= b <= 122))


def _cjk(text: str) -> int:
    return 0 if text.isascii() else len(_NOT_CJK.sub("", text))


def _latin(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass").translate(None, _NOT_LATIN_BYTES))


def _echoed(back_translation: str, source: str, translation: str) -> bool:
    """True when a back-translation into a Latin-script language still holds the translation's
    CJK text (an engine that echoed its input, maybe with a few Latin words or a marker added):
    scoring it would only say "literal" for every segment."""
    if _cjk(source) >= _latin(source):
        return False
    back_cjk = _cjk(back_translation)
    return back_cjk > _latin(back_translation) or back_cjk >= max(1, _cjk(translation) / 2)


class _PairsWhenRead(Sequence[SegmentPair]):
    """The document rules' pairs, each made when read: a document's pairs all at once (both plain
    texts of every segment) were about 0.9 KB a segment at the checks' peak."""

    def __init__(self, assessor: Assessor, items: Sequence[tuple[Segment, Translation]]) -> None:
        self.assessor = assessor
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> SegmentPair: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[SegmentPair]: ...
    def __getitem__(self, index: int | slice) -> SegmentPair | Sequence[SegmentPair]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        segment, translation = self.items[index]
        return self.assessor.pair(segment, translation, with_terms=False)
