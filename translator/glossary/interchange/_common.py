"""Small pieces every interchange format shares: import results, language codes, clean text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..model import Entry

_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_PRETTY_BREAK = re.compile(r"[ \t]*\n[ \t]+")


@dataclass
class Imported:
    """Entries read from a file, and what was left out (shown to the user, never silent)."""

    entries: list[Entry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass
class Exported:
    """An export's bytes, how many entries went in, and what had to be left out."""

    data: bytes
    count: int
    skipped: list[str] = field(default_factory=list)


def is_lang_code(text: str) -> bool:
    return bool(_LANG.match(text.strip()))


def normalize_lang(code: str) -> str:
    """``EN``/``fr_ca``/``FR-CA`` → ``en``/``fr-CA``/``fr-CA``: the spelling glossary files use."""
    parts = code.strip().replace("_", "-").split("-")
    head, rest = parts[0].lower(), parts[1:]
    return "-".join([head, *(p.upper() if len(p) == 2 else p for p in rest)])


def collapse_regions(entries: list[Entry], lang: str) -> list[Entry]:
    """``ja-JP`` → ``ja`` (for the target language ``lang``) when the file uses one variant of it.

    Commands ask for a target as a bare language (``--to ja``), and terminology tools write
    regional codes (``ja-JP``) out of habit, so such a target would otherwise never be used. Other
    languages keep their codes as written (``zh-CN`` and ``zh-TW`` differ), and a file holding
    two variants of ``lang`` keeps them apart.
    """
    base = normalize_lang(lang).split("-")[0]
    variants = {code for entry in entries for code in entry.targets if code.split("-")[0] == base}
    if len(variants) != 1 or base in variants:
        return entries
    (regional,) = variants
    return [
        replace(entry, targets={(base if code == regional else code): r for code, r in entry.targets.items()})
        if regional in entry.targets
        else entry
        for entry in entries
    ]


def is_english(code: str | None) -> bool:
    return code is not None and bool(code) and normalize_lang(code).split("-")[0] == "en"


def clean(text: str | None) -> str:
    """Trim, and undo the line breaks plus indentation that pretty-printed XML puts inside text.

    A line break followed by indentation is layout, not content; a bare line break (as this tool
    writes multi-line notes) is kept.
    """
    if text is None:
        return ""
    return _PRETTY_BREAK.sub(" ", text).strip()


def unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def sort_entries(entries: Iterable[Entry]) -> list[Entry]:
    """The canonical order of glossary files: by term, case-insensitively."""
    return sorted(entries, key=lambda e: (e.term.casefold(), e.term))


def split_list(cell: str) -> tuple[str, ...]:
    """A ``|``-separated list cell; ``\\|`` is a literal bar and ``\\\\`` a backslash."""
    items: list[str] = []
    current: list[str] = []
    chars = iter(cell)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == "|":
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    items.append("".join(current).strip())
    return unique(items)


def join_list(items: Iterable[str]) -> str:
    return "|".join(item.replace("\\", "\\\\").replace("|", "\\|") for item in items)
