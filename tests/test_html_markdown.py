"""HTML → Markdown for fetched pages: the Markdown must parse back to the same content."""

from __future__ import annotations

import re
from html import escape

import lxml.html
import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from translator import markup
from translator.fetch.to_markdown import html_to_markdown


def convert(html: str) -> str:
    return html_to_markdown(BeautifulSoup(html, "lxml").body)


def rendered_text(markdown: str) -> str:
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    return " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())


def page_text(html: str) -> str:
    return " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())


def test_headings_paragraphs_and_emphasis():
    md = convert("<h1>Title</h1><p>Some <b> bold </b>and <em>italic</em> and <del>old</del> text.</p><h3>Sub</h3>")
    assert md == "# Title\n\nSome **bold** and *italic* and ~~old~~ text.\n\n### Sub\n"


@pytest.mark.parametrize(
    "text",
    [
        "Use *args and **kwargs in [brackets] with `ticks` and a \\ backslash.",
        "2 < 3 & 4 > 1, <div> is a tag, &amp; is an entity.",
        "snake_case, _private, __init__ and trailing_",
        "1. Not a list",
        "# Not a heading",
        "- Not an item",
        "+ Not an item either",
        "> Not a quote",
    ],
)
def test_special_characters_survive_as_text(text):
    html = f"<p>{escape(text, quote=False)}</p>"
    md = convert(html)
    assert rendered_text(md) == page_text(html)
    assert "snake_case" in md or "snake_case" not in text  # no needless escapes inside words


def test_nested_lists_keep_their_nesting_and_numbers():
    md = convert(
        "<ol start='3'><li>Third<ul><li>Inner <b>one</b></li><li>Inner two"
        "<ol><li>Deep</li></ol></li></ul></li><li><p>Fourth</p><p>More text.</p></li></ol>"
    )
    assert md == ("3. Third\n   - Inner **one**\n   - Inner two\n     1. Deep\n4. Fourth\n\n   More text.\n")
    tokens = MarkdownIt("commonmark").parse(md)
    assert [t.type for t in tokens if t.type.endswith("list_open")] == [
        "ordered_list_open",
        "bullet_list_open",
        "ordered_list_open",
    ]


def test_tables_become_pipe_tables():
    md = convert(
        "<table><caption>Limits</caption><thead><tr><th>Name</th><th>Value</th><th>Note</th></tr></thead>"
        "<tbody><tr><td>a|b</td><td colspan='2'>wide</td></tr><tr><td><p>Para</p></td><td><code>x</code></td><td>ok<br>two</td></tr></tbody></table>"
    )
    assert md == (
        "Limits\n\n| Name | Value | Note |\n| --- | --- | --- |\n| a\\|b | wide |  |\n| Para | `x` | ok two |\n"
    )
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    assert sum(t.type == "td_open" for t in tokens) == 6


def test_table_without_header_cells_still_has_a_header_row():
    md = convert("<table><tr><td>Only</td><td>row</td></tr></table>")
    assert md == "|  |  |\n| --- | --- |\n| Only | row |\n"


@pytest.mark.parametrize(
    ("attrs", "language"),
    [
        ('class="language-python"', "python"),
        ('class="lang-js"', "js"),
        ('class="json "', "json"),
        ('class="nohighlight"', ""),
        ("", ""),
    ],
)
def test_code_blocks_are_fenced_with_their_language(attrs, language):
    md = convert(f"<pre><code {attrs}>x = 1\n\nif x &lt; 2:\n    print(x)\n</code></pre>")
    assert md == f"```{language}\nx = 1\n\nif x < 2:\n    print(x)\n```\n"


def test_fences_and_code_spans_outlast_backticks_inside():
    md = convert("<pre>```\ncode\n```</pre><p>Run <code>a `b` c</code> now.</p>")
    assert md.startswith("````\n```\ncode\n```\n````\n")
    assert "``a `b` c``" in md
    assert rendered_text(md).endswith("Run a `b` c now.")


def test_links_and_images():
    md = convert(
        '<p><a href="https://example.com/a b" title="The &quot;A&quot; page">A page</a>, '
        '<a href="javascript:void(0)">no link</a>, <a href="/x"><img src="/i.png" alt="Icon"></a>, '
        '<img src="data:image/png;base64,AAAA" alt="inline"> and <a href="#top">top</a>.</p>'
    )
    assert md == (
        '[A page](https://example.com/a%20b "The \\"A\\" page"), no link, [![Icon](/i.png)](/x), inline and [top](#top).\n'
    )


def test_blockquotes_breaks_rules_and_raw_sup():
    md = convert("<blockquote><p>First</p><p>Second<br>line</p></blockquote><hr><p>E = mc<sup>2</sup></p>")
    assert md == "> First\n>\n> Second\\\n> line\n\n---\n\nE = mc<sup>2</sup>\n"


def test_definition_lists():
    md = convert("<dl><dt><code>max_wait</code></dt><dd><p>Seconds to wait.</p></dd></dl>")
    assert md == "**`max_wait`**\n\nSeconds to wait.\n"


def test_scripts_and_widgets_leave_no_text():
    md = convert("<p>Keep</p><script>alert(1)</script><svg><title>icon</title></svg><button>Copy</button>")
    assert md == "Keep\n"


def test_inline_wrappers_around_blocks_are_transparent():
    md = convert('<a href="/card"><div><h2>Card</h2><p>Body</p></div></a><span>Loose <i>text</i></span>')
    assert md == "## Card\n\nBody\n\nLoose *text*\n"


def test_output_has_no_trailing_spaces_or_runs_of_blank_lines():
    md = convert("<div>\n\n  <p>  One  </p>\n\n\n<p>Two</p>  <ul><li>  </li><li>x</li></ul></div>")
    assert not re.search(r"[ \t]$", md, flags=re.MULTILINE)
    assert "\n\n\n" not in md


def test_translate_no_survives_the_conversion_and_the_markdown_reader_keeps_it():
    from translator.formats import get_format

    page = BeautifulSoup(
        '<main><p>Use <span translate="no">Model Monitor</span> to watch drift.</p>'
        '<p class="notranslate">Keep this whole paragraph.</p></main>',
        "lxml",
    )
    converted = html_to_markdown(page.main)
    assert '<span translate="no">Model Monitor</span>' in converted
    assert '<div translate="no">Keep this whole paragraph.</div>' in converted
    document = get_format("markdown").read(converted, "page.md")
    texts = [markup.plain(s.text, s.spans, keep_protected=False) for s in document.segments if s.translate]
    assert texts == ["Use  to watch drift."]
