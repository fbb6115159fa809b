"""Deterministic pseudo-translation: the ``pseudo`` backend's engine and the loopback emulators'.

Why it exists: the ``pseudo`` backend shows how a file will come out without a service, and the
emulators (``translator.testing``, which re-exports it) must answer *every* text, not only the ones a
test put in its phrase table, and the answer must be (a) stable across runs so
tests can assert on it, (b) visibly "translated" so a test can tell whether a
segment went through a backend at all, and (c) structurally faithful: inline
XML tags and entities are the part of a segment that clients most often break,
so the fake engine must hand them back exactly as received.

The rules, in order:

1. The text is split into tags (``<x id="3">``, ``</g>``, ``<br/>``,
   ``<!-- ... -->``), entities (``&amp;``, ``&#39;``, ``&#x2014;``) and text
   runs. Tags and entities are copied byte for byte.
2. Text inside an element whose name is in ``ignore_tags`` is copied unchanged.
3. Other text runs get ``word_table`` substitutions: one pass, longest key
   first, whole words only, case-sensitive.
4. If any translatable run contains a letter, the marker ``[<lang>] ``
   (``target_lang`` lower-cased, so DeepL's ``JA`` and LibreTranslate's ``ja``
   produce the same output) is inserted once, right after the leading
   whitespace of the first such run. Nothing else is added, so surrounding
   whitespace of the whole text is preserved.

A text with no translatable letters (numbers, punctuation, tags only, or only
ignored content) is returned unchanged, like a real engine would.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from functools import lru_cache

__all__ = ["apply_word_table", "pseudo_translate"]

_MARKUP = re.compile(
    r"<!--.*?-->"  # comment
    r"|</?[A-Za-z_][\w.:-]*(?:\s[^<>]*)?/?>"  # start, end or empty-element tag
    r"|&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);",  # entity
    re.DOTALL,
)
_TAG_NAME = re.compile(r"</?([A-Za-z_][\w.:-]*)")


def _chunks(text: str, ignore_tags: Collection[str]) -> Iterator[tuple[str, bool]]:
    """Yield ``(chunk, translatable)`` pairs that concatenate back to ``text``."""
    ignored_depth = 0
    pos = 0
    for match in _MARKUP.finditer(text):
        if match.start() > pos:
            yield text[pos : match.start()], ignored_depth == 0
        token = match.group()
        yield token, False
        pos = match.end()
        name = _TAG_NAME.match(token)
        if name is None or name.group(1) not in ignore_tags or token.endswith("/>"):
            continue
        if token.startswith("</"):
            ignored_depth = max(0, ignored_depth - 1)
        else:
            ignored_depth += 1
    if pos < len(text):
        yield text[pos:], ignored_depth == 0


class _WordTable:
    r"""A word table ready to apply: its keys by first character, longest first.

    Equivalent to one regex ``(?<!\w)(?:k1|k2|...)(?!\w)`` with the keys longest first, which
    is what rule 3 says, but that regex tries every key at every position: with a glossary of
    several hundred terms it cost about a millisecond a text, enough to make an emulator, not the
    client it serves, the slowest part of a throughput benchmark. Here only the keys that begin
    with the word at a word start are tried there: a key can match only where its leading run of
    word characters is the text's whole run there (a shorter one would meet a word character
    where the key has none, a longer one would run past it), so the keys are indexed by that run
    (trying every key with the same first character still cost the emulator 3 ms a request)."""

    def __init__(self, keys: Collection[str]) -> None:
        self.by_word: dict[str, list[str]] = {}  # leading word characters → keys, longest first
        firsts: dict[str, None] = {}
        for key in sorted((k for k in keys if k), key=len, reverse=True):
            self.by_word.setdefault(_leading_word(key), []).append(key)
            firsts.setdefault(key[0])
        pattern = "".join(re.escape(c) for c in firsts)
        self.starts = re.compile(rf"(?<!\w)[{pattern}]") if pattern else None

    def substitute(self, chunk: str, table: Mapping[str, str]) -> str:
        if self.starts is None:
            return chunk
        out: list[str] = []
        pos = 0
        for match in self.starts.finditer(chunk):
            at = match.start()
            if at < pos:
                continue  # inside a replacement already made (the scan goes on after it)
            for key in self.by_word.get(_leading_word(chunk, at), ()):
                end = at + len(key)
                if chunk.startswith(key, at) and not _WORD_CHAR.match(chunk, end):
                    out += (chunk[pos:at], table[key])
                    pos = end
                    break
        if not out:
            return chunk
        out.append(chunk[pos:])
        return "".join(out)


_WORD_CHAR = re.compile(r"\w")
_WORD_RUN = re.compile(r"\w*")


def _leading_word(text: str, at: int = 0) -> str:
    """The run of word characters at ``at`` (empty when the character there is not one)."""
    match = _WORD_RUN.match(text, at)
    return match.group() if match else ""


@lru_cache(maxsize=64)
def _indexed(keys: frozenset[str]) -> _WordTable:
    return _WordTable(keys)


def _word_table(table: Mapping[str, str]) -> _WordTable | None:
    return _indexed(frozenset(table)) if table else None


def apply_word_table(text: str, table: Mapping[str, str], *, ignore_tags: Collection[str] = ()) -> str:
    """Replace whole-word occurrences of ``table`` keys outside tags and ignored elements.

    Exposed separately because the DeepL emulator also applies glossary terms
    to phrase-table answers, which are not pseudo-translated.
    """
    words = _word_table(table)
    if words is None:
        return text
    return "".join(
        words.substitute(chunk, table) if translatable else chunk for chunk, translatable in _chunks(text, ignore_tags)
    )


def pseudo_translate(
    text: str,
    target_lang: str,
    *,
    word_table: Mapping[str, str] | None = None,
    ignore_tags: Collection[str] = (),
) -> str:
    """Return the deterministic, visibly marked pseudo-translation of ``text``.

    >>> pseudo_translate('Set <x id="3">MaxWait</x> to <g id="1">True</g> &amp; go', "JA",
    ...                  ignore_tags={"x"})
    '[ja] Set <x id="3">MaxWait</x> to <g id="1">True</g> &amp; go'
    >>> pseudo_translate("  Hello world ", "ja", word_table={"world": "世界"})
    '  [ja] Hello 世界 '
    >>> pseudo_translate("42 <b/> 7.5%", "ja")
    '42 <b/> 7.5%'
    """
    chunks = list(_chunks(text, ignore_tags))
    if not any(translatable and _has_letter(chunk) for chunk, translatable in chunks):
        return text
    table = word_table or {}
    words = _word_table(table)
    marker = f"[{target_lang.lower()}] "
    out: list[str] = []
    for chunk, translatable in chunks:
        if not translatable:
            out.append(chunk)
            continue
        needs_marker = bool(marker) and _has_letter(chunk)
        if words is not None:
            chunk = words.substitute(chunk, table)
        if needs_marker:
            lead = len(chunk) - len(chunk.lstrip())
            chunk = chunk[:lead] + marker + chunk[lead:]
            marker = ""
        out.append(chunk)
    return "".join(out)


def _has_letter(chunk: str) -> bool:
    return any(c.isalpha() for c in chunk)
