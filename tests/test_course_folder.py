"""A course folder of mixed material translates in one command, each file with its own reader."""

from __future__ import annotations

import json
import shutil

import srt
import webvtt
from markdown_it import MarkdownIt

from tests.conftest import FIXTURES, SAMPLES
from translator.runs.manifest import MANIFEST_NAME


def build_course(root):
    (root / "week1").mkdir(parents=True)
    (root / "week2").mkdir()
    shutil.copy(FIXTURES / "markdown" / "sagemaker__model-managed-spot-training.md", root / "week1" / "reading.md")
    shutil.copy(FIXTURES / "subtitles" / "hf-course_60_what-is-the-bleu-metric.en.srt", root / "week1" / "lecture.srt")
    shutil.copy(FIXTURES / "subtitles" / "lecture.en.vtt", root / "week2" / "lecture.vtt")
    shutil.copy(FIXTURES / "html" / "aws-docs-page.html", root / "week2" / "page.html")
    shutil.copy(FIXTURES / "questions" / "practice-exam.md", root / "week2" / "exam.md")
    shutil.copy(FIXTURES / "questions" / "questions.json", root / "week2" / "quiz.json")
    shutil.copy(FIXTURES / "questions" / "questions.csv", root / "week2" / "quiz.csv")
    (root / "notes.txt").write_text("Remember to stop the endpoint after the lab.\n", encoding="utf-8")
    (root / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n")


def test_a_mixed_course_folder_translates_in_one_command(cli_env, deepl):
    course = cli_env.tmp / "course"
    build_course(course)
    out = cli_env.tmp / "course-ja"
    result = cli_env.run(
        "translate", str(course), "-o", str(out), "-b", "deepl", "--backend-url", deepl.url, "--no-cache", "--no-check"
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != MANIFEST_NAME)
    assert written == [
        "notes.txt",
        "week1/lecture.srt",
        "week1/reading.md",
        "week2/exam.md",
        "week2/lecture.vtt",
        "week2/page.html",
        "week2/quiz.csv",
        "week2/quiz.json",
    ]
    # Each reader kept its own structure.
    source_cues = list(srt.parse((course / "week1" / "lecture.srt").read_text(encoding="utf-8-sig")))
    cues = list(srt.parse((out / "week1" / "lecture.srt").read_text(encoding="utf-8-sig")))
    assert [(c.start, c.end) for c in cues] == [(c.start, c.end) for c in source_cues]
    assert len(webvtt.from_string((out / "week2" / "lecture.vtt").read_text(encoding="utf-8")).captions) == len(
        webvtt.from_string((course / "week2" / "lecture.vtt").read_text(encoding="utf-8")).captions
    )
    parse = MarkdownIt("commonmark").enable("table").parse
    assert [t.type for t in parse((out / "week1" / "reading.md").read_text(encoding="utf-8"))] == [
        t.type for t in parse((course / "week1" / "reading.md").read_text(encoding="utf-8"))
    ]
    exam = (out / "week2" / "exam.md").read_text(encoding="utf-8")
    assert "（2 つ選択）" in exam and exam.count("Correct Answer") == 22
    quiz = json.loads((out / "week2" / "quiz.json").read_text(encoding="utf-8"))
    source_quiz = json.loads((course / "week2" / "quiz.json").read_text(encoding="utf-8"))
    assert json.dumps(quiz, ensure_ascii=False).count("[ja]") > 0
    assert [q.get("answer") for q in _questions(quiz)] == [q.get("answer") for q in _questions(source_quiz)]
    assert 'lang="ja"' in (out / "week2" / "page.html").read_text(encoding="utf-8").split("<head>")[0]
    assert (out / "notes.txt").read_text(encoding="utf-8").startswith("[ja] ")


def _questions(data):
    return data["questions"] if isinstance(data, dict) else data


def test_the_samples_folder_of_aws_docs_translates_as_a_folder(cli_env, deepl):
    result = cli_env.run(
        "translate",
        str(SAMPLES / "awsdocs"),
        "-o",
        str(cli_env.tmp / "docs-ja"),
        "-b",
        "deepl",
        "--backend-url",
        deepl.url,
        "--no-cache",
        "--no-check",
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (cli_env.tmp / "docs-ja").iterdir() if p.name != MANIFEST_NAME) == [
        "sagemaker__how-it-works-training.md",
        "sagemaker__model-managed-spot-training.md",
    ]
