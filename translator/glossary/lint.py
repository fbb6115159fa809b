"""Checks a team runs in CI on its glossary files: everything reported as ``file:line: severity: …``.

Errors (exit 1): schema violations and unknown fields, YAML syntax, the same term or alias defined
twice, conflicting renderings, a forbidden rendering that is also required, overlapping terms treated
differently (a translated term whose rendering drops a name kept in English inside it), and an
override whose rendering the overridden entry forbids (``inference`` → 推測 over the shipped entry
that forbids 推測), checked against the shipped glossaries whether or not they are shown. Warnings
(exit 0 unless ``--strict``): an entry overriding one from an earlier file with another rendering,
a missing ``source``, formatting that ``fmt`` would change. Notes (never fail): an entry that
repeats an earlier file's rendering unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs

from ..errors import GlossaryError
from .enforce import rendering_pattern
from .fmt import render
from .loader import (
    ENTRY_KEYS,
    INTERCHANGE_SUFFIXES,
    ParsedFile,
    Problem,
    Severity,
    parse_yaml,
    read_entries,
    shipped_paths,
)
from .matcher import fold, forms, is_word_char
from .model import Entry


@dataclass(frozen=True)
class _Surface:
    text: str
    entry: Entry
    is_term: bool


def lint_paths(
    paths: Sequence[Path], reference: Sequence[Path] = (), texts: Mapping[Path, str] | None = None
) -> list[Problem]:
    """Every problem in these files, in file order, then line order.

    ``reference`` files (the shipped glossaries, when they are not linted themselves) are not
    reported on; they only make an override with a rendering they forbid an error. ``texts``
    stands in for the content of some of the files (a change not written yet).
    """
    texts = texts or {}
    problems: list[Problem] = []
    entries: list[Entry] = []
    for path in paths:
        if path.suffix.lower() in INTERCHANGE_SUFFIXES:
            try:
                entries.extend(read_entries(path))
            except GlossaryError as exc:
                problems.append(Problem(exc.path or str(path), exc.line, "error", exc.message))
            continue
        text = texts.get(path)
        parsed = parse_yaml(path, text)
        problems.extend(parsed.problems)
        entries.extend(parsed.entries)
        if parsed.root is not None and not parsed.errors:
            problems.extend(_format_problems(parsed, path, text))
    problems.extend(_entry_problems(entries))
    problems.extend(_duplicates(entries))
    problems.extend(_forbidden_overrides(_reference_entries(reference, paths), entries))
    problems.extend(_overlaps(entries))
    order = {str(p): i for i, p in enumerate(paths)}
    return sorted(
        dict.fromkeys(problems), key=lambda p: (order.get(p.path, len(order)), p.line or 0, p.severity, p.message)
    )


def _at(entry: Entry, severity: Severity, message: str) -> Problem:
    path, line = entry.origin or ("<glossary>", 0)
    return Problem(path, line or None, severity, message)


@lru_cache(maxsize=1)
def _shipped_files() -> frozenset[str]:
    return frozenset(str(path.resolve()) for path in shipped_paths())


def _place(entry: Entry) -> str:
    """``file:line`` of an entry for a message; a shipped file by its name, since its install
    path (deep inside site-packages) says nothing to the person reading the message."""
    if entry.origin is not None and str(Path(entry.origin[0]).resolve()) in _shipped_files():
        return f"shipped {Path(entry.origin[0]).name}:{entry.origin[1]}"
    return entry.where()


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _entry_problems(entries: Sequence[Entry]) -> list[Problem]:
    problems: list[Problem] = []
    for entry in entries:
        if not entry.source:
            problems.append(_at(entry, "warning", f"'{entry.term}' has no 'source' (where its rendering comes from)"))
        for lang, rendering in entry.targets.items():
            required = [r for r in (rendering.preferred, *rendering.allowed) if r]
            if entry.keep:
                required.append(entry.term)
            for forbidden in rendering.forbidden:
                for wanted in required:
                    if _squeeze(forbidden) == _squeeze(wanted) or rendering_pattern(wanted).fullmatch(forbidden):
                        problems.append(
                            _at(
                                entry,
                                "error",
                                f"'{entry.term}' targets.{lang}: '{forbidden}' is both forbidden and required",
                            )
                        )
                        break
            if rendering.preferred and rendering.preferred in rendering.allowed:
                problems.append(
                    _at(entry, "warning", f"'{entry.term}' targets.{lang}: allowed repeats the preferred rendering")
                )
    return problems


def _renderings(entry: Entry) -> dict[str, str | None]:
    if entry.keep:
        return {"*": entry.term}
    return {lang: r.preferred for lang, r in entry.targets.items()}


def _duplicates(entries: Sequence[Entry]) -> list[Problem]:
    """Terms and aliases defined twice: within a file an error, a later file's term an override."""
    problems: list[Problem] = []
    seen: dict[str, _Surface] = {}
    for entry in entries:
        for surface in dict.fromkeys(s.casefold() for s in entry.surfaces):
            is_term = surface == entry.term.casefold()
            earlier = seen.get(surface)
            if earlier is None or earlier.entry is entry:
                seen[surface] = _Surface(surface, entry, is_term)
                continue
            first = earlier.entry
            same_file = (first.origin or ("",))[0] == (entry.origin or ("",))[0]
            if not is_term and not same_file and first.term.casefold() == entry.term.casefold():
                seen[surface] = _Surface(surface, entry, is_term)
                continue  # the whole entry overrides; reported once, on its term
            where = _place(first)
            differs = _renderings(first) != _renderings(entry) or first.keep != entry.keep
            what = "term" if is_term else "alias"
            if is_term and earlier.is_term and not same_file:
                forbidden = _forbidden_override(first, entry)
                if forbidden is not None:
                    problems.append(forbidden)
                elif differs:
                    problems.append(
                        _at(
                            entry,
                            "warning",
                            f"'{entry.term}' overrides the entry at {where} with a different rendering",
                        )
                    )
                else:
                    problems.append(
                        _at(entry, "note", f"'{entry.term}' repeats the entry at {where} (same rendering; it can go)")
                    )
            elif differs:
                problems.append(
                    _at(
                        entry,
                        "error",
                        f"conflicting renderings: {what} '{surface}' is also defined at {where} "
                        f"({_describe(first)} there, {_describe(entry)} here)",
                    )
                )
            else:
                problems.append(_at(entry, "error", f"duplicate {what} '{surface}' (also at {where})"))
            seen[surface] = _Surface(surface, entry, is_term)
    return problems


def _reference_entries(reference: Sequence[Path], linted: Sequence[Path]) -> list[Entry]:
    own = {path.resolve() for path in linted}
    entries: list[Entry] = []
    for path in reference:
        if path.resolve() in own:
            continue
        try:
            entries.extend(read_entries(path))
        except GlossaryError:
            continue  # a broken reference file is linted where it is edited, not here
    return entries


def _forbidden_override(earlier: Entry, later: Entry) -> Problem | None:
    """An error if ``later`` (an override of ``earlier``) requires a rendering ``earlier`` forbids."""
    for lang, rendering in later.targets.items():
        before = earlier.rendering(lang)
        if before is None or not before.forbidden:
            continue
        for wanted in (rendering.preferred, *rendering.allowed):
            if wanted and any(_squeeze(wanted) == _squeeze(f) for f in before.forbidden):
                instead = f" (preferred there: {before.preferred})" if before.preferred else ""
                return _at(
                    later, "error",
                    f"'{later.term}' targets.{lang}: '{wanted}' is forbidden by the entry it overrides at {_place(earlier)}{instead}",
                )  # fmt: skip
    return None


def _forbidden_overrides(reference: Sequence[Entry], entries: Sequence[Entry]) -> list[Problem]:
    by_term = {entry.term.casefold(): entry for entry in reference}
    found = (_forbidden_override(by_term[e.term.casefold()], e) for e in entries if e.term.casefold() in by_term)
    return [problem for problem in found if problem is not None]


def _describe(entry: Entry) -> str:
    if entry.keep:
        return "kept in English"
    return ", ".join(f"{lang}: {r.preferred}" for lang, r in entry.targets.items()) or "no rendering"


def _overlaps(entries: Sequence[Entry]) -> list[Problem]:
    """A kept term inside a translated one (``CloudWatch`` in ``CloudWatch alarm``).

    Longest match decides which entry applies, so a translated term inside a kept name
    (``forecast`` in ``Amazon Forecast``) is fine. The other way round the translated rendering
    replaces the whole phrase, so it must itself keep the name: ``CloudWatch アラーム``.
    """
    surfaces = [(s, e) for e in entries for s in dict.fromkeys(e.surfaces)]
    if not surfaces:
        return []
    variants = [(form, surface, entry) for surface, entry in surfaces if entry.keep for form in forms(surface)]
    if not variants:
        return []
    patterns = list(dict.fromkeys(fold(form) for form, _, _ in variants))
    index = {p: i for i, p in enumerate(patterns)}
    owners: list[list[tuple[str, str, Entry]]] = [[] for _ in patterns]
    for form, surface, entry in variants:
        owners[index[fold(form)]].append((form, surface, entry))
    automaton = ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.Standard)
    problems: list[Problem] = []
    reported: set[tuple[int, int]] = set()
    for outer_surface, outer in surfaces:
        if outer.keep:
            continue
        for found, start, end in automaton.find_matches_as_indexes(fold(outer_surface), overlapping=True):
            if (start > 0 and is_word_char(outer_surface[start]) and is_word_char(outer_surface[start - 1])) or (
                end < len(outer_surface) and is_word_char(outer_surface[end - 1]) and is_word_char(outer_surface[end])
            ):
                continue
            for inner_form, inner_surface, inner in owners[found]:
                if inner.case == "exact" and outer_surface[start:end] != inner_form:
                    continue
                if (id(inner), id(outer)) in reported:
                    continue
                kept_as = (*inner.surfaces, *(r for lang in outer.targets for r in inner.required(lang)))
                for lang, rendering in outer.targets.items():
                    dropped = [
                        r
                        for r in (rendering.preferred, *rendering.allowed)
                        if r and not any(rendering_pattern(k).search(r) for k in kept_as)
                    ]
                    if dropped:
                        reported.add((id(inner), id(outer)))
                        problems.append(
                            _at(
                                outer,
                                "error",
                                f"'{outer_surface}' contains '{inner_surface}', kept in English at "
                                f"{_place(inner)}, but its {lang} rendering '{dropped[0]}' does not keep it",
                            )
                        )
                        break
    return problems


def _format_problems(parsed: ParsedFile, path: Path, text: str | None = None) -> list[Problem]:
    """Sort order and key order by entry; otherwise the first line ``fmt`` would change."""
    problems: list[Problem] = []
    previous: Entry | None = None
    for entry, node in zip(parsed.entries, parsed.nodes, strict=True):
        if previous is not None and (entry.term.casefold(), entry.term) < (previous.term.casefold(), previous.term):
            problems.append(
                _at(entry, "warning", f"entries are not sorted: '{entry.term}' belongs before '{previous.term}'")
            )
        previous = entry
        keys = [k.value for k, _ in node.value if k.value in ENTRY_KEYS]
        if keys != sorted(keys, key=ENTRY_KEYS.index):
            problems.append(
                _at(entry, "warning", f"'{entry.term}': keys out of order (canonical: {', '.join(ENTRY_KEYS)})")
            )
    if problems:
        return problems
    if text is None:
        text = Path(path).read_text(encoding="utf-8-sig")
    canonical = render(parsed, text).splitlines()
    for number, (mine, wanted) in enumerate(zip([*text.splitlines(), ""], [*canonical, ""], strict=False), 1):
        if mine != wanted:
            message = f"not canonically formatted (expected: {wanted.strip()!r}); run 'translator glossary fmt'"
            return [Problem(str(path), number, "warning", message)]
    return []
