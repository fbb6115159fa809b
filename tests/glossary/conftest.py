"""Glossary fixtures: small YAML glossaries written to a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest

TEAM_GLOSSARY = """\
    version: 1
    language: en
    entries:
      - term: Amazon SageMaker
        aliases: [SageMaker]
        case: exact
        keep: true
        pos: proper-noun
        source: "AWS Japanese documentation"
        targets:
          ja:
            forbidden: [アマゾンセージメーカー, セージメーカー]
      - term: inference
        pos: noun
        source: "AWS Japanese documentation"
        targets:
          ja:
            preferred: 推論
            forbidden: [推測]
            note: "推測 is guessing"
      - term: responsible AI
        pos: noun
        source: "AWS Japanese documentation"
        targets:
          ja:
            preferred: 責任ある AI
    """


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def team_glossary(write_yaml: Callable[[str, str], Path]) -> Path:
    return write_yaml("team.yaml", TEAM_GLOSSARY)
