"""DeepL glossary entries (TSV): ``source<TAB>target`` per line, as the glossary API accepts them.

DeepL limits each source and target to 1024 UTF-8 bytes and a glossary to 10 MiB.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...errors import GlossaryError
from ..model import Entry
from ._common import Exported
from .term_pairs import term_pairs

MAX_TERM_BYTES = 1024
MAX_BYTES = 10 * 1024 * 1024


def export(entries: Iterable[Entry], lang: str) -> Exported:
    pairs = term_pairs(entries, lang, max_bytes=MAX_TERM_BYTES)
    data = "".join(f"{source}\t{target}\n" for source, target in pairs.rows).encode("utf-8")
    if len(data) > MAX_BYTES:
        raise GlossaryError(f"the DeepL glossary would be {len(data)} bytes; DeepL accepts at most {MAX_BYTES}")
    return Exported(data, pairs.entries, pairs.skipped)
