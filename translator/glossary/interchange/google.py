"""Google Cloud Translation unidirectional glossary (CSV): ``source,target`` rows, no header.

Google reads the first row as data, so there is no header; the language pair is given when the
glossary is created (``languagePair``), not in the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ..model import Entry
from ._common import Exported
from .term_pairs import term_pairs


def export(entries: Iterable[Entry], lang: str) -> Exported:
    pairs = term_pairs(entries, lang)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(pairs.rows)
    return Exported(buffer.getvalue().encode("utf-8"), pairs.entries, pairs.skipped)
