"""Readers, writers and glossary parsers run with the cycle collector paused (their object graphs
made reading grow faster than the input, see translator/collector.py), and always leave it running."""

from __future__ import annotations

import gc

import pytest

from translator.collector import collector_paused
from translator.errors import InputError
from translator.formats import get_format
from translator.formats.text import TextFormat
from translator.glossary.loader import parse_yaml


@pytest.fixture(autouse=True)
def collector_running():
    assert gc.isenabled()
    yield
    gc.enable()  # whatever a failed test left, the next one starts as usual


class WatchedText(TextFormat):
    """The plain-text format, noting whether the collector runs while it reads and writes."""

    seen: list[bool] = []

    def read(self, text, source):
        self.seen.append(gc.isenabled())
        return super().read(text, source)

    def write(self, document, translations, *, bilingual=False):
        self.seen.append(gc.isenabled())
        return super().write(document, translations, bilingual=bilingual)


def test_a_reader_and_its_writer_run_with_the_collector_paused_and_resume_it():
    reader = WatchedText()
    document = reader.read("One.\n\nTwo.\n", "notes.txt")
    assert gc.isenabled()
    assert reader.write(document, {}) == "One.\n\nTwo.\n"
    assert gc.isenabled()
    assert WatchedText.seen == [False, False]


def test_a_reader_that_refuses_its_input_still_leaves_the_collector_running():
    with pytest.raises(InputError):
        get_format("questions-json").read("{not json", "bank.json")
    assert gc.isenabled()


def test_a_glossary_parse_leaves_the_collector_running(tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text("version: 1\nlanguage: en\nentries:\n  - term: model\n", encoding="utf-8")
    parse_yaml(path)
    assert gc.isenabled()


def test_a_nested_pause_leaves_the_collector_off_until_the_outer_one_ends():
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_pause_inside_code_that_turned_the_collector_off_does_not_turn_it_on():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
