"""MDX quizzes: prose as Markdown, JSX as code except its text strings, and the file still compiles.

The sample is a course page in the shape Docusaurus/Next.js sites write quizzes in MDX (front
matter, ESM imports and an ``export const meta``, a ``<Callout>`` wrapping Markdown, and
``<Question choices={[{ text, explain, correct }]} />`` components); its text is ours. Before this
format existed ``.mdx`` was refused, and ``--format markdown`` sent the JSX to the engine as an
escaped paragraph.

The compile check uses the MDX project's own compiler (``@mdx-js/mdx`` from npm, installed with
``npm ci --prefix tests/js``); without it that test is skipped, except under ``CI=true``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from translator.formats import format_name_for, get_format
from translator.testing import pseudo_translate

from .contract import FormatContract

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mdx"
SAMPLE = FIXTURES / "sagemaker-inference-quiz.mdx"
JS = Path(__file__).resolve().parents[1] / "js"


class TestMdxContract(FormatContract):
    format_name = "mdx"
    samples = sorted(FIXTURES.glob("*.mdx"))


def read(text: str | None = None):
    return get_format("mdx").read(SAMPLE.read_text(encoding="utf-8") if text is None else text, "quiz.mdx")


def pseudo(document) -> dict[str, str]:
    return {s.id: pseudo_translate(s.text, "ja", ignore_tags=("x",)) for s in document.segments if s.translate}


def test_mdx_files_are_recognised_by_extension():
    assert format_name_for("docs/quiz.mdx") == "mdx"


def test_the_text_strings_of_components_are_segments_and_the_code_is_not():
    document = read()
    strings = [(s.meta["key"], s.text) for s in document.segments if s.kind == "jsx-string"]
    assert ("question", "Which option scales to zero when no requests arrive?") in strings
    assert ("explain", "Serverless endpoints scale down to zero, so you pay per request.") in strings
    assert ("text", "Batch transform") in strings and ("title", "Before you start") in strings
    assert ("hint", 'Think about payload size limits and "long-running" requests.') in strings
    assert ("choices", "Asynchronous inference") in strings
    assert ("description", "Real-time, serverless, asynchronous and batch inference compared.") in strings
    everything = "\n".join(s.text for s in document.segments)
    for code in (
        "choices={",
        "correct:",
        "import ",
        "inference-1",
        "inference-options",
        "Cost table",
        "stays as it is",
    ):
        assert code not in everything, code


def test_markdown_inside_a_component_is_prose_not_indented_code():
    document = read()
    callout = next(s for s in document.segments if "trained model artifact" in s.text)
    assert callout.kind == "paragraph"
    assert any(span.opening == "`s3://my-bucket/model.tar.gz`" for span in callout.spans.values())


def test_translations_are_escaped_for_their_quotes():
    document = read()
    fmt = get_format("mdx")
    by_key = {s.meta["key"]: s for s in document.segments if s.kind == "jsx-string"}
    translations = {
        by_key["question"].id: '"ゼロ" までスケールするのは？',  # a JSX attribute: entities only
        by_key["hint"].id: 'ペイロードの "上限" を考えます\\',  # a JavaScript string: backslash escapes
    }
    output = fmt.write(document, translations)
    assert 'question="&quot;ゼロ&quot; までスケールするのは？"' in output
    assert 'hint={"ペイロードの \\"上限\\" を考えます\\\\"}' in output
    again = {s.meta.get("key"): s.text for s in fmt.read(output, "quiz.ja.mdx").segments}
    assert again["question"] == '"ゼロ" までスケールするのは？'  # read back as written
    assert again["hint"] == translations[by_key["hint"].id]


def test_an_untranslated_write_is_byte_identical():
    text = SAMPLE.read_text(encoding="utf-8")
    document = read(text)
    assert get_format("mdx").write(document, {}) == text


def _outline(*paths: Path) -> list[dict]:
    if not (JS / "node_modules" / "@mdx-js" / "mdx").is_dir() or shutil.which("node") is None:
        reason = "the MDX compiler is not installed (npm ci --prefix tests/js)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (required in CI)")
        pytest.skip(reason)
    done = subprocess.run(
        ["node", str(JS / "mdx_outline.mjs"), *map(str, paths)], capture_output=True, text=True, check=True, timeout=120
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.mark.parametrize("bilingual", [False, True], ids=["translated", "bilingual"])
def test_the_translated_file_compiles_with_the_same_tree(tmp_path: Path, bilingual: bool):
    document = read()
    output = tmp_path / "quiz.ja.mdx"
    output.write_text(get_format("mdx").write(document, pseudo(document), bilingual=bilingual), encoding="utf-8")
    source, translated = _outline(SAMPLE, output)
    assert source["ok"], source
    assert translated["ok"], translated
    if not bilingual:  # bilingual adds paragraphs
        assert translated["outline"] == source["outline"]
