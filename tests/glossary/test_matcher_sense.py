"""Glossary entries found by word sense and case: acronyms, names, verbs, longer names, context."""

from __future__ import annotations

from pathlib import Path

import pytest

from translator.glossary.loader import load_glossary
from translator.glossary.matcher import Matcher
from translator.glossary.model import Entry, Rendering

JA = {"ja": Rendering("x")}
ENTRIES = (
    Entry("chain-of-thought prompting", aliases=("chain-of-thought", "CoT"), pos="noun", targets=JA),
    Entry("retrieval augmented generation", aliases=("RAG",), pos="noun", targets=JA),
    Entry("Adam", case="exact", keep=True, pos="proper-noun"),
    Entry("Amazon Machine Image", aliases=("AMI",), case="exact", keep=True, pos="proper-noun"),
    Entry("Amazon Aurora", aliases=("Aurora",), case="exact", keep=True, pos="proper-noun"),
    Entry("diffusion model", pos="noun", targets=JA),
    Entry("model", pos="noun", targets=JA),
    Entry("feature", pos="noun", targets=JA, context=("model", "data", "training")),
    Entry("population", pos="noun", targets=JA, context=("sample", "mean", "distribution")),
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(ENTRIES)


def terms(matcher: Matcher, text: str) -> list[str]:
    return [m.entry.term for m in matcher.find(text)]


def test_an_acronym_matches_only_as_written(matcher):
    assert terms(matcher, "He slept on a cot; a rag lay nearby.") == []
    assert terms(matcher, "Use CoT with RAG.") == ["chain-of-thought prompting", "retrieval augmented generation"]
    assert terms(matcher, "Chain-of-thought helps.") == ["chain-of-thought prompting"]


def test_a_name_takes_no_plural_but_an_acronym_does(matcher):
    assert terms(matcher, "John Adams trained it with Adam.") == ["Adam"]
    assert terms(matcher, "Copy the AMIs and Adam's state.") == ["Amazon Machine Image", "Adam"]


def test_a_capitalised_match_inside_a_longer_name_is_not_the_entry(matcher):
    assert terms(matcher, "Heteractis Aurora is a species of sea anemone.") == []
    assert terms(matcher, "We used the Stable Diffusion model.") == ["model"]
    assert terms(matcher, "A diffusion model makes images.") == ["diffusion model"]
    # Names of the glossary itself, instructions and titles do not hide a term.
    assert terms(matcher, "Amazon Aurora scales. Create an Aurora cluster.") == ["Amazon Aurora", "Amazon Aurora"]
    assert terms(matcher, "Use Aurora for transactions.") == ["Amazon Aurora"]
    assert terms(matcher, "Getting Started With Aurora Clusters") == ["Amazon Aurora"]


@pytest.mark.parametrize(
    "text",
    [
        "The museum, which features fossils, trained a model.",
        "It also features two new data sets for the model.",
        "The season was the last to feature original data on the model.",
    ],
)
def test_a_noun_entry_used_as_a_verb_is_not_the_noun(matcher, text):
    assert "feature" not in terms(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        "Select the features of the model.",
        "Which features are most important for training?",
        "Each feature of the data is scaled.",
        "The model uses two features.",
    ],
)
def test_the_noun_is_still_found(matcher, text):
    assert "feature" in terms(matcher, text)


def test_an_entry_with_context_words_applies_only_near_them(matcher):
    assert terms(matcher, "In 2010 it had a population of 959.") == []
    assert terms(matcher, "Estimate the population mean from a sample.") == ["population"]
    tagged = 'The <g id="1">population</g> and its <x id="2"/> samples'
    assert [m.entry.term for m in matcher.find_tagged(tagged)] == ["population"]


def test_the_loader_reads_context_words(tmp_path: Path):
    path = tmp_path / "g.yaml"
    path.write_text(
        "version: 1\nlanguage: en\nentries:\n  - term: population\n    pos: noun\n"
        "    context: [sample, mean]\n    targets:\n      ja:\n        preferred: 母集団\n",
        encoding="utf-8",
    )
    (entry,) = load_glossary([path], shipped=False).entries
    assert entry.context == ("sample", "mean")
    assert Matcher([entry]).find("a population of 959") == []
