"""JSON question exports in the shapes public tools and practice-test repositories use.

Each record of ``practice-test-shapes.json`` follows one public shape (the questions are ours):

* ``"choices": {"A": …}`` with ``"correct_answers": ["A", "B"]`` — the lettered shape of
  exam-dump style JSON files on GitHub;
* ``"options": [{"id": "a", "text": …}]`` with ``"correctAnswers": ["a"]`` and ``"type"`` — the
  ``Option``/``Question`` interfaces of TypeScript quiz apps;
* ``"options": [{"value": …, "isCorrect": true}]`` — Coltensiemer/AWS_Learn's ``QuestionData``;
* ``"answers": [...]`` with ``"correctAnswer"`` holding the right option's text — JavaScript quiz
  apps such as anasmoundir/quizzback's ``data.js``;
* ``"options": [...]`` with ``"correct": [0, 1, 3]`` option indexes — React exam simulators;
* all nested as ``{"sections": [{"questions": [...]}]}``.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from translator.formats import get_format
from translator.formats.questions.anki import FIELDS


def run(cli_env, source: Path, *args: str):
    return cli_env.run("translate", str(source), "-b", "pseudo", "--no-check", "--no-glossary", "--no-cache", *args)


def test_every_shape_has_its_options_translated_and_its_answer_kept(cli_env, copy_fixture):
    source = copy_fixture("practice-test-shapes.json")
    result = run(cli_env, source)
    assert result.exit_code == 0, result.output
    out = json.loads((cli_env.tmp / "practice-test-shapes.ja.json").read_text(encoding="utf-8"))
    first, second = out["sections"][0]["questions"]
    assert all(text.startswith("[ja] ") for text in first["choices"].values())
    assert first["correct_answers"] == ["A", "B"] and first["tags"] == ["labeling", "s3"]
    assert first["explanation"].startswith("[ja] ")
    assert [o["id"] for o in second["options"]] == ["a", "b", "c"]
    assert all(o["text"].startswith("[ja] ") for o in second["options"])
    assert second["correctAnswers"] == ["a"] and second["type"] == "single"
    third, fourth, fifth = out["sections"][1]["questions"]
    assert [o["isCorrect"] for o in third["options"]] == [False, True, False]
    assert all(o["value"].startswith("[ja] ") for o in third["options"])
    assert all(a.startswith("[ja] ") for a in fourth["answers"])
    assert fourth["correctAnswer"] == fourth["answers"][0]  # still names its option, now in Japanese
    assert fourth["rationale"].startswith("[ja] ")
    assert fifth["correct"] == [0, 1, 3] and all(o.startswith("[ja] ") for o in fifth["options"])
    assert out["exam"] == "AWS Certified Machine Learning Engineer - Associate (practice)"


def test_answers_are_read_from_each_shape(copy_fixture):
    source = copy_fixture("practice-test-shapes.json")
    document = get_format("json").read(source.read_text(encoding="utf-8"), str(source))
    refs = document.meta["questions"]
    assert [ref.answer for ref in refs] == [["A", "B"], ["A"], ["B"], ["A"], ["A", "B", "D"]]
    assert [ref.multi_select for ref in refs] == [2, 0, 0, 0, 3]
    assert [ref.line for ref in refs] == [7, 20, 37, 46, 56]


def test_the_anki_deck_has_the_options_and_answers(cli_env, copy_fixture, tmp_path):
    source = copy_fixture("practice-test-shapes.json")
    deck = tmp_path / "shapes.apkg"
    assert run(cli_env, source, "--anki", str(deck)).exit_code == 0
    with zipfile.ZipFile(deck) as package:
        (tmp_path / "c.anki2").write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "c.anki2") as connection:
        notes = [
            dict(zip(FIELDS, row[0].split("\x1f"), strict=True)) for row in connection.execute("select flds from notes")
        ]
    assert len(notes) == 5
    assert all(note["Options"].count("<div>") >= 3 and note["Answer"] for note in notes)


def test_a_field_holding_prose_the_reader_does_not_know_fails_the_file(cli_env, tmp_path):
    records = [
        {
            "question": "Why is AWS economical for varying workloads?",
            "answers": ["Monthly billing", "Instances launch on demand when needed"],
            "correctAnswer": "Instances launch on demand when needed",
            "the explication": "Launching instances on demand lets users follow a varying workload instead of buying for the peak.",
        }
    ]
    source = tmp_path / "quiz.json"
    source.write_text(json.dumps(records, indent=2), encoding="utf-8")
    result = run(cli_env, source)
    assert result.exit_code == 1
    assert f"{source}:2: field 'the explication' is not understood" in result.stderr
    assert not (tmp_path / "quiz.ja.json").exists()
    mapped = run(cli_env, source, "--map", "explanation=the explication")
    assert mapped.exit_code == 0, mapped.output
    assert json.loads((tmp_path / "quiz.ja.json").read_text(encoding="utf-8"))[0]["the explication"].startswith("[ja] ")


def test_an_option_object_without_text_fails_the_file_at_its_line(cli_env, tmp_path):
    source = tmp_path / "quiz.json"
    source.write_text(
        '{"questions": [\n'
        '  {"question": "Which service stores objects?", "options": [{"A": "Amazon S3"}, {"B": "Amazon EBS"}], "answer": "A"}\n'
        "]}\n",
        encoding="utf-8",
    )
    result = run(cli_env, source)
    assert result.exit_code == 1
    assert f"{source}:2: option 1 of 'options' has no text field this reader knows (keys: A)" in result.stderr
    assert not (tmp_path / "quiz.ja.json").exists()


def test_an_option_s_own_explanation_is_translated_and_other_option_prose_fails(cli_env, tmp_path):
    records = {
        "questions": [
            {
                "question": "Which service adds human review to model predictions?",
                "options": [
                    {
                        "text": "Amazon Augmented AI",
                        "correct": True,
                        "explanation": "A2I routes low-confidence predictions to people.",
                    },
                    {
                        "text": "Amazon Kinesis",
                        "correct": False,
                        "explanation": "Kinesis streams data; it does not review it.",
                    },
                ],
            }
        ]
    }
    source = tmp_path / "quiz.json"
    source.write_text(json.dumps(records, indent=2), encoding="utf-8")
    assert run(cli_env, source).exit_code == 0
    options = json.loads((tmp_path / "quiz.ja.json").read_text(encoding="utf-8"))["questions"][0]["options"]
    assert all(o["text"].startswith("[ja] ") and o["explanation"].startswith("[ja] ") for o in options)
    records["questions"][0]["options"][1]["note"] = "Kinesis is covered again in the streaming module of this course."
    source.write_text(json.dumps(records, indent=2), encoding="utf-8")
    failed = run(cli_env, source)
    assert failed.exit_code == 1
    assert "option 2 of 'options' has a field 'note' holding text this reader does not know" in failed.stderr
