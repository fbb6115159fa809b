"""Loading glossaries: file:line errors, merging in order, the shipped files."""

from __future__ import annotations

import pytest

from translator.errors import GlossaryError
from translator.glossary.loader import load_glossary, shipped_paths


def test_entries_carry_their_file_and_line(team_glossary):
    glossary = load_glossary([team_glossary], shipped=False)
    sagemaker = next(e for e in glossary.entries if e.term == "Amazon SageMaker")
    assert sagemaker.origin == (str(team_glossary), 4)
    assert sagemaker.keep and sagemaker.case == "exact" and sagemaker.aliases == ("SageMaker",)
    assert sagemaker.required("ja") == ("Amazon SageMaker",)
    inference = next(e for e in glossary.entries if e.term == "inference")
    assert inference.required("ja-JP") == ("推論",)
    assert inference.rendering("ja").forbidden == ("推測",)


def test_a_later_file_overrides_an_entry_with_the_same_term(team_glossary, write_yaml):
    override = write_yaml(
        "override.yaml",
        """\
        version: 1
        entries:
          - term: Inference
            source: "team decision"
            targets:
              ja: {preferred: 推論処理}
        """,
    )
    glossary = load_glossary([team_glossary, override], shipped=False)
    (entry,) = [e for e in glossary.entries if e.term.lower() == "inference"]
    assert entry.required("ja") == ("推論処理",)
    assert load_glossary([team_glossary], shipped=False).content_hash("ja") != glossary.content_hash("ja")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("version: 1\nentries:\n  - term: [unclosed\n", 3, "YAML syntax"),
        ("version: 1\nentries:\n  - term: x\n    keep: true\n    colour: red\n", 5, "unknown field 'colour'"),
        ("version: 1\nentries:\n  - term: x\n    targets:\n      ja: {allowed: [y]}\n", 5, "needs 'preferred'"),
        ("version: 1\nentries:\n  - term: x\n    case: upper\n    keep: true\n", 4, "case must be one of"),
        ("version: 2\nentries: []\n", 1, "unsupported version"),
    ],
)
def test_errors_name_the_file_and_line(write_yaml, text, line, words):
    path = write_yaml("bad.yaml", text)
    with pytest.raises(GlossaryError) as caught:
        load_glossary([path], shipped=False)
    assert caught.value.path == str(path)
    assert caught.value.line == line
    assert words in caught.value.message


def test_a_missing_file_is_a_glossary_error(tmp_path):
    with pytest.raises(GlossaryError, match="no such glossary file"):
        load_glossary([tmp_path / "nope.yaml"], shipped=False)


def test_shipped_glossaries_are_loaded_first(team_glossary):
    shipped = shipped_paths()
    glossary = load_glossary([team_glossary])
    assert glossary.files == (*map(str, shipped), str(team_glossary))


def test_text_values_read_as_the_safe_loader_reads_them(tmp_path):
    # Strings are taken straight from the parsed nodes (no constructor table): every way YAML
    # spells text must still come out as the safe loader gives it, and non-text still warns.
    import yaml

    from translator.glossary.loader import parse_yaml

    text = (
        "version: 1\nlanguage: en\nentries:\n"
        "  - term: 'quoted term'\n    targets: {ja: {preferred: \"二重引用符\"}}\n"
        "  - term: !!str 404\n    keep: true\n"
        "  - term: folded\n    note: >\n      one\n      line\n    targets:\n      ja:\n        preferred: |\n          折り返し\n"
        "  - term: 200\n    keep: true\n"
    )
    path = tmp_path / "team.yaml"
    path.write_text(text, encoding="utf-8")
    parsed = parse_yaml(path)
    expected = yaml.safe_load(text)["entries"]
    assert [e.term for e in parsed.entries] == [str(e["term"]).strip() for e in expected]
    assert parsed.entries[0].targets["ja"].preferred == "二重引用符"
    assert parsed.entries[2].note == "one line"
    assert parsed.entries[2].targets["ja"].preferred == "折り返し"
    assert [p.line for p in parsed.problems if "quote it" in p.message] == [16]
