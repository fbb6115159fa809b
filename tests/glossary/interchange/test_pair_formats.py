"""DeepL, Amazon and Google exports: what a pairs-only glossary can hold, by each service's rules."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from translator.glossary.interchange import export_entries, import_file
from translator.glossary.model import Entry, Rendering


def rows(fmt: str, entries: list[Entry], lang: str = "ja") -> list[list[str]]:
    text = export_entries(entries, fmt, lang=lang).data.decode("utf-8")
    if fmt == "deepl":
        return [line.split("\t") for line in text.splitlines()]
    return list(csv.reader(io.StringIO(text)))


def expected_pairs(entries: list[Entry], lang: str) -> set[tuple[str, str]]:
    pairs = set()
    for entry in entries:
        rendering = entry.rendering(lang)
        if rendering is not None and rendering.preferred:
            pairs.update((surface, rendering.preferred) for surface in entry.surfaces)
    return pairs


@pytest.mark.parametrize("fmt", ["deepl", "amazon", "google"])
def test_each_term_and_alias_maps_to_the_preferred_rendering(fmt: str, every_field: list[Entry]) -> None:
    found = rows(fmt, every_field)
    if fmt == "amazon":
        assert found[0] == ["en", "ja"]
        found = found[1:]
    pairs = {tuple(row) for row in found}

    assert pairs == expected_pairs(every_field, "ja")
    assert ("Amazon SageMaker", "Amazon SageMaker") in pairs and ("SageMaker", "Amazon SageMaker") in pairs
    assert ("FM", "基盤モデル") in pairs
    assert len({source for source, _ in pairs}) == len(pairs)


def test_google_has_no_header_and_deepl_no_quoting(every_field: list[Entry]) -> None:
    google = export_entries(every_field, "google").data.decode()
    deepl = export_entries(every_field, "deepl").data.decode()
    assert not google.startswith(("en,", "source,"))
    assert all(line.count("\t") == 1 and line == line.strip() for line in deepl.splitlines())


def test_other_languages_are_exported_on_request(every_field: list[Entry]) -> None:
    found = {tuple(row) for row in rows("deepl", every_field, lang="zh-CN")}
    assert ("foundation model", "基础模型") in found and ("Amazon SageMaker", "Amazon SageMaker") in found


def test_entries_breaking_the_rules_are_left_out_and_reported() -> None:
    entries = [
        Entry("tab\tterm", targets={"ja": Rendering("タブ")}),
        Entry("model", targets={"ja": Rendering("モデル")}),
        Entry("Model", case="exact", targets={"ja": Rendering("型")}),
        Entry("line", targets={"ja": Rendering("行\n二行目")}),
    ]
    deepl = export_entries(entries, "deepl")
    amazon = export_entries(entries, "amazon")

    assert deepl.data.decode() == "Model\t型\nmodel\tモデル\n"
    assert len(deepl.skipped) == 2
    assert amazon.data.decode() == "en,ja\nModel,型\n"  # Amazon matches sources regardless of case
    assert any("'model'" in line and "already maps" in line for line in amazon.skipped)


@pytest.mark.parametrize("fmt,suffix", [("deepl", ".tsv"), ("amazon", ".csv"), ("google", ".csv")])
def test_pair_files_import_back_to_what_they_hold(
    tmp_path: Path, fmt: str, suffix: str, every_field: list[Entry]
) -> None:
    path = tmp_path / f"pairs{suffix}"
    path.write_bytes(export_entries(every_field, fmt).data)
    back = {e.term: e for e in import_file(path)}

    assert back["Amazon SageMaker"].keep and back["AMI"].keep
    assert back["foundation model"].targets["ja"].preferred == "基盤モデル"
    assert back["FM"].targets["ja"].preferred == "基盤モデル"
    assert set(back) == {source for source, _ in expected_pairs(every_field, "ja")}
