"""Fixtures for practice-question tests: the fixture files, and a known set of exam phrases."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from translator.formats.questions import phrases

QUESTIONS = FIXTURES / "questions"


@pytest.fixture
def exam_phrases(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[int, str]]:
    """Shipped glossaries replaced by the fixture's multi-select phrases (2 and 3 answers)."""
    from translator.glossary import loader

    monkeypatch.setattr(loader, "shipped_paths", lambda: [QUESTIONS / "exam-phrases.yaml"])
    phrases.shipped_phrases.cache_clear()
    yield {2: "（2 つ選択）", 3: "（3 つ選択）"}
    phrases.shipped_phrases.cache_clear()


@pytest.fixture
def copy_fixture(tmp_path: Path):
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copyfile(QUESTIONS / name, target)
        return target

    return copy
