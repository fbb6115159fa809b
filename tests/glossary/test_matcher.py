"""Finding entries in English text: forms, case rule, boundaries, longest match, protected spans."""

from __future__ import annotations

import pytest

from translator.glossary.matcher import Matcher
from translator.glossary.model import Entry, Rendering

JA = {"ja": Rendering("x")}
ENTRIES = (
    Entry("Amazon SageMaker", aliases=("SageMaker",), case="exact", keep=True),
    Entry("SageMaker Model Monitor", case="exact", keep=True),
    Entry("AMI", case="exact", keep=True),
    Entry("LLM", case="exact", keep=True),
    Entry("model", targets=JA),
    Entry("foundation model", targets=JA),
    Entry("policy", targets=JA),
    Entry("inference", targets=JA),
    Entry("bias", targets=JA),
    Entry("(Select TWO.)", targets=JA),
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(ENTRIES)


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.entry.term) for m in matcher.find(text)]


def test_plural_forms_match_their_entry(matcher):
    assert found(matcher, "Two policies, three models and some biases.") == [
        ("policies", "policy"),
        ("models", "model"),
        ("biases", "bias"),
    ]
    assert found(matcher, "Compare LLMs.") == [("LLMs", "LLM")]


def test_possessive_forms_match_and_keep_their_stem(matcher):
    matches = matcher.find("SageMaker's endpoints and the models' outputs and SageMaker’s API")
    assert [(m.surface, m.stem()) for m in matches] == [
        ("SageMaker's", "SageMaker"),
        ("models'", "models"),
        ("SageMaker’s", "SageMaker"),
    ]


def test_case_rule(matcher):
    assert found(matcher, "Inference and INFERENCE") == [("Inference", "inference"), ("INFERENCE", "inference")]
    assert found(matcher, "sagemaker and Sagemaker are not the product name") == []


def test_word_boundaries_reject_matches_inside_words(matcher):
    assert found(matcher, "dynamic AMIs, remodel, modeling") == [("AMIs", "AMI")]
    assert found(matcher, "SageMakerStudio") == []


def test_japanese_around_a_term_is_fine(matcher):
    assert found(matcher, "SageMakerでinferenceを実行") == [
        ("SageMaker", "Amazon SageMaker"),
        ("inference", "inference"),
    ]


def test_longest_match_wins(matcher):
    assert found(matcher, "Use Amazon SageMaker with a foundation model.") == [
        ("Amazon SageMaker", "Amazon SageMaker"),
        ("foundation model", "foundation model"),
    ]
    assert found(matcher, "SageMaker Model Monitor watches it") == [
        ("SageMaker Model Monitor", "SageMaker Model Monitor")
    ]


def test_exact_case_candidate_does_not_hide_a_shorter_valid_match(matcher):
    assert found(matcher, "sagemaker model monitor") == [("model", "model")]


def test_phrases_with_punctuation_match(matcher):
    assert found(matcher, "Which steps? (Select TWO.)") == [("(Select TWO.)", "(Select TWO.)")]


def test_protected_spans_are_skipped(matcher):
    tagged = 'Call <x id="1"/> on <g id="2">SageMaker</g> for inference'
    runs = matcher.find_runs(tagged)
    assert [m.surface for m in matcher.find_tagged(tagged)] == ["SageMaker", "inference"]
    assert all(not run.matches for run in runs if run.token.kind != "text")


def test_entries_without_a_rendering_for_the_language_are_left_out():
    french_only = Entry("bucket", targets={"fr": Rendering("compartiment")})
    assert Matcher([french_only], "ja").find("a bucket") == []
    assert len(Matcher([french_only], "fr").find("a bucket")) == 1


def test_offsets_survive_characters_whose_lower_case_is_longer():
    matcher = Matcher([Entry("model", targets=JA)])
    text = "İstanbul model"
    (match,) = matcher.find(text)
    assert text[match.start : match.end] == "model"
