"""Practice questions as CSV (or TSV/semicolon-separated), one question per row after a header.

The dialect (delimiter, quote character, quote-everything or only-when-needed) is detected and
reused, the header and every row that was not translated are copied byte for byte (unless a cell
would run as a spreadsheet formula, see ``translator.spreadsheet_safe``), and columns the schema
does not know are carried through unchanged.

A quote left open swallows every following line into one cell, so a row that spans lines and
comes out with fewer cells than the header is refused at the line where it starts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Hashable, Mapping
from typing import Any

from ...errors import InputError
from ...spreadsheet_safe import FORMULA_STARTS, neutralised_row
from ...types import Document
from ..base import Bilingual, Format
from .model import SegmentSink
from .schema import apply, read_record, resolve_columns

_DELIMITERS = ",;\t|"


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = text[:16384]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    first = next(csv.reader(io.StringIO(sample), dialect), [])
    header_line = sample.split("\n", 1)[0]
    quote = dialect.quotechar or '"'
    quote_all = bool(first) and header_line.count(quote) >= 2 * len(first)

    class Detected(csv.Dialect):
        delimiter = dialect.delimiter
        quotechar = quote
        doublequote = True
        escapechar = None
        skipinitialspace = dialect.skipinitialspace
        lineterminator = "\n"
        quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL

    return Detected


def _has_formula(values: list[str]) -> bool:
    return any(value.startswith(FORMULA_STARTS) for value in values)


class QuestionsCsvFormat(Format):
    name = "questions-csv"
    extensions = (".csv",)
    description = "practice questions: CSV with a header row (see --map)"

    def read(self, text: str, source: str) -> Document:
        dialect = _dialect(text)
        reader = csv.reader(io.StringIO(text), dialect)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError("empty CSV file; expected a header row", path=source) from None
        except csv.Error as exc:
            raise InputError(f"not valid CSV: {exc}", path=source, line=reader.line_num) from exc
        header_end = reader.line_num
        columns = resolve_columns(list(enumerate(header)), self.options.field_map, source, line=1)
        sink = SegmentSink()
        rows: list[dict[str, Any]] = []  # {"start", "end", "values", "bindings"}
        previous_end = header_end
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise InputError(f"not valid CSV: {exc}", path=source, line=previous_end + 1) from exc
            start, end = previous_end + 1, reader.line_num
            previous_end = end
            if end > start and len(values) < len(header) and any("\n" in value for value in values):
                raise InputError(
                    f"a quote opened in this row is not closed: it runs to line {end} and takes the "
                    f"rows in between into one cell ({len(values)} of {len(header)} columns); close the quote",
                    path=source,
                    line=start,
                )
            row: dict[str, Any] = {"start": start, "end": end, "values": values, "bindings": None}
            rows.append(row)
            if not any(value.strip() for value in values):
                continue
            record: dict[Hashable, Any] = dict(enumerate(values))
            row["bindings"] = read_record(record, columns, sink, start, f"q{len(rows)}")
        skeleton = {"lines": text.split("\n"), "header_end": header_end, "rows": rows, "dialect": dialect}
        return sink.document(source, self.name, skeleton)

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        skeleton = document.skeleton
        lines: list[str] = skeleton["lines"]
        out = lines[: skeleton["header_end"]]
        for row in skeleton["rows"]:
            if not row["bindings"] and not _has_formula(row["values"]):
                out.extend(lines[row["start"] - 1 : row["end"]])
                continue
            written: dict[Hashable, Any] = dict(enumerate(row["values"]))
            if row["bindings"]:
                apply(written, row["bindings"], document, translations, self.options.target_lang, bilingual)
            buffer = io.StringIO()
            cells = neutralised_row(written[i] for i in range(len(row["values"])))
            csv.writer(buffer, skeleton["dialect"]).writerow(cells)
            out.append(buffer.getvalue().removesuffix("\n"))
        out.extend(lines[skeleton["rows"][-1]["end"] :] if skeleton["rows"] else lines[skeleton["header_end"] :])
        return "\n".join(out)
