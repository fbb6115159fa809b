"""Glossaries in other tools' formats: export for MT services and terminology tools, import back.

``export_entries`` writes DeepL TSV, Amazon Translate custom terminology, Google unidirectional
CSV, TBX-Basic (v3, or v2 ``<martif>``), TMX 1.4b and the lossless project CSV. ``import_file``
reads TBX (either form), TMX, the project CSV, spreadsheets with named columns
(``English,Japanese,Notes``) and two-column CSV/TSV into ``Entry`` objects (the
loader calls it for these suffixes; ``yaml_out.dump`` turns them into a canonical YAML file).
All XML is parsed with defusedxml.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path

from ...collector import without_collector
from ...errors import GlossaryError
from ..model import Entry
from . import _xml, amazon, deepl, google, named_columns, plain_table, project_csv, tbx, tmx
from ._common import Exported, Imported, collapse_regions

PAIR_FORMATS: dict[str, Callable[[Iterable[Entry], str], Exported]] = {
    "deepl": deepl.export,
    "amazon": amazon.export,
    "google": google.export,
}
EXPORT_FORMATS = ("deepl", "amazon", "google", "tbx", "tmx", "csv")
IMPORT_SUFFIXES = (".tbx", ".tmx", ".csv", ".tsv")
DEFAULT_LANG = "ja"

__all__ = ["EXPORT_FORMATS", "IMPORT_SUFFIXES", "Exported", "Imported", "export_entries", "import_file", "import_path"]


def export_entries(entries: Iterable[Entry], fmt: str, *, lang: str | None = None, tbx_version: int = 3) -> Exported:
    """``entries`` as ``fmt``. Pair formats hold one language (``lang``, default ja); the others
    hold every target language unless ``lang`` narrows them."""
    if fmt in PAIR_FORMATS:
        return PAIR_FORMATS[fmt](entries, lang or DEFAULT_LANG)
    if fmt == "tbx":
        if tbx_version not in (2, 3):
            raise GlossaryError(f"TBX version {tbx_version} is not supported (2 or 3)")
        return tbx.export(entries, lang, tbx_version)
    if fmt == "tmx":
        return tmx.export(entries, lang)
    if fmt == "csv":
        return project_csv.export(entries, lang)
    raise GlossaryError(f"unknown export format '{fmt}' (known: {', '.join(EXPORT_FORMATS)})")


def import_file(path: str | Path, lang: str = DEFAULT_LANG) -> list[Entry]:
    """The entries of a TBX, TMX, CSV or TSV glossary; ``lang`` names the target column of a
    two-column file without a language header. Raises ``GlossaryError`` with file:line."""
    return import_path(Path(path), lang).entries


@without_collector
def import_path(path: Path, lang: str = DEFAULT_LANG) -> Imported:
    """Like ``import_file``, also listing what was left out (concepts without English, …).

    A regional code of ``lang`` (``ja-JP``) becomes ``lang`` itself, see ``collapse_regions``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GlossaryError("no such glossary file", path=str(path)) from None
    except OSError as exc:
        raise GlossaryError(f"cannot read: {exc.strerror}", path=str(path)) from None
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        imported = _read_table(data, path, lang)
    elif suffix in (".tbx", ".tmx", ".xml"):
        document = _xml.parse(data, path)
        imported = tmx.read(document) if _xml.local(document.root.tag) == "tmx" else tbx.read(document)
    else:
        raise GlossaryError(
            f"cannot tell the format from '{path.suffix}'; expected one of {', '.join(IMPORT_SUFFIXES)}", path=str(path)
        )
    imported.entries = collapse_regions(imported.entries, lang)
    return imported


def _read_table(data: bytes, path: Path, lang: str) -> Imported:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GlossaryError("not UTF-8 text", path=str(path), line=line) from None
    first = text.split("\n", 1)[0]
    delimiter = "\t" if path.suffix.lower() == ".tsv" or ("\t" in first and "," not in first) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise GlossaryError(f"not valid CSV: {exc}", path=str(path), line=reader.line_num) from None
    if rows and project_csv.is_project_header(rows[0][1]):
        return project_csv.read(rows[1:], path)
    if rows and plain_table.is_language_header(rows[0][1]):
        return plain_table.read(rows, path, lang)  # "en,ja": language codes only
    return named_columns.read(rows, path, lang) or plain_table.read(rows, path, lang)
