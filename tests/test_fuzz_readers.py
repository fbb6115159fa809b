"""Fuzzing every reader through the real CLI: generated input made of each format's syntax and
of junk either comes back translated with the same structure, or is refused with exit 1 and one
``error:`` line. Never a traceback (the runner re-raises it) and never a hang (each run is
interrupted after ``HANG_BOUND`` seconds, far above what any example needs).

Examples are few per format so the suite stays quick on two cores; Hypothesis remembers the
failing ones between runs.
"""

from __future__ import annotations

import csv
import io
import json
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import srt
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from translator.cli.main import cli

HANG_BOUND = 60
FUZZ = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,  # the same examples on every machine: a failure here is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# A glossary run also loads the shipped glossaries (about a second each): fewer examples.
FUZZ_GLOSSARY = settings(FUZZ, max_examples=6)
WORDS = st.sampled_from(["Amazon S3", "model", "training", "The data.", "Why?", "café", "日本語", "x", "", "  "])
JUNK = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


class Hang(Exception):
    pass


@contextmanager
def bounded(seconds: int) -> Iterator[None]:
    def interrupt(signum: int, frame: object) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "translator.toml").write_text("", encoding="utf-8")
        yield root


def run(workdir: Path, *args: str) -> Result:
    env = {
        "TRANSLATOR_NO_USER_CONFIG": "1",
        "TRANSLATOR_CACHE_DIR": str(workdir / "cache"),
        "TRANSLATOR_KEYS_FILE": str(workdir / "keys.json"),
    }
    with bounded(HANG_BOUND):
        return CliRunner().invoke(
            cli, ["--config", str(workdir / "translator.toml"), *args], env=env, catch_exceptions=False
        )


def translate(workdir: Path, name: str, data: str | bytes, *extra: str) -> Result:
    source = workdir / name
    source.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return run(workdir, "translate", str(source), "-b", "pseudo", "--no-check", "--no-cache", *extra, "-o", "-")


def check(result: Result, same_structure: Callable[[str], None]) -> None:
    """Exit 0 with the same structure; or exit 1 with one ``error:`` line per problem (a record
    that cannot be read is reported and the rest still translated, with the same structure)."""
    assert "Traceback" not in result.stderr, result.stderr
    if result.exit_code == 0:
        same_structure(result.stdout)
        return
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors, result.stderr
    for line in errors:  # each problem is one line that says where: "error: FILE[:LINE]: what"
        assert line.count(": ") >= 2, line
    if result.stdout:
        same_structure(result.stdout)


def pieces(*syntax: str) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(syntax), WORDS, JUNK), max_size=40).map("".join)


# --- Markdown -------------------------------------------------------------------------------

MARKDOWN = pieces(
    "\n",
    "\n\n",
    "# ",
    "## ",
    "- ",
    "1. ",
    "> ",
    "    ",
    "*",
    "**",
    "_",
    "`",
    "```\n",
    "[",
    "](",
    ")",
    "![",
    "|",
    " | ",
    "|---|",
    "---\n",
    "<div>",
    "</div>",
    "&amp;",
    "\\",
    "<!-- ",
    " -->",
    "    - ",
)
_md = MarkdownIt("commonmark").enable("table")


def block_shape(text: str) -> list[str]:
    return [token.type for token in _md.parse(text) if token.type != "inline"]


@FUZZ
@given(MARKDOWN)
def test_markdown(workdir, text):
    check(translate(workdir, "page.md", text, "--no-glossary"), lambda out: _same(block_shape(text), block_shape(out)))


def _same(before: object, after: object) -> None:
    assert before == after


# --- HTML -----------------------------------------------------------------------------------

HTML = pieces(
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<b>",
    "</b>",
    "<a href='x'>",
    "</a>",
    "<ul><li>",
    "</li></ul>",
    "<code>",
    "</code>",
    "<br>",
    "<img alt='A picture'>",
    "<table><tr><td>",
    "</td></tr></table>",
    "<script>",
    "</script>",
    "&nbsp;",
    "&lt;",
    "<!--",
    "-->",
    "<html><body>",
    "</body></html>",
    "<",
)


def element_names(text: str) -> list[str]:
    return [tag.name for tag in BeautifulSoup(text, "lxml").find_all(True)]


@FUZZ
@given(HTML)
def test_html(workdir, text):
    check(
        translate(workdir, "page.html", text, "--no-glossary"),
        lambda out: _same(
            [n for n in element_names(text) if n not in ("html", "body", "head")],
            [n for n in element_names(out) if n not in ("html", "body", "head")],
        ),
    )


# --- SRT and VTT ----------------------------------------------------------------------------


def _timestamp(ms: int, sep: str) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"


CUE_TEXT = st.lists(
    st.one_of(WORDS, st.sampled_from(["<i>", "</i>", "- ", "(music)", "\n"]), JUNK), min_size=1, max_size=6
).map("".join)
CUES = st.lists(st.tuples(st.integers(0, 10_000_000), st.integers(1, 10_000), CUE_TEXT), min_size=1, max_size=6)


def srt_file(cues: list[tuple[int, int, str]], junk: str) -> str:
    blocks = [f"{i}\n{_timestamp(s, ',')} --> {_timestamp(s + d, ',')}\n{t}\n" for i, (s, d, t) in enumerate(cues, 1)]
    return "\n".join(blocks) + junk


def vtt_file(cues: list[tuple[int, int, str]], junk: str) -> str:
    blocks = [f"{_timestamp(s, '.')} --> {_timestamp(s + d, '.')}\n{t}\n" for s, d, t in cues]
    return "WEBVTT\n\n" + "\n".join(blocks) + junk


def srt_timings(text: str) -> list[tuple[object, object]]:
    return [(cue.start, cue.end) for cue in srt.parse(text)]


def vtt_timings(text: str) -> list[str]:
    return [line for line in text.splitlines() if "-->" in line]


@FUZZ
@given(CUES, st.one_of(st.just(""), pieces("\n", "-->", "00:00:01,000", "1\n", "\n\n")))
def test_srt(workdir, cues, junk):
    text = srt_file(cues, junk)
    check(translate(workdir, "talk.srt", text, "--no-glossary"), lambda out: _same(srt_timings(text), srt_timings(out)))


@FUZZ
@given(CUES, st.one_of(st.just(""), pieces("\n", "-->", "00:01.000", "NOTE ", "STYLE\n", "\n\n")))
def test_vtt(workdir, cues, junk):
    text = vtt_file(cues, junk)
    check(translate(workdir, "talk.vtt", text, "--no-glossary"), lambda out: _same(vtt_timings(text), vtt_timings(out)))


# --- Practice questions: JSON and CSV -------------------------------------------------------

FIELD = st.one_of(WORDS, JUNK, st.integers(), st.none(), st.lists(WORDS, max_size=3))
QUESTION = st.fixed_dictionaries(
    {"id": st.one_of(st.integers(1, 99), WORDS), "question": st.one_of(WORDS, JUNK)},
    optional={
        "options": st.dictionaries(st.sampled_from("ABCDE"), st.one_of(WORDS, JUNK), max_size=5),
        "answer": st.one_of(st.sampled_from(["A", "AB", "Z", ""]), FIELD),
        "explanation": FIELD,
    },
)


def shape(value: object) -> object:
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return "text" if isinstance(value, str) else value


@FUZZ
@given(
    st.one_of(st.lists(QUESTION, max_size=5), st.fixed_dictionaries({"questions": st.lists(QUESTION, max_size=5)})),
    st.booleans(),
)
def test_questions_json(workdir, data, indent):
    text = json.dumps(data, ensure_ascii=False, indent=2 if indent else None)
    check(
        translate(workdir, "bank.json", text, "--no-glossary"),
        lambda out: _same(shape(data), shape(json.loads(out))),
    )


CELL = st.one_of(WORDS, JUNK, st.sampled_from(['"', '""', ",", "\n", "=1+1", "-2", "@x", "A", "AB"]))


@FUZZ
@given(st.lists(st.lists(CELL, min_size=6, max_size=6), max_size=5), st.booleans())
def test_questions_csv(workdir, rows, unclosed):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "question", "A", "B", "answer", "explanation"])
    writer.writerows(rows)
    text = buffer.getvalue() + ('7,"Open quote,A,B,A,x\n' if unclosed else "")

    def same_rows(out: str) -> None:
        before = list(csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n"), newline="")))
        after = list(csv.reader(io.StringIO(out, newline="")))
        assert [len(row) for row in before] == [len(row) for row in after]

    check(translate(workdir, "bank.csv", text, "--no-glossary"), same_rows)


# --- Glossaries: YAML, TBX, TMX -------------------------------------------------------------

YAML = pieces(
    "version: 1\n",
    "language: en\n",
    "entries:\n",
    "  - term: ",
    "model",
    "\n",
    "    targets:\n",
    "      ja:\n",
    "        preferred: ",
    "モデル",
    "    keep: true\n",
    "    case: exact\n",
    "    aliases: [",
    "]",
    '"',
    "'",
    "!!int ",
    "!!python/object/apply:os.system ",
    "&a ",
    "*a",
    "{",
    "}",
    ": ",
    "- ",
    "\t",
    "%YAML 1.1\n",
    "---\n",
)
TBX = pieces(
    '<?xml version="1.0"?>',
    "<tbx type='TBX-Basic' style='dca' xml:lang='en' xmlns='urn:iso:std:iso:30042:ed-2'>",
    "<text><body>",
    "<conceptEntry id='c1'>",
    "<langSec xml:lang='en'>",
    "<langSec xml:lang='ja'>",
    "<termSec><term>",
    "model",
    "モデル",
    "</term></termSec>",
    "</langSec>",
    "</conceptEntry>",
    "</body></text></tbx>",
    "<!DOCTYPE x [",
    "<!ENTITY a 'aaaa'>",
    "]>",
    "&a;",
    "<",
)
TMX = pieces(
    '<?xml version="1.0"?>',
    "<tmx version='1.4'>",
    "<header srclang='en' datatype='plaintext'/>",
    "<body>",
    "<tu>",
    "<tuv xml:lang='en'>",
    "<tuv xml:lang='ja'>",
    "<seg>",
    "model",
    "モデル",
    "</seg>",
    "</tuv>",
    "</tu>",
    "</body></tmx>",
    "<!DOCTYPE x [",
    "<!ENTITY a 'aaaa'>",
    "]>",
    "&a;",
    "<",
)
LESSON = "Train the model.\n"


def lesson_translated(out: str) -> None:
    assert out.startswith("[ja] ") and out.endswith("\n") and out.count("\n") == 1


@FUZZ_GLOSSARY
@given(YAML)
def test_glossary_yaml(workdir, text):
    (workdir / "team.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    check(translate(workdir, "lesson.txt", LESSON, "--glossary", str(workdir / "team.yaml")), lesson_translated)
    lint = run(workdir, "glossary", "lint", str(workdir / "team.yaml"))
    assert lint.exit_code in (0, 1)


@FUZZ_GLOSSARY
@given(st.sampled_from(["tbx", "tmx"]), st.data())
def test_glossary_tbx_and_tmx(workdir, kind, data):
    text = data.draw(TBX if kind == "tbx" else TMX)
    glossary = workdir / f"team.{kind}"
    glossary.write_text(text, encoding="utf-8", errors="surrogatepass")
    check(translate(workdir, "lesson.txt", LESSON, "--glossary", str(glossary)), lesson_translated)
