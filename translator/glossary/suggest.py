"""Candidate glossary terms from a corpus: the names and phrases a glossary does not cover yet.

Three kinds of candidates, counted over all segments: AWS-style product names (``Amazon X``,
``AWS X``), capitalised multiword names (``Model Monitor``), acronyms (``RAG``), and frequent
two- and three-word technical phrases (``feature store``). A candidate the glossary already
matches in full is dropped; the rest are ranked by frequency, each with an example sentence.

Transcripts bring noise that is frequent but no term: sound cues (``(air whooshing)``,
``[music]``) are cut out before counting, a sentence start is not a name (``Now I``, ``So
Amazon``), and units (``MB``, ``GiB``, ``ms``) are not acronyms.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .matcher import Matcher

PRODUCT_RE = re.compile(r"\b(?:Amazon|AWS)(?:\s+(?:[A-Z][A-Za-z0-9-]*|for|on|and))*\s+[A-Z][A-Za-z0-9-]*")
NAME_RE = re.compile(r"\b[A-Z][a-z0-9]*[A-Z]?[A-Za-z0-9-]*(?:\s+[A-Z][A-Za-z0-9-]*)+")
ACRONYM_RE = re.compile(r"\b[A-Z][A-Z0-9]{1,7}s?\b")
WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
STOPWORDS = frozenset(
    """a an the and or but of to in on for with by from at as is are was were be been being this that these
    those it its into over under than then so such can could will would should may might must do does did
    not no yes you your we our they their he she his her i me my which what when where who whom how why all
    any each every some more most less least many much other another use using used also only just very
    if else while about after before between both either neither same new one two three first second""".split()
)
NOT_NAMES = frozenset(
    """The A An In On For With By From At As This That These Those It If When Which What How Use Now So Then
    Here There Today Next Let Let's Okay OK Well And But Or Also First Second Third Finally Once We You They
    He She I I'm I'll I've My Our Your Their Its Yes No Hi Hello Welcome Thanks Thank Great Alright Right Just
    Remember Note Again Before After Over Under Inside Every Each All Some Many Most""".split()
)
UNITS = frozenset(
    "KB MB GB TB PB EB KBS MBS GBS TBS KIB MIB GIB TIB PIB KBPS MBPS GBPS MHZ GHZ MS NS AM PM OK TV ID IDS".split()
)  # compared upper-cased: "MBs", "GiB" and "Mbps" are units too
SOUND_WORDS = frozenset("music applause laughter laughs laughing silence chime chimes beep beeps noise sighs".split())
_BRACKETED = re.compile(r"[(\[]([a-z][a-z ]*)[)\]]")
MAX_EXAMPLE = 160
KINDS = ("product", "name", "acronym", "phrase")


@dataclass
class Candidate:
    text: str
    kind: str  # product, name, acronym, phrase
    count: int
    example: str


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start) + 2, 0) if text.rfind(". ", 0, start) >= 0 else 0
    right = text.find(". ", end)
    sentence = text[left : right + 1 if right >= 0 else len(text)].strip()
    return sentence if len(sentence) <= MAX_EXAMPLE else sentence[: MAX_EXAMPLE - 1] + "…"


def suggest(texts: Iterable[str], matcher: Matcher, *, min_count: int = 2) -> list[Candidate]:
    """Ranked candidates (most frequent first) that ``matcher``'s glossary lacks."""
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}

    def add(kind: str, text: str, source: str, start: int, end: int) -> None:
        key = (kind, text)
        counts[key] += 1
        examples.setdefault(key, _sentence(source, start, end))

    for text in texts:
        text = without_sound_cues(text)
        products = [(m.start(), m.end()) for m in PRODUCT_RE.finditer(text)]
        for start, end in products:
            add("product", text[start:end], text, start, end)
        for match in NAME_RE.finditer(text):
            words = match.group().split()
            while words and words[0] in NOT_NAMES:
                words.pop(0)
            while words and words[-1] in NOT_NAMES:
                words.pop()
            if len(words) < 2 or words[0] in ("Amazon", "AWS"):
                continue
            name = " ".join(words)
            start = match.end() - len(match.group()) + match.group().find(words[0])
            add("name", name, text, start, match.end())
        for match in ACRONYM_RE.finditer(text):
            if match.group() not in ("I", "AWS", "A") and match.group().upper() not in UNITS:
                add("acronym", match.group(), text, match.start(), match.end())
        for phrase, start, end in _phrases(text, _glossary_spans(matcher, text)):
            add("phrase", phrase, text, start, end)
    # One candidate per spelling: "Amazon Bedrock" the product and "amazon bedrock" the phrase are
    # the same occurrences counted twice, so the more specific kind and the higher count are kept.
    merged: dict[str, Candidate] = {}
    for (kind, text), count in counts.items():
        known = merged.get(text.casefold())
        if known is None or KINDS.index(kind) < KINDS.index(known.kind):
            merged[text.casefold()] = Candidate(
                text, kind, max(count, known.count if known else 0), examples[(kind, text)]
            )
        else:
            known.count = max(known.count, count)
    ranked = sorted(merged.values(), key=lambda c: (-c.count, KINDS.index(c.kind), c.text.casefold()))
    return [c for c in ranked if c.count >= min_count and not _covered(matcher, c.text)]


def without_sound_cues(text: str) -> str:
    """The text without bracketed sound descriptions, ``(air whooshing)`` or ``[upbeat music]``:
    lower-case words ending in an ``-ing`` word or a sound word. "(RAG)" or "(for example)" stay."""

    def cut(match: re.Match[str]) -> str:
        words = match.group(1).split()
        is_sound = bool(words) and (words[-1].endswith("ing") or words[-1] in SOUND_WORDS) and len(words) <= 4
        return "…" if is_sound else match.group()

    return _BRACKETED.sub(cut, text)


def _glossary_spans(matcher: Matcher, text: str) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in matcher.find(text)]


def _phrases(text: str, known: list[tuple[int, int]]) -> Iterator[tuple[str, int, int]]:
    """Two- and three-word phrases that are neither cut by punctuation ("information, see") nor
    part of a term the glossary already has ("amazon ec2" inside "Amazon EC2 instances")."""
    words = [(m.group().lower(), m.start(), m.end()) for m in WORD_RE.finditer(text)]
    for size in (2, 3):
        for i in range(len(words) - size + 1):
            gram = words[i : i + size]
            if gram[0][0] in STOPWORDS or gram[-1][0] in STOPWORDS or any(len(w) < 3 for w, _, _ in gram):
                continue
            if any(w in STOPWORDS for w, _, _ in gram[1:-1]):
                continue
            if any(not text[a[2] : b[1]].isspace() for a, b in zip(gram, gram[1:], strict=False)):
                continue
            start, end = gram[0][1], gram[-1][2]
            if any(s < end and start < e for s, e in known):
                continue
            yield " ".join(w for w, _, _ in gram), start, end


def _covered(matcher: Matcher, text: str) -> bool:
    """True when the glossary already matches the whole candidate (or all of its words)."""
    matches = matcher.find(text)
    return any(m.start == 0 and m.end == len(text) for m in matches)
