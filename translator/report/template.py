"""A tiny HTML template function: every value is escaped unless it is already ``Safe`` HTML.

Pages are built from module-level templates filled with ``fill``; nothing is interpolated by
hand, so a source text like ``<script>`` can only ever appear as text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable


class Safe(str):
    """HTML produced by ``fill`` (or a trusted constant): inserted as is."""


def escape(value: object) -> Safe:
    return value if isinstance(value, Safe) else Safe(html.escape(str(value), quote=True))


def fill(template: str, **values: object) -> Safe:
    """``template`` with each ``{name}`` replaced by its escaped value."""
    return Safe(template.format_map({name: escape(value) for name, value in values.items()}))


def join(parts: Iterable[Safe], separator: str = "") -> Safe:
    return Safe(separator.join(escape(part) for part in parts))
