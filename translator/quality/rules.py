"""Literalness rules: team-editable data (``glossaries/rules/<lang>.yaml``) run over translations.

Each rule has an ``id``, a ``severity`` (critical | functional | cosmetic), an ``explanation``
shown to the user, an optional ``suggestion``, and a ``kind`` saying how it is checked:

* ``regex`` — ``pattern`` over the plain translation; ``source`` (optional) must also match the
  source (case-insensitive), e.g. あなた only counts when the English has "you";
* ``katakana_terms`` — a katakana transliteration of a term the glossary renders in kanji (the
  glossary's forbidden katakana renderings, plus the rule's own ``transliterations`` map);
* ``untranslated_english`` — lower-case English words copied from the source that are neither
  glossary keep-terms nor protected text;
* ``numbers`` / ``units`` / ``placeholders`` / ``option_letters`` — things that must survive;
* ``length_ratio`` — target/source characters outside ``[min, max]`` (from ``min_source_chars``);
* ``mixed_style`` — document-level: です/ます and だ/である endings in one document; the minority
  style is flagged.

Rule files merge by id: the shipped file first, then ``./glossaries/rules/<lang>.yaml`` of the
working folder (a team's additions or overrides; ``enabled: false`` switches a shipped rule off).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from ..glossary.loader import shipped_dir
from ..types import Finding, Severity
from . import numbers
from .plaintext import PlainText
from .terms import TermIndex

SEVERITIES = ("critical", "functional", "cosmetic")
SEGMENT_KINDS = (
    "regex", "katakana_terms", "untranslated_english", "numbers", "units", "placeholders",
    "option_letters", "length_ratio",
)
DOCUMENT_KINDS = ("mixed_style",)
RULES_FOLDER = Path("glossaries") / "rules"

Hit = tuple[int, int, str]  # start, end (in the plain translation), what was found


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    kind: str
    explanation: str
    params: Mapping[str, Any] = field(default_factory=dict)
    suggestion: str | None = None
    origin: str = ""  # file:line

    def finding(self, segment_id: str, hit: Hit | None, message: str | None = None) -> Finding:
        return Finding(
            segment_id,
            f"rule.{self.id}",
            self.severity,
            message or self.explanation,
            expected=self.suggestion,
            found=hit[2] if hit else None,
            span=(hit[0], hit[1]) if hit and hit[1] > hit[0] else None,
        )


@dataclass(frozen=True)
class SegmentPair:
    """What a segment rule looks at: the plain source and translation, with protected ranges."""

    segment_id: str
    source: PlainText
    target: PlainText


@dataclass
class RuleSet:
    language: str
    rules: tuple[Rule, ...] = ()
    files: tuple[str, ...] = ()

    def check_segment(self, pair: SegmentPair, terms: TermIndex) -> list[Finding]:
        findings: list[Finding] = []
        for rule in self.rules:
            if rule.kind not in SEGMENT_KINDS:
                continue
            for hit in SEGMENT_CHECKS[rule.kind](rule, pair, terms):
                # Only a hit wholly inside code or a kept name is void: によって〜される around
                # "Amazon S3" is still a passive.
                if hit[1] > hit[0] and pair.target.is_protected(hit[0], hit[1]):
                    continue
                findings.append(rule.finding(pair.segment_id, hit))
        return findings

    def check_document(self, pairs: Sequence[SegmentPair]) -> list[Finding]:
        findings: list[Finding] = []
        for rule in self.rules:
            if rule.kind == "mixed_style":
                findings.extend(_mixed_style(rule, pairs))
        return findings

    @property
    def ids(self) -> list[str]:
        return [rule.id for rule in self.rules]


# --- loading -------------------------------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """Safe loader that remembers each mapping's line, so errors point at the rule."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
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
    if kind not in SEGMENT_KINDS + DOCUMENT_KINDS:
        raise fail(f"rule {rule_id}: unknown kind '{kind}' (known: {', '.join(SEGMENT_KINDS + DOCUMENT_KINDS)})")
    explanation = item.pop("explanation", None)
    if not isinstance(explanation, str) or not explanation.strip():
        raise fail(f"rule {rule_id}: an 'explanation' for the user is required")
    suggestion = item.pop("suggestion", None)
    params = {k: _without_lines(v) for k, v in item.items()}
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
    source_pattern = rule.params.get("source")
    if source_pattern is not None and not re.search(source_pattern.pattern, pair.source.text, re.IGNORECASE):
        return
    for match in rule.params["pattern"].finditer(pair.target.text):
        found = match.group().strip()  # a pattern anchored with \s* should not mark the space
        if found:
            start = match.start() + match.group().index(found)
            yield start, start + len(found), found


def _katakana_terms(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    extra: Mapping[str, Sequence[str]] = rule.params.get("transliterations") or {}
    source_lower = pair.source.text.lower()
    candidates: set[str] = set()
    for _start, _end, term in terms.find(pair.source.text):
        if term.in_kanji:
            candidates.update(term.forbidden_katakana())
            for surface in term.surfaces:
                candidates.update(extra.get(surface.lower(), ()))
    for english, forms in extra.items():
        if re.search(rf"\b{re.escape(english.lower())}", source_lower):
            candidates.update(forms)
    for form in sorted(candidates, key=len, reverse=True):
        for match in re.finditer(rf"(?<![\u30A0-\u30FF]){re.escape(form)}(?![\u30A0-\u30FF])", pair.target.text):
            yield match.start(), match.end(), match.group()


ENGLISH_WORD_RE = re.compile(r"(?<![A-Za-z0-9_./-])[A-Za-z][a-z]+(?:'[a-z]+)?(?![A-Za-z0-9_/-])")


def _untranslated_english(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    min_length = int(rule.params.get("min_length", 3))
    allowed = {w.lower() for w in rule.params.get("allow", ())}
    source_words = {w.lower() for w in re.findall(r"[A-Za-z]+", pair.source.unprotected())}
    text = pair.target.unprotected()
    kept = terms.allowed_english(text)
    for match in ENGLISH_WORD_RE.finditer(text):
        word = match.group()
        lower = word.lower()
        if word[0].isupper() and not rule.params.get("capitalised", False):
            continue  # names (Amazon, Python) are kept in AWS Japanese docs
        if len(word) < min_length or lower in allowed or lower not in source_words:
            continue
        if any(start <= match.start() and match.end() <= end for start, end in kept):
            continue
        yield match.start(), match.end(), word


def _numbers(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    source = pair.source.unprotected()
    target = pair.target.unprotected()
    source_digits = numbers.digit_numbers(source)
    target_matches = numbers.digit_matches(target)
    target_values = {value for _s, _e, value in target_matches} | numbers.kanji_numbers(target)
    for value in source_digits:
        if value not in target_values:
            yield 0, 0, f"{_fmt(value)} (missing)"
    known = set(source_digits) | numbers.word_numbers(source)
    for start, end, value in target_matches:
        if value not in known:
            yield start, end, target[start:end]


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _units(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    units: Sequence[str] = rule.params.get("units", ())
    if not units:
        return
    alternatives = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    pattern = re.compile(rf"\d\s?({alternatives})(?![A-Za-z])")
    source_units = [m.group(1) for m in pattern.finditer(pair.source.unprotected())]
    target_text = pair.target.unprotected().translate(numbers.FULLWIDTH_DIGITS)
    unmatched = list(source_units)
    for match in pattern.finditer(target_text):
        if match.group(1) in unmatched:
            unmatched.remove(match.group(1))
        else:
            yield match.start(1), match.end(1), match.group(1)
    for unit in unmatched:
        yield 0, 0, f"{unit} (missing)"


PLACEHOLDER_RE = re.compile(r"\{\{[^{}\n]+\}\}|\$\{[^{}\n]+\}|\{[A-Za-z_][\w.]*\}|%(?:\([\w]+\))?[sdif]\b")


def _placeholders(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    source = PLACEHOLDER_RE.findall(pair.source.text)
    remaining = list(source)
    for match in PLACEHOLDER_RE.finditer(pair.target.text):
        if match.group() in remaining:
            remaining.remove(match.group())
        else:
            yield match.start(), match.end(), match.group()
    for missing in remaining:
        yield 0, 0, f"{missing} (missing)"


OPTION_SOURCE_RE = re.compile(
    r"\b(?:options?|answers?|choices?)\s+([A-F](?:\s*(?:,|and|or|&)\s*[A-F])*)\b|\(([A-F])\)|^\s*([A-F])[.)]\s",
    re.IGNORECASE,
)
OPTION_TARGET_RE = re.compile(r"(?<![A-Za-z])([A-F])(?![A-Za-z])")


def _option_letters(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    letters: list[str] = []
    for match in OPTION_SOURCE_RE.finditer(pair.source.text):
        group = next(g for g in match.groups() if g)
        letters.extend(letter.upper() for letter in re.findall(r"(?<![A-Za-z])[A-Fa-f](?![A-Za-z])", group))
    if not letters:
        return
    found = OPTION_TARGET_RE.findall(pair.target.text.translate(str.maketrans("ＡＢＣＤＥＦ", "ABCDEF")))
    for letter in dict.fromkeys(letters):
        if letter not in found:
            yield 0, 0, f"{letter} (missing)"


def _length_ratio(rule: Rule, pair: SegmentPair, terms: TermIndex) -> Iterator[Hit]:
    source_chars = len(re.sub(r"\s+", "", pair.source.text))
    if source_chars < int(rule.params.get("min_source_chars", 20)):
        return
    ratio = len(re.sub(r"\s+", "", pair.target.text)) / source_chars
    if not float(rule.params.get("min", 0.0)) <= ratio <= float(rule.params.get("max", 10.0)):
        yield 0, 0, f"ratio {ratio:.2f}"


SEGMENT_CHECKS: dict[str, Callable[[Rule, SegmentPair, TermIndex], Iterator[Hit]]] = {
    "regex": _regex,
    "katakana_terms": _katakana_terms,
    "untranslated_english": _untranslated_english,
    "numbers": _numbers,
    "units": _units,
    "placeholders": _placeholders,
    "option_letters": _option_letters,
    "length_ratio": _length_ratio,
}


# --- document checks -----------------------------------------------------------------------


def _mixed_style(rule: Rule, pairs: Sequence[SegmentPair]) -> list[Finding]:
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
    return [rule.finding(seg_id, (m.start(), m.end(), m.group()), message) for seg_id, m in minority]
