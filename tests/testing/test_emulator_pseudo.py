"""pseudo_translate: deterministic, marked, and structure-preserving."""

from __future__ import annotations

import random
import re

import pytest

from translator.backends.pseudo_text import apply_word_table
from translator.testing import pseudo_translate

MARKUP = re.compile(r"<[^>]*>|&[#\w]+;")
SEGMENT = 'Set <x id="3">MaxWait</x> to <g id="1">True</g> &amp; go'


def test_marks_start_once_and_keeps_outer_whitespace() -> None:
    assert pseudo_translate("  Hello world\n", "ja") == "  [ja] Hello world\n"


def test_keeps_tags_and_entities_byte_for_byte_in_order() -> None:
    out = pseudo_translate(SEGMENT, "JA", word_table={"Set": "設定", "go": "行く", "True": "真"})
    assert MARKUP.findall(out) == MARKUP.findall(SEGMENT)
    assert out == '[ja] 設定 <x id="3">MaxWait</x> to <g id="1">真</g> &amp; 行く'


def test_ignored_elements_keep_their_text() -> None:
    out = pseudo_translate(SEGMENT, "ja", word_table={"MaxWait": "最大待機", "True": "真"}, ignore_tags={"x", "g"})
    assert out == "[ja] " + SEGMENT


def test_marker_goes_inside_a_leading_tag() -> None:
    assert pseudo_translate('<g id="1"> Hello</g>!', "ja") == '<g id="1"> [ja] Hello</g>!'


def test_word_table_is_longest_first_whole_word_and_case_sensitive() -> None:
    table = {"New York": "ニューヨーク", "New": "新", "york": "ヨーク"}
    out = pseudo_translate("New York is New, not new or Newer", "ja", word_table=table)
    assert out == "[ja] ニューヨーク is 新, not new or Newer"


def test_is_deterministic_and_marks_the_target_language() -> None:
    assert pseudo_translate("Hello", "DE") == pseudo_translate("Hello", "de") == "[de] Hello"
    assert pseudo_translate("Hello", "EN-US") == "[en-us] Hello"


@pytest.mark.parametrize("text", ["", "42", "3.5% (2) -- #7", '<x id="1"/> 12 &amp; 7', "<x>MaxWait</x> 1", "  \n"])
def test_text_without_translatable_letters_is_unchanged(text: str) -> None:
    assert pseudo_translate(text, "ja", word_table={"42": "四十二"}, ignore_tags={"x"}) == text


@pytest.mark.parametrize("text", ["a", " b ", "<b>c</b>", "Ünïcode", "日本"])
def test_never_empty_for_non_empty_input(text: str) -> None:
    out = pseudo_translate(text, "ja")
    assert out and "[ja] " in out


def _regex_word_table(text: str, table: dict[str, str]) -> str:
    """Rule 3 as one regex, longest key first: the definition the indexed table must match."""
    keys = sorted((k for k in table if k), key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, keys)) + r")(?!\w)")
    return pattern.sub(lambda m: table[m.group()], text)


def test_word_table_substitution_is_the_longest_first_whole_word_regex():
    """The indexed word table gives what the plain regex gives, on keys that share prefixes,
    hold punctuation or spaces, or are not ASCII, in texts where they touch words and each other."""
    vocabulary = [
        "Amazon",
        "Amazon S3",
        "Amazon SageMaker",
        "S3",
        "C++",
        "k-means",
        "k",
        "means",
        "a.b",
        "É",
        "日本",
        "data",
        "database",
        "_x",
        "x_",
        "-",
        "Sage",
    ]
    pieces = [*vocabulary, " ", " ", "-", ".", "s", "Amazonian", "3", "é", "(", ")", "日本語", "_", "\n"]
    generator = random.Random(7)
    for _ in range(3000):
        table = {key: f"<{key}>" for key in generator.sample(vocabulary, generator.randint(1, len(vocabulary)))}
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 12)))
        assert apply_word_table(text, table) == _regex_word_table(text, table), (text, sorted(table))
