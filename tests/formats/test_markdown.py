"""The Markdown format: documentation pages translated in place with their structure intact."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from markdown_it.token import Token

from translator import markup
from translator.formats.markdown import MarkdownFormat, parser
from translator.types import Document

from .contract import FormatContract

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "markdown"
SAMPLES = sorted(FIXTURES.glob("*.md"))
EDGE_CASES = FIXTURES / "edge-cases.md"
SPOT_TRAINING = FIXTURES / "sagemaker__model-managed-spot-training.md"
MARKER = "[ja]"


class TestMarkdownContract(FormatContract):
    format_name = "markdown"
    samples = SAMPLES


def read(text: str) -> Document:
    return MarkdownFormat().read(text, "doc.md")


def pseudo(document: Document) -> dict[str, str]:
    return FormatContract.pseudo(document)


def translated(text: str, *, bilingual: bool = False) -> str:
    document = read(text)
    return MarkdownFormat().write(document, pseudo(document), bilingual=bilingual)


def structure(text: str) -> list[tuple]:
    """What must not change in translation: blocks, nesting, list markers, table shape, headings,
    link and image targets, inline markup, and every code and raw HTML content."""
    shape: list[tuple] = []
    for token in parser().parse(text):
        if token.type == "inline":
            shape.append(("inline", tuple(_inline_shape(token.children or []))))
        else:
            shape.append((token.type, token.level, token.tag, token.markup, token.info, token.hidden, _raw(token)))
    return shape


def _raw(token: Token) -> str:
    return token.content if token.type in ("fence", "code_block", "html_block") else ""


def _inline_shape(children: list[Token]) -> list[tuple]:
    shape: list[tuple] = []
    for child in children:
        if child.type in ("text", "text_special", "softbreak"):
            continue
        detail = child.content if child.type in ("code_inline", "html_inline") else ""
        shape.append((child.type, child.markup, tuple(sorted(child.attrs.items())), detail))
        if child.type == "image":
            shape.append(("alt", tuple(_inline_shape(child.children or []))))
    return shape


def fence_blocks(text: str) -> list[str]:
    """The exact source lines of every fenced and indented code block."""
    lines = text.split("\n")
    return [
        "\n".join(lines[token.map[0] : token.map[1]])
        for token in parser().parse(text)
        if token.type in ("fence", "code_block") and token.map
    ]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name)
def test_pseudo_translation_keeps_the_parse_tree(sample: Path) -> None:
    source = sample.read_text(encoding="utf-8")
    output = translated(source)
    assert output != source
    assert structure(output) == structure(source)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name)
def test_bilingual_output_keeps_lists_tables_and_code(sample: Path) -> None:
    source = sample.read_text(encoding="utf-8")
    tree = [entry for entry in structure(translated(source, bilingual=True)) if entry[0] != "inline"]
    wanted = [entry for entry in structure(source) if entry[0] != "inline"]
    kept = [entry for entry in tree if entry[0] not in ("paragraph_open", "paragraph_close")]
    assert kept == [entry for entry in wanted if entry[0] not in ("paragraph_open", "paragraph_close")]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name)
def test_every_prose_segment_is_translated(sample: Path) -> None:
    source = sample.read_text(encoding="utf-8")
    before = read(source)
    after = read(translated(source))
    assert len(after.segments) == len(before.segments)
    for old, new in zip(before.segments, after.segments, strict=True):
        text = markup.plain(new.text, new.spans)
        if markup.has_translatable_text(old.text):
            assert text.startswith(MARKER) or MARKER in text, f"{old.id} (line {old.line}) not translated"
        else:
            assert new.text == old.text


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name)
def test_code_urls_link_targets_and_anchors_are_byte_identical(sample: Path) -> None:
    source = sample.read_text(encoding="utf-8")
    document = read(source)
    output = MarkdownFormat().write(document, pseudo(document))
    for block in fence_blocks(source):
        assert block in output
    for seg in document.segments:
        for span in seg.spans.values():
            if span.kind in ("code", "url", "anchor", "html"):
                assert span.opening in output
            if span.kind in ("link", "image"):
                assert span.closing in output
    hrefs = re.findall(r"\]\(([^)\s]+)", source)
    assert re.findall(r"\]\(([^)\s]+)", output) == hrefs


def test_aws_escapes_are_sent_unescaped_and_written_back_valid() -> None:
    document = read(SPOT_TRAINING.read_text(encoding="utf-8"))
    texts = " ".join(seg.text for seg in document.segments)
    assert "on-demand instances." in texts
    assert "(60 minutes)" in texts
    assert "\\" not in texts
    note = next(seg for seg in document.segments if seg.text.startswith('<g id="1">Note</g>'))
    assert [span.kind for span in note.spans.values()] == ["strong", "br", "code"]
    assert note.spans["2"].opening == "  \n"


def test_headings_keep_their_glued_anchors_and_levels() -> None:
    output = translated(SPOT_TRAINING.read_text(encoding="utf-8"))
    assert output.startswith(
        '# \\[ja\\] Managed Spot Training in Amazon SageMaker<a name="model-managed-spot-training"></a>\n'
    )
    assert '## \\[ja\\] Using Managed Spot Training<a name="model-managed-spot-training-using"></a>\n' in output


def test_segment_kinds_and_lines_follow_the_source() -> None:
    document = read(EDGE_CASES.read_text(encoding="utf-8"))
    by_line = {seg.line: seg.kind for seg in document.segments}
    assert by_line[6] == "heading"  # front matter is not a segment
    assert by_line[8] == "heading"  # setext
    assert by_line[23] == "blockquote"
    assert by_line[24] == "list-item"  # a list inside a block quote
    assert by_line[39] == "table-cell"
    assert [seg.id for seg in document.segments] == [f"s{n}" for n in range(1, len(document.segments) + 1)]


def test_edge_cases_come_out_as_a_reader_expects() -> None:
    source = EDGE_CASES.read_text(encoding="utf-8")
    output = translated(source)
    untouched = [
        "---\ntitle: Edge cases\ntags: [markdown, test]\n---\n",
        "## `only_code()`\n",
        "<!-- An HTML comment that must stay as it is. -->\n",
        '<div class="note">\nRaw HTML block text that is not translated.\n</div>\n',
        "<details><summary>Show the answer</summary>\n",
        '[ref]: https://example.com/ref "Reference title"\n',
        "|:--------|:-------:|------:|\n",
    ]
    for text in untouched:
        assert text in output
    expected_lines = [
        "\\[ja\\] The answer paragraph inside details is Markdown and gets translated.",
        "> + \\[ja\\] First item with a [nested link](nested.md)",
        ">   + \\[ja\\] Nested item under it",
        "| \\[ja\\] Pipes in code | `a \\| b` | \\[ja\\] Works |",
        "| \\[ja\\] Empty notes | `ls -la` |  |",
        "|  | \\[ja\\] Only second | \\[ja\\] Third |",
        "2. \\[ja\\] Ordered step two with a lazy continuation line",
        "3) \\[ja\\] Another list with a parenthesis marker",
        "        + \\[ja\\] Deepest item",
        "\\[ja\\] Reference style [link text][ref] and a collapsed [ref][ref] link.",
        "\\[ja\\] Inline HTML <kbd>Ctrl</kbd>+<kbd>C</kbd> copies.",
    ]
    lines = output.split("\n")
    for line in expected_lines:
        assert line in lines
    assert '[link with **bold** text](https://example.com/a_b "A title")' in output
    assert "![a *small* diagram](images/diagram.png 'Diagram')" in output
    assert "A hard break follows\\\nand a second one with trailing spaces  \nends here." in output


def test_a_heading_of_only_code_is_not_sent() -> None:
    document = read("## `only_code()`\n")
    assert not markup.has_translatable_text(document.segments[0].text)


def test_deeply_nested_lists_and_quotes_are_all_translated() -> None:
    lists = "".join("  " * depth + f"- level {depth}\n" for depth in range(25))
    quotes = "".join("> " * depth + f"level {depth}\n\n" for depth in range(25))
    for text in (lists, quotes):
        document = read(text)
        assert [segment.translate for segment in document.segments] == [True] * 25
        assert structure(translated(text)) == structure(text)


def test_untranslated_segments_are_written_byte_for_byte() -> None:
    source = SPOT_TRAINING.read_text(encoding="utf-8")
    document = read(source)
    translations = {seg.id: seg.text for seg in document.segments}
    assert MarkdownFormat().write(document, translations) == source
    assert MarkdownFormat().write(document, {}, bilingual=True) == source


TRICKY = [
    "*not emphasis* and **not strong**",
    "snake_case stays, _this_ does not become emphasis",
    "# not a heading",
    "1. not a list",
    "2019) not a list either",
    "- not a bullet",
    "+ not a bullet",
    "> not a quote",
    "=== not an underline",
    "~~~ not a fence",
    "[not a link](target) and ![not an image](x.png)",
    "<div>not html</div> and <https://not.an/autolink>",
    "&amp; and &#169; stay literal",
    "a backslash \\ and \\* both literal",
    "`not code`",
    "a | pipe",
    "Learn C#",
    "trailing ##",
]


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize(
    "template",
    ["Paragraph text.\n", "+ Item text\n", "> Quote text\n", "## Heading text\n", "| Head |\n|---|\n| Cell text |\n"],
    ids=["paragraph", "list-item", "blockquote", "heading", "table-cell"],
)
def test_translated_text_is_escaped_to_mean_itself(template: str, text: str) -> None:
    document = read(template)
    target = document.segments[-1]
    output = MarkdownFormat().write(document, {target.id: markup.escape(text)})
    again = read(output)
    assert markup.plain(again.segments[-1].text, again.segments[-1].spans) == text
    assert [entry for entry in structure(output) if entry[0] != "inline"] == [
        entry for entry in structure(template) if entry[0] != "inline"
    ]


def test_escaping_stays_minimal_for_japanese_prose() -> None:
    document = read("Use on\\-demand instances \\(cheaper\\)\\.\n")
    output = MarkdownFormat().write(document, {"s1": "オンデマンド (on-demand) インスタンスを使います。"})
    assert output == "オンデマンド (on-demand) インスタンスを使います。\n"


def test_emphasis_around_japanese_punctuation_still_parses_as_bold() -> None:
    document = read("This is **important** here.\n")
    output = MarkdownFormat().write(document, {"s1": 'これは<g id="1">「重要」</g>です'})
    again = read(output)
    assert again.segments[0].spans["1"].kind == "strong"
    assert markup.plain(again.segments[0].text, again.segments[0].spans).replace(" ", "") == "これは「重要」です"


def test_underscore_emphasis_becomes_stars_where_underscores_would_not_parse() -> None:
    document = read("Some __bold__ and _em_ words.\n")
    output = MarkdownFormat().write(document, {"s1": 'これは<g id="1">太字</g>と<g id="2">「強調」</g>です'})
    assert output == "これは**太字**と *「強調」* です\n"


def test_spaces_inside_emphasis_move_outside() -> None:
    document = read("Some __bold__ words.\n")
    output = MarkdownFormat().write(document, {"s1": 'いくつかの<g id="1"> 太字 </g>の単語'})
    assert read(output).segments[0].spans["1"].kind == "strong"


def test_bilingual_layout_for_each_kind() -> None:
    source = (
        '# Title<a name="title"></a>\n'
        "Text right under the title.\n"
        "\n"
        "+ Item one\\.\n"
        "  1. Sub step\n"
        "\n"
        "| Name | Value |\n"
        "|------|-------|\n"
        "| Size | `10` |\n"
        "\n"
        "> Quoted words.\n"
    )
    assert translated(source, bilingual=True) == (
        '# \\[ja\\] Title<a name="title"></a>\n'
        "\n"
        "Title\n"
        "\n"
        "Text right under the title.\n"
        "\n"
        "\\[ja\\] Text right under the title.\n"
        "\n"
        "+ Item one.\\\n"
        "  \\[ja\\] Item one.\n"
        "  1. Sub step\\\n"
        "     \\[ja\\] Sub step\n"
        "\n"
        "| Name<br>\\[ja\\] Name | Value<br>\\[ja\\] Value |\n"
        "|------|-------|\n"
        "| Size<br>\\[ja\\] Size | `10` |\n"
        "\n"
        "> Quoted words.\n"
        ">\n"
        "> \\[ja\\] Quoted words.\n"
    )


def test_translate_command_writes_markdown_through_the_pipeline(cli_env) -> None:
    output = cli_env.tmp / "out.ja.md"
    result = cli_env.run(
        "translate", str(SPOT_TRAINING), "-b", "pseudo", "--no-cache", "--no-glossary", "--no-check", "-o", str(output)
    )
    assert result.exit_code == 0, result.output
    text = output.read_text(encoding="utf-8")
    source = SPOT_TRAINING.read_text(encoding="utf-8")
    assert structure(text) == structure(source)
    assert text.count(MARKER.replace("[", "\\[").replace("]", "\\]")) == sum(
        1 for seg in read(source).segments if markup.has_translatable_text(seg.text)
    )


def run_translate(cli_env, source: Path, *backend: str) -> str:
    output = cli_env.tmp / f"{source.stem}.ja.md"
    result = cli_env.run(
        "translate", str(source), *backend, "--no-cache", "--no-glossary", "--no-check", "-o", str(output)
    )
    assert result.exit_code == 0, result.output
    return output.read_text(encoding="utf-8")


AWS_SAMPLES = sorted(FIXTURES.glob("sagemaker__*.md"))


@pytest.mark.parametrize("sample", AWS_SAMPLES, ids=lambda path: path.name)
def test_aws_pages_through_the_deepl_emulator_keep_their_structure(cli_env, deepl, sample: Path) -> None:
    source = sample.read_text(encoding="utf-8")
    output = run_translate(cli_env, sample, "-b", "deepl", "--backend-url", deepl.url)
    assert structure(output) == structure(source)
    for block in fence_blocks(source):
        assert block in output
    for seg in read(output).segments:
        if markup.has_translatable_text(seg.text):
            assert MARKER in markup.plain(seg.text, seg.spans)


@pytest.mark.parametrize(
    "sample",
    [
        pytest.param(FIXTURES / "sagemaker__how-it-works-training.md", id="how-it-works-training"),
        pytest.param(SPOT_TRAINING, id="model-managed-spot-training"),
    ],
)
def test_inline_markup_comes_back_around_the_same_words_through_the_cli(cli_env, sample: Path) -> None:
    document = read(sample.read_text(encoding="utf-8"))
    output = run_translate(cli_env, sample, "-b", "pseudo")
    expected = pseudo(document)
    for old, new in zip(document.segments, read(output).segments, strict=True):
        assert new.text == expected.get(old.id, old.text), old.id


def test_inline_elements_marked_translate_no_are_kept_whole():
    text = 'Use <span translate="no">Model *Monitor*</span> and <b class="notranslate">this</b> too.\n'
    document = MarkdownFormat().read(text, "t.md")
    (segment,) = document.segments
    protected = [s.opening for s in segment.spans.values() if not s.paired]
    assert protected == ['<span translate="no">Model *Monitor*</span>', '<b class="notranslate">this</b>']
    assert "Monitor" not in markup.plain(segment.text, segment.spans, keep_protected=False)


def test_deciding_only_the_candidates_is_what_escaping_each_character_gives():
    """The writer decides only the characters that may need a backslash and copies the rest: on
    random runs (block markers at a line start, ordered-list numbers, punctuation, Japanese) it
    must give exactly what deciding every character gives."""
    from translator.formats.markdown.render import _ORDERED_MARKER, _needs_backslash, escape_text

    def each_character(text: str, before: str, after: str, marker_at: int, ordered, *, table: bool) -> str:
        return "".join(
            "\\" + ch if _needs_backslash(text, index, before, after, marker_at, ordered, table=table) else ch
            for index, ch in enumerate(text)
        )

    pieces = ["#", ">", "+", "-", "=", "~", "1.", "12)", " ", "\t", "a", "語", ".", "*", "_", "|", "!", "&", "<", "x"]
    generator = random.Random(11)
    for _ in range(4000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 6)))
        before, after = generator.choice(["", "a", " "]), generator.choice(["", "[", " ", "-", "~", "b"])
        for line_start in (True, False):
            for table in (True, False):
                marker_at = len(text) - len(text.lstrip(" \t")) if line_start else -1
                ordered = _ORDERED_MARKER.match(text, marker_at) if marker_at >= 0 else None
                expected = each_character(text, before, after, marker_at, ordered, table=table)
                assert escape_text(text, before, after, line_start=line_start, table=table) == expected, (
                    text,
                    before,
                    after,
                    line_start,
                    table,
                )


# -- reading a large document: one block's inline tokens at a time -------------------------------

MANY_KINDS = (
    "# Title [ref]\n\n> quoted **bold** and `code`\n> second line\n\n- item one\n  - nested [link][ref]\n"
    "1. first\n\n| a | b |\n| --- | --- |\n| `x` \\| y | *z* |\n\nSetext\n======\n\n[ref]: https://example.com\n"
)


@pytest.mark.parametrize("path", [*SAMPLES, None], ids=[*(p.name for p in SAMPLES), "many kinds"])
def test_reading_block_by_block_gives_what_a_whole_parse_gives(path: Path | None, monkeypatch) -> None:
    import translator.formats.markdown as markdown_format

    text = path.read_text(encoding="utf-8") if path else MANY_KINDS
    by_block = read(text)
    # The reader as it was: markdown-it's whole parse, every block's inline tokens made first.
    monkeypatch.setattr(markdown_format, "_block_tokens", lambda md, source, env: md.parse(source, env))
    whole = read(text)

    assert by_block.segments == whole.segments
    assert by_block.skeleton == whole.skeleton
    assert [s for s in by_block.segments if s.translate]  # there was something to compare


def test_the_reader_holds_one_blocks_inline_tokens_at_a_time(monkeypatch) -> None:
    import translator.formats.markdown as markdown_format

    text = "\n\n".join(f"Paragraph {n} with **bold** text and a [link](https://example.com/{n})." for n in range(30))
    blocks: list[list[Token]] = []
    make_blocks = markdown_format._block_tokens

    def kept(md, source, env):  # type: ignore[no-untyped-def]
        blocks.append(make_blocks(md, source, env))
        return blocks[-1]

    most = 0
    inline = parser().inline
    parse_inline = inline.parse

    def counted(*args):  # type: ignore[no-untyped-def]
        nonlocal most
        parse_inline(*args)
        most = max(most, sum(1 for token in blocks[-1] if token.children))

    monkeypatch.setattr(markdown_format, "_block_tokens", kept)
    monkeypatch.setattr(inline, "parse", counted)
    document = read(text)

    assert len(document.segments) == 30
    assert most == 1  # a whole parse holds all 30 blocks' inline tokens before the first segment is made
    assert not any(token.children for token in blocks[-1])  # and the last block's are dropped too


@pytest.mark.parametrize("text", ["", "a", "a\n", "a\n\nb", "\n\n", "> x\n>\n  y  \n"])
def test_source_lines_are_the_lines_of_the_text(text: str) -> None:
    from translator.formats.markdown.source import SourceLines

    lines = SourceLines(text)
    expected = text.split("\n")
    assert lines.count == len(expected)
    assert [lines.line(n) for n in range(lines.count)] == expected
    assert [text[lines.starts[n] : lines.line_end(n)] for n in range(lines.count)] == expected
    assert [lines.is_blank(n) for n in range(lines.count + 1)] == [not line.strip(" \t>") for line in expected] + [True]
