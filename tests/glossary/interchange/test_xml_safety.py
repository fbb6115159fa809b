"""XML is parsed with defusedxml: entity declarations are refused, broken XML is located."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from translator.cli.main import cli
from translator.errors import GlossaryError
from translator.glossary.interchange import import_file

BOMB = """<?xml version="1.0"?>
<!DOCTYPE tbx [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <text><body><conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>&c;</term></termSec></langSec></conceptEntry></body></text>
</tbx>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&secret;</seg></tuv></tu></body></tmx>
"""


@pytest.mark.parametrize(("name", "text", "line"), [("bomb.tbx", BOMB, 3), ("external.tmx", EXTERNAL, 2)])
def test_entity_declarations_are_refused(tmp_path: Path, name: str, text: str, line: int) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError, match="declares XML entities") as raised:
        import_file(path)
    assert raised.value.line == line

    result = CliRunner().invoke(cli, ["glossary", "import", str(path)])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1


def test_not_well_formed_tmx_is_located(tmp_path: Path) -> None:
    path = tmp_path / "broken.tmx"
    path.write_text('<tmx version="1.4">\n<header srclang="en"/>\n<body>\n<tu>\n</body>\n</tmx>\n', encoding="utf-8")
    with pytest.raises(GlossaryError, match="not well-formed XML") as raised:
        import_file(path)
    assert raised.value.line == 5


def test_tmx_from_another_tool_imports(tmp_path: Path) -> None:
    sample = SAMPLES / "formats" / "tmx14b_spec_sample.tmx"
    entries = {e.term: e for e in import_file(sample)}
    assert entries["menu"].targets["fr-CA"].preferred == "menu"
    assert set(entries["menu"].targets) == {"fr-CA", "fr-FR"}
