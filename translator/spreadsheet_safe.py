"""Cells that a spreadsheet would run as a formula are written as text (OWASP's CSV injection
advice): a cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some spreadsheets skip before looking) gets a leading apostrophe. A question bank or glossary
exported here is opened in Excel by people who did not write it; ``=HYPERLINK(…)`` copied from a
source file must stay text there.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def neutralised(cell: str) -> str:
    return TEXT_MARK + cell if cell.startswith(FORMULA_STARTS) else cell


def neutralised_row(cells: Iterable[str]) -> list[str]:
    return [neutralised(cell) for cell in cells]


def restored(cell: str) -> str:
    """The cell as it was before ``neutralised`` (for reading back a file this tool wrote)."""
    if cell.startswith(TEXT_MARK) and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell
