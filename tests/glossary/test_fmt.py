"""Canonical formatting keeps comments, sorts entries and orders keys, and is stable."""

from __future__ import annotations

from textwrap import dedent

from click.testing import CliRunner

from translator.cli.main import cli
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


def test_fmt_rewrites_a_linked_glossary_through_its_link(tmp_path):
    """Teams link a shared glossary into several repositories; fmt must not replace the link."""
    real = tmp_path / "shared" / "team.yaml"
    real.parent.mkdir()
    real.write_text(
        "version: 1\nlanguage: en\nentries:\n  - term: zeta\n    keep: true\n  - term: alpha\n    keep: true\n",
        encoding="utf-8",
    )
    link = tmp_path / "team.yaml"
    link.symlink_to(real)
    result = CliRunner().invoke(cli, ["glossary", "fmt", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    text = real.read_text(encoding="utf-8")
    assert text.index("term: alpha") < text.index("term: zeta")
