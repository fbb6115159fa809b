"""Reruns over a folder keep outputs a person edited since the tool wrote them (unless --force).

The scenario from the field: a course folder is translated, a reviewer fixes a rendering in one
translated lesson, and the folder is translated again after a new lecture was added.
"""

from __future__ import annotations

import json
from pathlib import Path

from translator.runs.manifest import MANIFEST_NAME

LESSON = "# Lesson 1\n\nAmazon SageMaker trains the model on managed instances.\n"
LECTURE = "1\n00:00:01,000 --> 00:00:04,000\nWelcome to the course.\n"


def translate(cli_env, *args: str):
    return cli_env.run("translate", *args, "-b", "pseudo", "--no-cache", "--no-check", "--no-glossary")


def course(tmp: Path) -> Path:
    folder = tmp / "course"
    folder.mkdir()
    (folder / "lesson1.md").write_text(LESSON, encoding="utf-8")
    (folder / "intro.srt").write_text(LECTURE, encoding="utf-8")
    return folder


def test_a_rerun_keeps_an_output_edited_by_hand_and_says_so(cli_env):
    folder = course(cli_env.tmp)
    first = translate(cli_env, str(folder), "-o", "out")
    assert first.exit_code == 0, first.output
    edited = cli_env.tmp / "out" / "lesson1.md"
    by_hand = edited.read_text(encoding="utf-8").replace("\\[ja\\] Lesson 1", "レッスン 1")
    edited.write_text(by_hand, encoding="utf-8")
    (folder / "lesson2.md").write_text("# Lesson 2\n\nDeploy the model.\n", encoding="utf-8")

    again = translate(cli_env, str(folder), "-o", "out")
    assert again.exit_code == 0, again.output
    assert edited.read_text(encoding="utf-8") == by_hand
    assert "kept out/lesson1.md: changed since it was written" in again.stderr and "--force" in again.stderr
    assert (cli_env.tmp / "out" / "lesson2.md").exists()
    assert "wrote out/intro.srt" in again.stderr  # unedited outputs are refreshed

    forced = translate(cli_env, str(folder), "-o", "out", "--force")
    assert forced.exit_code == 0, forced.output
    assert "ja\\] Lesson 1" in edited.read_text(encoding="utf-8")


def test_the_record_names_every_output_with_its_hash_and_is_never_read_as_material(cli_env):
    folder = course(cli_env.tmp)
    assert translate(cli_env, str(folder), "-o", "out").exit_code == 0
    record = json.loads((cli_env.tmp / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert sorted(record["outputs"]) == ["intro.srt", "lesson1.md"]
    assert all(len(entry["sha256"]) == 64 for entry in record["outputs"].values())
    # Translating the translated folder again (say, into another language) skips the record.
    again = cli_env.run("translate", "out", "-o", "out2", "-b", "pseudo", "--no-cache", "--no-check", "--to", "ko")
    assert again.exit_code == 0, again.output
    assert MANIFEST_NAME not in again.stderr
    assert sorted(p.name for p in (cli_env.tmp / "out2").iterdir()) == [MANIFEST_NAME, "intro.srt", "lesson1.md"]


def test_an_output_the_tool_never_wrote_is_replaced_as_before(cli_env):
    source = cli_env.tmp / "lesson.md"
    source.write_text(LESSON, encoding="utf-8")
    existing = cli_env.tmp / "lesson.ja.md"
    existing.write_text("old translation\n", encoding="utf-8")
    result = translate(cli_env, str(source))
    assert result.exit_code == 0, result.output
    assert "ja\\]" in existing.read_text(encoding="utf-8")
    assert translate(cli_env, str(source)).exit_code == 0  # unchanged since written: replaced again
    assert "kept" not in translate(cli_env, str(source)).stderr


def test_the_json_log_says_an_output_was_kept(cli_env):
    folder = course(cli_env.tmp)
    assert translate(cli_env, str(folder), "-o", "out").exit_code == 0
    (cli_env.tmp / "out" / "intro.srt").write_text(LECTURE.replace("Welcome", "ようこそ"), encoding="utf-8")
    again = translate(cli_env, str(folder), "-o", "out", "--log-format", "json")
    assert again.exit_code == 0, again.output
    records = [json.loads(line) for line in again.stderr.splitlines() if line.startswith("{")]
    status = {Path(r["destination"]).name: r["status"] for r in records if r.get("event") == "document"}
    assert status == {"intro.srt": "kept", "lesson1.md": "written"}


def test_a_folder_of_many_documents_reads_and_writes_its_record_a_few_times_not_per_document(cli_env, monkeypatch):
    # Reading and rewriting the whole record for every document made a folder run quadratic.
    from translator.runs import manifest

    folder = cli_env.tmp / "many"
    folder.mkdir()
    for number in range(60):
        (folder / f"lesson{number:02d}.md").write_text(f"# Lesson {number}\n\nDeploy model {number}.\n", "utf-8")
    reads: list[Path] = []
    real_load = manifest._load
    monkeypatch.setattr(manifest, "_load", lambda where: reads.append(where) or real_load(where))

    assert translate(cli_env, str(folder), "-o", "out").exit_code == 0
    assert 0 < len(reads) < 10  # once at the first output, then once a round, never once a document
    record = json.loads((cli_env.tmp / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert sorted(record["outputs"]) == sorted(f"lesson{number:02d}.md" for number in range(60))

    # The record written in rounds still protects an edited output on the next run.
    edited = cli_env.tmp / "out" / "lesson59.md"
    edited.write_text("レッスン 59\n", encoding="utf-8")
    again = translate(cli_env, str(folder), "-o", "out")
    assert again.exit_code == 0, again.output
    assert edited.read_text(encoding="utf-8") == "レッスン 59\n"
