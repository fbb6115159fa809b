"""Canonical formatting keeps comments, sorts entries and orders keys, and is stable."""

from __future__ import annotations

from textwrap import dedent

from translator.glossary.fmt import format_text

MESSY = dedent(
    """\
    # Team glossary: reviewed in pull requests.
    version: 1
    language: en
    entries:
      # About inference.
      - term: inference
        targets:
          ja:
            forbidden: [推測]   # guessing
            preferred: 推論
        source: AWS docs
      - keep: yes
        term: Amazon Bedrock
        source: 'AWS'
    """
)

CANONICAL = dedent(
    """\
    # Team glossary: reviewed in pull requests.
    version: 1
    language: en
    entries:
      - term: Amazon Bedrock
        keep: true
        source: "AWS"
      # About inference.
      # guessing
      - term: inference
        source: "AWS docs"
        targets:
          ja:
            preferred: 推論
            forbidden: [推測]
    """
)


def test_canonical_order_quoting_and_comments():
    assert format_text(MESSY) == CANONICAL


def test_formatting_is_stable():
    assert format_text(CANONICAL) == CANONICAL


def test_text_that_needs_quotes_keeps_them():
    text = 'version: 1\nlanguage: en\nentries:\n  - term: "yes"\n    aliases: ["a, b", plain]\n    keep: true\n    source: "x"\n'
    assert format_text(text) == text
