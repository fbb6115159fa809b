"""The LTAC TBX test files: good ones import, bad ones are refused with their listed reasons."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from translator.cli.main import cli
from translator.errors import GlossaryError
from translator.glossary.interchange import _xml, import_file, import_path, tbx

from .conftest import LTAC

GOOD = sorted(LTAC.glob("*_good.tbx"))
BAD = sorted(LTAC.glob("*_bad.tbx"))
EXPECTED = {  # the errors each file lists in its leading comment
    "basic_bad.tbx": [
        '"source" at the conceptEntry level must be inside a group',
        'definition" is not allowed at the termSec level',
        "partOfSpeech 'nominal' is not one of",
        '<transacNote type="wrongType"> is not a TBX-Basic data category',
        '<transac type="theWrongType"> is not a TBX-Basic data category',
    ],
    "min_bad.tbx": [
        '<admin type="source"> is not a TBX-Min data category',
        "usageStatus 'not an allowed value' is not one of",
        '<xref type="error"> is not a TBX-Min data category',
    ],
    "core_structure_bad.tbx": [
        "text in <sourceDesc> must be wrapped in <p>",
        "<admin> is not allowed directly in <text>",
        "<term> must come first in <termSec>",
        "<admin> must have a type attribute",
        "only one <term> per <termSec>",
        "only one <descrip> per <descripGrp>",
    ],
}


def test_every_ltac_file_is_covered() -> None:
    names = {p.name for p in LTAC.glob("*.tbx")}
    assert names == {p.name for p in GOOD} | set(EXPECTED) | {"poorly_formed_xml.tbx"}
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in LTAC.glob("*.tbx"))


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_good_files_import(path: Path) -> None:
    imported = import_path(path)
    first = imported.entries[0]

    assert len(imported.entries) == 39
    assert first.term == "open cluster" and "galactic cluster" in first.aliases
    assert first.targets["es"].preferred == "cúmulo abierto"
    assert all("without an English term" in line for line in imported.skipped)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_files_are_rejected_with_each_listed_reason(path: Path) -> None:
    problems = [p.message for p in tbx.validate(_xml.parse(path.read_bytes(), path))]
    for reason in EXPECTED[path.name]:
        assert any(reason in message for message in problems), (reason, problems)
    assert len(problems) == len(EXPECTED[path.name])
    with pytest.raises(GlossaryError) as raised:
        import_file(path)
    assert raised.value.line and raised.value.path == str(path)
    assert f"and {len(problems) - 1} more problems" in raised.value.message


def test_the_good_twin_of_each_bad_file_has_no_problems() -> None:
    for path in GOOD:
        assert tbx.validate(_xml.parse(path.read_bytes(), path)) == []


def test_not_well_formed_xml_is_rejected_at_its_line() -> None:
    path = LTAC / "poorly_formed_xml.tbx"
    with pytest.raises(GlossaryError) as raised:
        import_file(path)
    assert raised.value.line == 42
    assert "not well-formed XML: mismatched tag" in str(raised.value)


def test_cli_reports_a_bad_file_on_one_line() -> None:
    result = CliRunner().invoke(cli, ["glossary", "import", str(LTAC / "min_bad.tbx")])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {LTAC / 'min_bad.tbx'}:21: not valid TBX-Min")


@pytest.mark.parametrize(
    ("root", "reason"),
    [
        ('<tbx style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">', "needs a type attribute"),
        ('<tbx type="Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">', "not a TBX dialect name"),
        ('<tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">', "DCT-style"),
        ('<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed-2">', "needs xml:lang"),
        ('<tbx type="TBX-Basic" style="dca" xml:lang="en">', "namespace"),
    ],
)
def test_wrong_root_attributes_are_rejected(tmp_path: Path, root: str, reason: str) -> None:
    body = '<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>x</term></termSec></langSec></conceptEntry>'
    path = tmp_path / "root.tbx"
    path.write_text(f"{root}<tbxHeader><fileDesc/></tbxHeader><text><body>{body}</body></text></tbx>", encoding="utf-8")
    with pytest.raises(GlossaryError, match=reason):
        import_file(path)


@pytest.mark.parametrize(
    ("concept", "reason"),
    [
        (
            '<conceptEntry><langSec xml:lang="en"><termSec><term>x</term></termSec></langSec></conceptEntry>',
            "without id",
        ),
        (
            '<conceptEntry id="c1"><langSec><termSec><term>x</term></termSec></langSec></conceptEntry>',
            "without xml:lang",
        ),
        (
            '<conceptEntry id="c1"><langSec xml:lang="en"><termSec><note>n</note></termSec></langSec></conceptEntry>',
            "without <term>",
        ),
        ('<conceptEntry id="c1"><note>n</note></conceptEntry>', "without <langSec>"),
    ],
)
def test_missing_required_parts_are_rejected(tmp_path: Path, concept: str, reason: str) -> None:
    path = tmp_path / "part.tbx"
    path.write_text(
        '<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">'
        f"<tbxHeader><fileDesc/></tbxHeader><text><body>{concept}</body></text></tbx>",
        encoding="utf-8",
    )
    with pytest.raises(GlossaryError, match=reason):
        import_file(path)
