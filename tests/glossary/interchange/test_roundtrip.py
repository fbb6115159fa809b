"""export → import gives back the same entries, for the formats that can hold every field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from translator.cli.main import cli
from translator.glossary.fmt import format_text
from translator.glossary.interchange import export_entries, import_file
from translator.glossary.loader import load_glossary

from .conftest import EVERY_FIELD, by_term, glossary_sets

LOSSLESS = [
    pytest.param("csv", 3, ".csv", id="csv"),
    pytest.param("tbx", 3, ".tbx", id="tbx-v3"),
    pytest.param("tbx", 2, ".tbx", id="tbx-v2"),
    pytest.param("tmx", 3, ".tmx", id="tmx"),
]


@pytest.mark.parametrize("source", glossary_sets())
@pytest.mark.parametrize(("fmt", "version", "suffix"), LOSSLESS)
def test_export_then_import_returns_the_same_entries(
    tmp_path: Path, source: Path, fmt: str, version: int, suffix: str
) -> None:
    entries = list(load_glossary([source], shipped=False).entries)
    exported = export_entries(entries, fmt, tbx_version=version)
    path = tmp_path / f"glossary{suffix}"
    path.write_bytes(exported.data)

    assert exported.count == len(entries)
    assert by_term(import_file(path)) == by_term(entries)


def test_every_field_glossary_uses_every_field(every_field: list) -> None:
    """Guards the round-trip test's coverage: each optional field appears at least once."""
    assert any(e.aliases for e in every_field) and any(e.keep for e in every_field)
    assert any(e.case == "exact" for e in every_field) and {e.pos for e in every_field} >= {
        "noun", "proper-noun", "verb", "adjective", "phrase", "acronym",
    }  # fmt: skip
    renderings = [r for e in every_field for r in e.targets.values()]
    assert any(r.allowed for r in renderings) and any(r.forbidden for r in renderings)
    assert any(r.note and "\n" in r.note for r in renderings) and any(r.preferred is None for r in renderings)
    assert any(len(e.targets) > 1 for e in every_field) and any(e.domain for e in every_field)


@pytest.mark.parametrize(
    "args", [["--to", "tbx"], ["--to", "tbx", "--tbx-version", "2"], ["--to", "tmx"], ["--to", "csv"]]
)
def test_cli_round_trip_writes_canonical_yaml(tmp_path: Path, args: list[str]) -> None:
    runner = CliRunner()
    suffix = {"tbx": ".tbx", "tmx": ".tmx", "csv": ".csv"}[args[1]]
    exported = tmp_path / f"out{suffix}"
    result = runner.invoke(cli, ["glossary", "export", *args, "-o", str(exported), str(EVERY_FIELD)])
    assert result.exit_code == 0, result.output
    imported = tmp_path / "back.yaml"
    result = runner.invoke(cli, ["glossary", "import", str(exported), "-o", str(imported)])
    assert result.exit_code == 0, result.output

    text = imported.read_text(encoding="utf-8")
    assert format_text(text, str(imported)) == text
    assert list(yaml.safe_load(text)) == ["version", "language", "entries"]
    original = load_glossary([EVERY_FIELD], shipped=False).entries
    assert by_term(list(load_glossary([imported], shipped=False).entries)) == by_term(list(original))
