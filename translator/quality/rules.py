"""Literalness rules: team-editable data (``glossaries/rules/<lang>.yaml``) run over translations.

Each rule has an ``id``, a ``severity`` (critical | functional | cosmetic), an ``explanation``
shown to the user, an optional ``suggestion``, and a ``kind`` saying how it is checked:

* ``regex`` — ``pattern`` over the plain translation; ``source`` (optional) must also match the
  source (case-insensitive), e.g. あなた only counts when the English has "you";
* ``katakana_terms`` — a katakana transliteration of a term the glossary renders in kanji (the
  glossary's forbidden katakana renderings, plus the rule's own ``transliterations`` map);
* ``untranslated_english`` — lower-case English words copied from the source that are neither
  glossary keep-terms, protected text, nor the original of a name given in brackets;
* ``numbers`` / ``units`` / ``placeholders`` / ``option_letters`` — things that must survive
  (numbers compared as values, see ``numbers.py``; ``changed_severity`` for a replaced number);
* ``length_ratio`` — target/source characters outside ``[min, max]`` (from ``min_source_chars``);
* ``dropped_sentences`` — fewer sentences than the source and too short to hold them all;
* ``codes`` — links, URLs and inline code of the source missing from the translation;
* ``back_translation_length`` — back-translation/source characters outside ``[min, max]``;
* ``mixed_style`` — document-level: です/ます and だ/である endings in one document (each row of a
  pair list is its own); the minority style is flagged.

Rule files merge by id: the shipped file first, then ``./glossaries/rules/<lang>.yaml`` of the
working folder (a team's additions or overrides; ``enabled: false`` switches a shipped rule off).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .. import markup
from ..errors import ConfigError
from ..glossary.loader import shipped_dir
from ..types import Finding, Severity, Span
from . import numbers
from .plaintext import PlainText
from .terms import Term, TermIndex

SEVERITIES = ("critical", "functional", "cosmetic")
SEGMENT_KINDS = (
    "regex",
    "katakana_terms",
    "untranslated_english",
    "numbers",
    "units",
    "placeholders",
    "option_letters",
    "length_ratio",
    "dropped_sentences",
    "codes",
)
# Kinds whose check yields a hit per word: a segment left in English has one per word, and a
# learner needs one line naming the words, so their hits become one finding (see Rule.gathered).
PER_WORD_KINDS = frozenset({"untranslated_english"})
# Kinds whose check reads the translation with its protected text blanked out (``unprotected``):
# none of their hits can lie inside protected text, so they are not looked for there.
BLANKED_KINDS = frozenset({"untranslated_english", "numbers", "units"})
DOCUMENT_KINDS = ("mixed_style",)
BACK_TRANSLATION_KINDS = ("back_translation_length",)
RULES_FOLDER = Path("glossaries") / "rules"


class Hit(NamedTuple):
    """What a check found: where in the plain translation (``start == end``: nowhere in it, e.g. a
    missing number), what, and a severity when it differs from the rule's own."""

    start: int
    end: int
    found: str
    severity: Severity | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    kind: str
    explanation: str
    params: Mapping[str, Any] = field(default_factory=dict)
    suggestion: str | None = None
    origin: str = ""  # file:line
    # One string shared by every finding of the rule (a run holds one finding per hit).
    check: str = field(init=False, repr=False, compare=False)
    # What a check derives from ``params`` (compiled patterns, sets), worked out on first use.
    prepared: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "check", f"rule.{self.id}")

    def derived(self, make: Callable[[Rule], Any]) -> Any:
        """``make(rule)``: what a check derives from the rule's ``params``, worked out once per
        rule (a run loads its rules once and checks every segment with them)."""
        try:
            return self.prepared[make.__name__]
        except KeyError:
            value = self.prepared[make.__name__] = make(self)
            return value

    def finding(self, segment_id: str, hit: Hit | None, message: str | None = None) -> Finding:
        return Finding(
            segment_id,
            self.check,
            (hit.severity if hit else None) or self.severity,
            message or self.explanation,
            expected=self.suggestion,
            found=hit.found if hit else None,
            span=(hit.start, hit.end) if hit and hit.end > hit.start else None,
        )

    def gathered(self, segment_id: str, hits: Sequence[Hit]) -> Finding:
        """One finding for all of a segment's hits of this rule: ``found`` names what they found,
        each once, in the order of the text ("runs, the, training"); ``span`` runs from the first
        hit to the last (the report marks each listed word inside it); the severity is the most
        severe hit's. One hit gives the same finding as ``finding``."""
        if len(hits) == 1:
            return self.finding(segment_id, hits[0])
        severity = min(((hit.severity or self.severity) for hit in hits), key=SEVERITIES.index)
        located = [hit for hit in hits if hit.end > hit.start]
        return Finding(
            segment_id,
            self.check,
            severity,
            self.explanation,
            expected=self.suggestion,
            found=", ".join(dict.fromkeys(hit.found for hit in hits)),
            span=(min(h.start for h in located), max(h.end for h in located)) if located else None,
        )


@dataclass(frozen=True)
class SegmentPair:
    """What a segment rule looks at: the plain source and translation, with protected ranges.

    ``scope`` names the document a segment belongs to for document-level rules: the rows of a
    pair list (TSV, JSONL, XLIFF) are unrelated sentences, each its own scope. The tagged texts
    and their codes let a rule see links and inline code the translation lost."""

    segment_id: str
    source: PlainText
    target: PlainText
    scope: str = ""
    source_tagged: str = ""
    target_tagged: str = ""
    spans: Mapping[str, Span] = field(default_factory=dict)
    # Glossary terms of the source in ``source.text`` (found once per segment); None: look them up.
    source_terms: Sequence[tuple[int, int, Term]] | None = None


@dataclass
class RuleSet:
    language: str
    rules: tuple[Rule, ...] = ()
    files: tuple[str, ...] = ()
    # The segment rules as ``check_segment`` runs them, for the ``rules`` they were made from.
    _plan: tuple[tuple[Rule, ...], list[tuple[Rule, bool, bool]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def check_segment(self, pair: SegmentPair, terms: TermIndex) -> list[Finding]:
        findings: list[Finding] = []
        segment_id = pair.segment_id
        protected = pair.target.is_protected if pair.target.protected else None
        for rule, per_word, blanked in self._segment_rules():
            hits: Iterable[Hit] = SEGMENT_CHECKS[rule.kind](rule, pair, terms)
            if protected is not None and not blanked:
                # Only a hit wholly inside code or a kept name is void: によって〜される around
                # "Amazon S3" is still a passive.
                hits = [hit for hit in hits if not (hit.end > hit.start and protected(hit.start, hit.end))]
            if per_word:
                gathered = list(hits)
                if gathered:
                    findings.append(rule.gathered(segment_id, gathered))
            else:
                for hit in hits:
                    findings.append(rule.finding(segment_id, hit))
        return findings

    def _segment_rules(self) -> list[tuple[Rule, bool, bool]]:
        """The segment rules, each with whether its hits are gathered and whether its check reads
        the translation with protected text blanked out; worked out once per set of rules."""
        if self._plan is None or self._plan[0] is not self.rules:
            steps = [
                (r, r.kind in PER_WORD_KINDS, r.kind in BLANKED_KINDS) for r in self.rules if r.kind in SEGMENT_KINDS
            ]
            self._plan = (self.rules, steps)
        return self._plan[1]

    def check_document(self, pairs: Sequence[SegmentPair], scopes: Sequence[str] | None = None) -> list[Finding]:
        """Document-level rules, run within each scope (one document, or one row of a pair list).
        ``pairs`` may make each pair when it is read (``Assessor.document_findings``), since each
        is read once per rule and scope, never all kept; ``scopes`` then gives their scopes
        without making them."""
        findings: list[Finding] = []
        if scopes is None:
            scopes = [pair.scope for pair in pairs]
        in_order = sorted(range(len(pairs)), key=scopes.__getitem__)  # stable, as sorting the pairs was
        groups = [list(group) for _scope, group in groupby(in_order, key=scopes.__getitem__)]
        for rule in self.rules:
            if rule.kind == "mixed_style":
                for indexes in groups:
                    findings.extend(_mixed_style(rule, (pairs[index] for index in indexes)))
        return findings

    def check_back_translation(self, pair: SegmentPair, back_translation: str) -> list[Finding]:
        """Rules on the back-translation (English again): one absurdly short or long says the
        translation lost or invented content, or that the round trip cannot be trusted."""
        return [
            rule.finding(pair.segment_id, hit)
            for rule in self.rules
            if rule.kind in BACK_TRANSLATION_KINDS
            for hit in BACK_TRANSLATION_CHECKS[rule.kind](rule, pair, back_translation)
        ]

    @property
    def ids(self) -> list[str]:
        return [rule.id for rule in self.rules]


# --- loading -------------------------------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """Safe loader that remembers each mapping's line, so errors point at the rule."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {str(key): value for key, value in loader.construct_mapping(node, deep=True).items()}
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def shipped_rules_dir() -> Path:
    """The rules folder beside the shipped glossaries (``glossaries/rules`` in the package data)."""
    folder = shipped_dir()
    return folder / "rules" if folder else Path(RULES_FOLDER)


def rule_files(lang: str, cwd: Path | None = None) -> list[Path]:
    name = f"{lang.split('-')[0].lower()}.yaml"
    candidates = [shipped_rules_dir() / name, (cwd or Path.cwd()) / RULES_FOLDER / name]
    unique: list[Path] = []
    for path in candidates:
        if path.is_file() and all(path.resolve() != seen.resolve() for seen in unique):
            unique.append(path)
    return unique


def load_rules(lang: str, paths: Sequence[Path] | None = None) -> RuleSet:
    """Rules for ``lang`` from the shipped file and the working folder's (or ``paths``)."""
    files = list(paths) if paths is not None else rule_files(lang)
    merged: dict[str, Rule] = {}
    disabled: set[str] = set()
    for path in files:
        for rule, enabled in _read_rules(path):
            if enabled:
                merged[rule.id] = rule
                disabled.discard(rule.id)
            else:
                merged.pop(rule.id, None)
                disabled.add(rule.id)
    return RuleSet(lang, tuple(merged.values()), tuple(str(p) for p in files))


def _read_rules(path: Path) -> Iterator[tuple[Rule, bool]]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"not valid YAML: {exc}", path=str(path), line=mark.line + 1 if mark else None) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ConfigError("a rules file needs a top-level 'rules:' list", path=str(path))
    for item in data["rules"]:
        yield _parse_rule(item, path)


def _parse_rule(item: Any, path: Path) -> tuple[Rule, bool]:
    if not isinstance(item, dict):
        raise ConfigError("each rule must be a mapping", path=str(path))
    line = item.pop("__line__", None)

    def fail(message: str) -> ConfigError:
        return ConfigError(message, path=str(path), line=line)

    rule_id = item.pop("id", None)
    if not isinstance(rule_id, str) or not rule_id:
        raise fail("rule without an 'id'")
    enabled = item.pop("enabled", True)
    if enabled is False:
        return Rule(rule_id, "cosmetic", "regex", ""), False
    severity = item.pop("severity", None)
    if severity not in SEVERITIES:
        raise fail(f"rule {rule_id}: severity must be one of {', '.join(SEVERITIES)}")
    kind = item.pop("kind", "regex")
    known_kinds = SEGMENT_KINDS + DOCUMENT_KINDS + BACK_TRANSLATION_KINDS
    if kind not in known_kinds:
        raise fail(f"rule {rule_id}: unknown kind '{kind}' (known: {', '.join(known_kinds)})")
    explanation = item.pop("explanation", None)
    if not isinstance(explanation, str) or not explanation.strip():
        raise fail(f"rule {rule_id}: an 'explanation' for the user is required")
    suggestion = item.pop("suggestion", None)
    params = {k: _without_lines(v) for k, v in item.items()}
    for key, value in params.items():
        if key.endswith("_severity") and value not in SEVERITIES:
            raise fail(f"rule {rule_id}: {key} must be one of {', '.join(SEVERITIES)}")
    for key in ("pattern", "source", "polite", "plain"):
        if key in params:
            try:
                params[key] = re.compile(params[key])
            except (re.error, TypeError) as exc:
                raise fail(f"rule {rule_id}: '{key}' is not a valid regular expression: {exc}") from exc
    if kind == "regex" and "pattern" not in params:
        raise fail(f"rule {rule_id}: a regex rule needs a 'pattern'")
    if kind == "mixed_style" and not ("polite" in params and "plain" in params):
        raise fail(f"rule {rule_id}: a mixed_style rule needs 'polite' and 'plain' patterns")
    return Rule(rule_id, severity, kind, explanation.strip(), params, suggestion, f"{path}:{line}"), True


def _without_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value


# --- segment checks ------------------------------------------------------------------------


def _regex(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    source_pattern = rule.derived(_source_pattern)
    if source_pattern is not None and not source_pattern.search(pair.source.text):
        return
    for match in rule.params["pattern"].finditer(pair.target.text):
        found = match.group().strip()  # a pattern anchored with \s* should not mark the space
        if found:
            start = match.start() + match.group().index(found)
            yield Hit(start, start + len(found), found)


def _source_pattern(rule: Rule) -> re.Pattern[str] | None:
    """The rule's ``source`` pattern, matched regardless of case."""
    pattern = rule.params.get("source")
    return None if pattern is None else re.compile(pattern.pattern, re.IGNORECASE)


def _katakana_terms(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    extra: Mapping[str, Sequence[str]] = rule.params.get("transliterations") or {}
    candidates: set[str] = set()
    for _start, _end, term in pair.source_terms if pair.source_terms is not None else terms.find(pair.source.text):
        if term.in_kanji:
            candidates.update(term.forbidden_katakana())
            for surface in term.surfaces:
                candidates.update(extra.get(surface.lower(), ()))
    if extra:
        english, prefixes = _english_terms(tuple(extra))
        for match in english.finditer(pair.source.text.lower()):
            for key in prefixes[match.group(1)]:
                candidates.update(extra[key])
    if not candidates:
        return
    found = [
        (m.start(), m.end(), m.group()) for m in _katakana_pattern(frozenset(candidates)).finditer(pair.target.text)
    ]
    for start, end, form in sorted(found, key=lambda hit: (-len(hit[2]), hit[0])):  # longest forms first
        yield Hit(start, end, form)


@lru_cache(maxsize=64)
def _english_terms(english: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, list[str]]]:
    """One pattern finding every transliterated English term at a word start, compiled once;
    the longest term found at a place comes with those that are its prefixes ("model" in
    "model card"), which start there too."""
    lowered = sorted({e.lower() for e in english}, key=len, reverse=True)
    pattern = re.compile(r"\b(?=(" + "|".join(re.escape(e) for e in lowered) + "))")
    prefixes = {longer: [key for key in english if longer.startswith(key.lower())] for longer in lowered}
    return pattern, prefixes


@lru_cache(maxsize=1024)
def _katakana_pattern(forms: frozenset[str]) -> re.Pattern[str]:
    """The forms a segment's terms may be transliterated as, not inside a longer katakana word,
    compiled once per set of forms (a run meets few sets) and searched in one pass."""
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\u30A0-\u30FF])(?:{alternatives})(?![\u30A0-\u30FF])")


# Accented Latin letters belong to the word (álfaskólinn is one foreign word, not "lfask").
LATIN_LETTER = r"A-Za-z\u00C0-\u024F"
ENGLISH_WORD_RE = re.compile(rf"(?<![{LATIN_LETTER}0-9_./-])[A-Za-z][a-z]+(?:'[a-z]+)?(?![{LATIN_LETTER}0-9_/-])")
JAPANESE_CHAR = r"\u3040-\u30FF\u3400-\u9FFF\uF900-\uFAFF々〆ー"
# The original name in brackets after its Japanese rendering, as Japanese writing gives it:
# サイモン・ソーンハム(Simon Thornham), 人民解放運動(英語: Movement for …).
GLOSS_RE = re.compile(
    rf"(?<=[{JAPANESE_CHAR}」』])\s?[(（](?:[^()（）:：\n]{{1,12}}[:：]\s*)?[^()（）{JAPANESE_CHAR}]+[)）]"
)
# A title kept in its original language inside Japanese quotation marks: 「You're in love with me」.
QUOTED_TITLE_RE = re.compile(rf"[「『][^「」『』{JAPANESE_CHAR}]+[」』]")


def original_name_spans(text: str) -> list[tuple[int, int]]:
    """Ranges of ``text`` where English is the original of a name or title given beside (or as)
    its Japanese rendering: not untranslated text."""
    spans = []
    if "(" in text or "（" in text:  # each pattern needs its bracket: most texts have neither
        spans = [(m.start(), m.end()) for m in GLOSS_RE.finditer(text)]
    if "「" in text or "『" in text:
        spans += [(m.start(), m.end()) for m in QUOTED_TITLE_RE.finditer(text)]
    return spans


LETTERS_RE = re.compile(r"[A-Za-z]+")


def _untranslated_english(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    min_length, allowed, capitalised = rule.derived(_word_settings)
    text = pair.target.unprotected()
    # The source's words and the kept ranges are read only once a word could be a hit: a
    # translation without a Latin word (the usual case) costs one pattern search.
    source_words: set[str] | None = None
    kept: list[tuple[int, int]] | None = None
    for match in ENGLISH_WORD_RE.finditer(text):
        word = match[0]
        if not capitalised and word[0].isupper():
            continue  # names (Amazon, Python) are kept in AWS Japanese docs
        lower = word.lower()
        if len(word) < min_length or lower in allowed:
            continue
        if source_words is None:
            source_words = set(map(str.lower, LETTERS_RE.findall(pair.source.unprotected())))
        if lower not in source_words:
            continue
        if kept is None:
            kept = terms.allowed_english(text) + original_name_spans(text)
        start, end = match.span()
        for k_start, k_end in kept:
            if k_start <= start and end <= k_end:
                break
        else:
            yield Hit(start, end, word)


def _word_settings(rule: Rule) -> tuple[int, frozenset[str], bool]:
    return (
        int(rule.params.get("min_length", 3)),
        frozenset(w.lower() for w in rule.params.get("allow", ())),
        bool(rule.params.get("capitalised", False)),
    )


def _numbers(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    """Numbers compared as values (see ``numbers.py``): a digit number of the source that the
    translation lacks, and a digit number of the translation the source cannot stand for. One of
    each in the same segment is a *changed* number (``changed_severity``): the meaning is wrong,
    not just shorter."""
    source = pair.source.unprotected()
    target = pair.target.unprotected()
    # Most segments hold no digit: then nothing is required and nothing can be invented (number
    # words alone are never required, and only digit numbers of the translation are compared).
    source_digits, target_digits = numbers.has_digits(source), numbers.has_digits(target)
    if not (source_digits or target_digits):
        return
    required = numbers.requirements(source) if source_digits else []
    missing: list[numbers.Requirement] = []
    if required:
        present = numbers.present_values(target)
        missing = [r for r in required if not r.met_by(present)]
    invented: list[tuple[int, int, set[float]]] = []
    if target_digits:
        known = numbers.KnownValues(source, required)
        invented = [
            (start, end, values) for start, end, values in numbers.target_numbers(target) if not known.any_of(values)
        ]
    severity = rule.params.get("changed_severity") if missing and invented else None
    for requirement in missing:
        yield Hit(0, 0, f"{requirement.shown} (missing)", severity)
    for start, end, _values in invented:
        yield Hit(start, end, target[start:end], severity)


def _units(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    pattern = rule.derived(_unit_pattern)
    if pattern is None:
        return
    source, target = pair.source.unprotected(), pair.target.unprotected()
    if not (numbers.has_digits(source) or numbers.has_digits(target)):
        return  # a unit counts only after a digit
    source_units = [m.group(1) for m in pattern.finditer(source)]
    target_text = numbers.halfwidth(target)
    unmatched = list(source_units)
    for match in pattern.finditer(target_text):
        if match.group(1) in unmatched:
            unmatched.remove(match.group(1))
        else:
            yield Hit(match.start(1), match.end(1), match.group(1))
    for unit in unmatched:
        yield Hit(0, 0, f"{unit} (missing)")


def _unit_pattern(rule: Rule) -> re.Pattern[str] | None:
    units: Sequence[str] = rule.params.get("units", ())
    if not units:
        return None
    alternatives = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"\d\s?({alternatives})(?![A-Za-z])")


PLACEHOLDER_RE = re.compile(r"\{\{[^{}\n]+\}\}|\$\{[^{}\n]+\}|\{[A-Za-z_][\w.]*\}|%(?:\([\w]+\))?[sdif]\b")


def _placeholders(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    source = PLACEHOLDER_RE.findall(pair.source.text)
    remaining = list(source)
    for match in PLACEHOLDER_RE.finditer(pair.target.text):
        if match.group() in remaining:
            remaining.remove(match.group())
        else:
            yield Hit(match.start(), match.end(), match.group())
    for missing in remaining:
        yield Hit(0, 0, f"{missing} (missing)")


OPTION_SOURCE_RE = re.compile(
    r"\b(?:options?|answers?|choices?)\s+([A-F](?:\s*(?:,|and|or|&)\s*[A-F])*)\b|\(([A-F])\)|^\s*([A-F])[.)]\s",
    re.IGNORECASE,
)
OPTION_START_RE = re.compile(r"\s*[A-F][.)]\s", re.IGNORECASE)  # the pattern's third way, at the start
OPTION_TARGET_RE = re.compile(r"(?<![A-Za-z])([A-F])(?![A-Za-z])")
FULLWIDTH_OPTION_LETTERS = str.maketrans("ＡＢＣＤＥＦ", "ABCDEF")


def _may_name_options(text: str) -> bool:
    """False when ``text`` cannot match ``OPTION_SOURCE_RE``: none of its words, no bracket and no
    leading letter. Only ASCII text is looked at this way (its case folding is plain ``lower``)."""
    if not text.isascii():
        return True
    lowered = text.lower()
    return (
        "option" in lowered
        or "answer" in lowered
        or "choice" in lowered
        or "(" in text
        or OPTION_START_RE.match(text) is not None
    )


def _option_letters(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    letters: list[str] = []
    if not _may_name_options(pair.source.text):
        return
    for match in OPTION_SOURCE_RE.finditer(pair.source.text):
        group = next(g for g in match.groups() if g)
        letters.extend(letter.upper() for letter in re.findall(r"(?<![A-Za-z])[A-Fa-f](?![A-Za-z])", group))
    if not letters:
        return
    found = OPTION_TARGET_RE.findall(pair.target.text.translate(FULLWIDTH_OPTION_LETTERS))
    for letter in dict.fromkeys(letters):
        if letter not in found:
            yield Hit(0, 0, f"{letter} (missing)")


def _chars(text: str) -> int:
    return len("".join(text.split()))  # str.split() cuts at what the pattern \s matches


def _length_ratio(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    source_chars = pair.source.chars
    if source_chars < int(rule.params.get("min_source_chars", 20)):
        return
    ratio = pair.target.chars / source_chars
    if not float(rule.params.get("min", 0.0)) <= ratio <= float(rule.params.get("max", 10.0)):
        yield Hit(0, 0, f"ratio {ratio:.2f}")


# An English sentence ends at . ! ? followed by a space and a capital, a digit or a quote; an
# abbreviation ("e.g.", "Dr.") or an initial ("J. Smith") before the full stop is no end.
ENGLISH_SENTENCE_END_RE = re.compile(r"([A-Za-z]*)[.!?][\"')\]]?\s+(?=[A-Z0-9\"'(])")
ABBREVIATIONS = frozenset("e.g i.e etc vs mr mrs ms dr st no jr sr prof inc ltd co fig vol approx".split())
JAPANESE_SENTENCE_END_RE = re.compile(r"[。！？!?](?=\s*\S)|\.\s+(?=\S)")


def english_sentences(text: str) -> list[str]:
    stripped = text.strip()
    sentences: list[str] = []
    start = 0
    for match in ENGLISH_SENTENCE_END_RE.finditer(stripped):
        word = match.group(1)
        before = stripped[: match.start(1)]
        if (len(word) == 1 and word.isupper()) or word.lower() in ABBREVIATIONS or before.endswith(("e.", "i.")):
            continue
        sentences.append(stripped[start : match.end()])
        start = match.end()
    sentences.append(stripped[start:])
    return [s for s in sentences if s.strip()]


def japanese_sentence_count(text: str) -> int:
    stripped = text.strip()
    return 1 + len(JAPANESE_SENTENCE_END_RE.findall(stripped)) if stripped else 0


def _dropped_sentences(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    """Fewer sentences than the source *and* too short to hold them all: a sentence was dropped.
    Translators join two sentences into one, but then the length stays. The translation of all
    sentences is expected at about ``typical`` characters per source character; one that has
    lost even the shortest sentence falls below that by the sentence's share, so the check fires
    under ``typical`` × (1 − half the shortest sentence's share)."""
    source_chars = pair.source.chars
    if source_chars < int(rule.params.get("min_source_chars", 40)):
        return
    ratio = pair.target.chars / source_chars
    typical = float(rule.params.get("typical", 0.55))
    if typical >= 0 and ratio >= typical:
        return  # long enough for every sentence, whatever their count (the limit is below typical)
    sentences = english_sentences(pair.source.text)
    target_sentences = japanese_sentence_count(pair.target.text)
    if len(sentences) < 2 or target_sentences >= len(sentences):
        return
    shortest = min(_chars(s) for s in sentences) / source_chars
    if ratio < typical * (1 - shortest / 2):
        yield Hit(0, 0, f"{len(sentences)} sentences → {target_sentences}, ratio {ratio:.2f}")


def _codes(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    """Links, URLs and inline code of the source that the translation lost. The translation may
    carry the source's own codes (a run) or its own (``check``: a Japanese page links to the
    Japanese edition), so links count as kept while the translation has as many; a URL is kept as
    written or by another URL in its place; code must be kept as written."""
    kinds = rule.derived(_code_kinds)
    if not any(span.kind in kinds for span in pair.spans.values()):
        return  # the segment has no code of these kinds to lose
    source = _code_spans(pair.source_tagged, pair.spans, kinds)
    target = _code_spans(pair.target_tagged, pair.spans, kinds)
    spare = {kind: sum(1 for span in target if span.kind == kind) for kind in ("link", "url")}
    shown = [markup.visible_text(span).strip() for span in target if span.kind != "link"]
    lost: list[Span] = []
    for span in source:
        text = markup.visible_text(span).strip()
        if span.kind == "link" and spare["link"]:
            spare["link"] -= 1
        elif span.kind != "link" and text and (text in shown or text in pair.target.text):
            if text in shown:
                shown.remove(text)
                spare["url"] -= span.kind == "url"
        else:
            lost.append(span)
    for span in lost:
        if span.kind == "url" and spare["url"] > 0:
            spare["url"] -= 1  # the translation points somewhere else instead: its own edition
            continue
        what = (
            f"link {span.attrs.get('href', '')}".strip() if span.kind == "link" else markup.visible_text(span).strip()
        )
        yield Hit(0, 0, f"{what} (missing)")


def _code_kinds(rule: Rule) -> frozenset[str]:
    return frozenset(rule.params.get("kinds", ("link", "url", "code")))


def _code_spans(tagged: str, spans: Mapping[str, Span], kinds: frozenset[str]) -> list[Span]:
    found = []
    for token in markup.tokens(tagged):
        span = spans.get(token.value) if token.kind in ("x", "open") else None
        if span is not None and span.kind in kinds:
            found.append(span)
    return found


def _back_translation_length(rule: Rule, pair: SegmentPair, back_translation: str) -> Iterator[Hit]:
    source_chars = pair.source.chars
    if source_chars < int(rule.params.get("min_source_chars", 20)):
        return
    ratio = _chars(back_translation) / source_chars
    if not float(rule.params.get("min", 0.0)) <= ratio <= float(rule.params.get("max", 10.0)):
        yield Hit(0, 0, f"back-translation/source length {ratio:.2f}")


SEGMENT_CHECKS: dict[str, Callable[[Rule, SegmentPair, TermIndex], Iterator[Hit]]] = {
    "regex": _regex,
    "katakana_terms": _katakana_terms,
    "untranslated_english": _untranslated_english,
    "numbers": _numbers,
    "units": _units,
    "placeholders": _placeholders,
    "option_letters": _option_letters,
    "length_ratio": _length_ratio,
    "dropped_sentences": _dropped_sentences,
    "codes": _codes,
}
BACK_TRANSLATION_CHECKS: dict[str, Callable[[Rule, SegmentPair, str], Iterator[Hit]]] = {
    "back_translation_length": _back_translation_length,
}


# --- document checks -----------------------------------------------------------------------


def _mixed_style(rule: Rule, pairs: Iterable[SegmentPair]) -> list[Finding]:
    polite: list[tuple[str, re.Match[str]]] = []
    plain: list[tuple[str, re.Match[str]]] = []
    for pair in pairs:
        text = pair.target.unprotected()
        polite.extend((pair.segment_id, m) for m in rule.params["polite"].finditer(text))
        plain.extend((pair.segment_id, m) for m in rule.params["plain"].finditer(text))
    minimum = int(rule.params.get("min_each", 1))
    if len(polite) < minimum or len(plain) < minimum:
        return []
    minority, majority = (plain, "です/ます") if len(polite) >= len(plain) else (polite, "だ/である")
    message = f"{rule.explanation} (this document mostly uses {majority})"
    return [rule.finding(seg_id, Hit(m.start(), m.end(), m.group()), message) for seg_id, m in minority]
