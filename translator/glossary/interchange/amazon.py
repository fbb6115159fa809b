"""Amazon Translate custom terminology (CSV): a header of language codes, then ``source,target``.

The file is UTF-8 and at most 10 MiB (the ImportTerminology limit). Amazon Translate matches
terminology sources without regard to case, so sources that differ only in case count as one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ...errors import GlossaryError
from ..model import Entry
from ._common import Exported
from .term_pairs import term_pairs

MAX_BYTES = 10 * 1024 * 1024


def export(entries: Iterable[Entry], lang: str) -> Exported:
    pairs = term_pairs(entries, lang, fold_case=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["en", lang])
    writer.writerows(pairs.rows)
    data = buffer.getvalue().encode("utf-8")
    if len(data) > MAX_BYTES:
        raise GlossaryError(
            f"the terminology file would be {len(data)} bytes; Amazon Translate accepts at most {MAX_BYTES}"
        )
    return Exported(data, pairs.entries, pairs.skipped)
