"""Shared data for interchange tests: the every-field glossary and the LTAC TBX test files."""

from __future__ import annotations

from pathlib import Path

import pytest

from translator.glossary.loader import load_glossary, shipped_paths
from translator.glossary.model import Entry

HERE = Path(__file__).parent
EVERY_FIELD = HERE / "every_field.yaml"
LTAC = HERE.parents[1] / "fixtures" / "tbx_ltac"


def by_term(entries: list[Entry]) -> list[Entry]:
    """Entries in a comparable order (``origin`` is not part of equality)."""
    return sorted(entries, key=lambda e: e.term)


@pytest.fixture(scope="session")
def every_field() -> list[Entry]:
    return list(load_glossary([EVERY_FIELD], shipped=False).entries)


def glossary_sets() -> list[pytest.param]:
    """The every-field glossary, and each shipped glossary file on its own."""
    sets = [pytest.param(EVERY_FIELD, id="every_field")]
    sets.extend(pytest.param(path, id=path.stem) for path in shipped_paths())
    return sets
