"""JSON, JSON Lines and CSV question files through the real CLI: layout kept, prose translated."""

from __future__ import annotations

import csv
import io
import json

import pytest

TRANSLATED = ("question", "explanation")


def load_json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def assert_translated_record(source: dict, output: dict, phrases: dict[int, str]) -> None:
    """Schema fields translated, markers in Japanese, every other key identical and in order."""
    assert list(output) == list(source)
    for key, value in source.items():
        if key in TRANSLATED:
            expected = value.replace("(Select TWO.)", phrases[2]).replace("(Select TWO)", phrases[2])
            expected = expected.replace("(Select THREE.)", phrases[3])
            assert output[key] == f"[ja] {expected}", key
        elif key == "options":
            assert list(output[key]) == list(value)
            assert all(output[key][k] == f"[ja] {v}" for k, v in value.items())
        else:
            assert output[key] == value, key


def test_json_round_trip_keeps_layout_and_untouched_keys(cli_env, copy_fixture, exam_phrases):
    source = copy_fixture("questions.json")
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--no-check", "--no-glossary")
    assert result.exit_code == 0, result.output
    output_path = cli_env.tmp / "questions.ja.json"
    original, output = load_json(source), load_json(output_path)
    assert {k: v for k, v in output.items() if k != "questions"} == {"title": "Cloud basics", "version": 3}
    assert len(output["questions"]) == len(original["questions"]) == 6
    for before, after in zip(original["questions"], output["questions"], strict=True):
        assert_translated_record(before, after, exam_phrases)
    text = output_path.read_text(encoding="utf-8")
    assert text.startswith('{\n  "title": "Cloud basics",\n') and text.endswith("}\n")
    assert "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html" in text
    assert "<br/>" in text and "`PostgreSQL`" in text and "🤖" in text


def test_jsonl_round_trip_through_the_deepl_emulator(cli_env, deepl, copy_fixture, exam_phrases):
    source = copy_fixture("questions.jsonl")
    result = cli_env.run(
        "translate", str(source), "-b", "deepl", "--backend-url", deepl.url, "--no-cache", "--no-check"
    )
    assert result.exit_code == 0, result.output
    lines = (cli_env.tmp / "questions.ja.jsonl").read_text(encoding="utf-8").splitlines()
    originals = source.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(originals) == 6
    for before, after in zip(originals, lines, strict=True):
        assert_translated_record(json.loads(before), json.loads(after), exam_phrases)
    sent = json.dumps([r.json for r in deepl.requests if r.path == "/v2/translate"])
    assert "https://" not in sent and "Select TWO" not in sent


def read_csv(path, **kwargs):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")), **kwargs))


def test_csv_round_trip_keeps_columns_and_answers(cli_env, copy_fixture, exam_phrases):
    source = copy_fixture("questions.csv")
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--no-check", "--no-glossary")
    assert result.exit_code == 0, result.output
    before, after = read_csv(source), read_csv(cli_env.tmp / "questions.ja.csv")
    assert after[0] == before[0] and len(after) == len(before) == 7
    header = before[0]
    for old, new in zip(before[1:], after[1:], strict=True):
        for column, old_value, new_value in zip(header, old, new, strict=True):
            if column in ("question", "A", "B", "C", "D", "E", "F", "explanation") and old_value:
                assert new_value.startswith("[ja] "), column
            else:
                assert new_value == old_value, column
    assert (
        after[3][9]
        == "[ja] Enable MFA and remove access keys.\nReference: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html"
    )
    assert after[3][1] == "[ja] Which actions protect the root user?<br/>（2 つ選択）"


def test_map_reads_other_column_names_and_keeps_the_dialect(cli_env, copy_fixture, exam_phrases):
    source = copy_fixture("other-export.csv")
    args = [
        "--map",
        "question=Prompt",
        "--map",
        "answer=CorrectAnswers",
        "--map",
        "explanation=Rationale",
        "--map",
        "id=QuestionID",
    ]
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--no-check", "--no-glossary", *args)
    assert result.exit_code == 0, result.output
    text = (cli_env.tmp / "other-export.ja.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == source.read_text(encoding="utf-8").splitlines()[0]
    assert text.splitlines()[1].startswith(
        '"s3-001";"[ja] Which AWS services store objects durably? （2 つ選択）";"[ja] Amazon S3";'
    )
    rows = read_csv(cli_env.tmp / "other-export.ja.csv", delimiter=";")
    assert [row[8] for row in rows[1:]] == ["A, C", "A", "A, C", "A", "A, B, C", "A"]
    assert all(row[10] == old[10] for row, old in zip(rows, read_csv(source, delimiter=";"), strict=True))


def test_map_names_an_unknown_column(cli_env, copy_fixture):
    source = copy_fixture("other-export.csv")
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--map", "question=Stem")
    assert result.exit_code == 1
    assert "--map question=Stem: no column 'Stem' (columns: QuestionID, Prompt," in result.output


def test_malformed_csv_rows_are_reported_by_line_and_the_rest_translate(cli_env, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text(
        "id,question,A,B,C,answer,explanation\n"
        'q1,Which service stores objects?,Amazon S3,Amazon EC2,,A,"Objects go\nto S3."\n'
        "q2,,Amazon S3,Amazon EC2,,A,\n"
        "q3,Which service runs code?,AWS Lambda,Amazon S3,,D,Lambda does.\n"
        "q4,Which is a database?,Amazon RDS,Amazon SNS,,A,RDS is.\n",
        encoding="utf-8",
    )
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--no-check", "--no-glossary")
    assert result.exit_code == 1
    assert f"error: {source}:4: question text is missing; left untranslated" in result.stderr.splitlines()
    assert (
        f"error: {source}:5: answer D is not among the options (A, B); left untranslated" in result.stderr.splitlines()
    )
    lines = (tmp_path / "bad.ja.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("q1,[ja] Which service stores objects?,[ja] Amazon S3,")
    assert lines[3:5] == [
        "q2,,Amazon S3,Amazon EC2,,A,",
        "q3,Which service runs code?,AWS Lambda,Amazon S3,,D,Lambda does.",
    ]
    assert lines[5].startswith("q4,[ja] Which is a database?")


def test_a_bad_json_line_is_reported_and_kept(cli_env, tmp_path):
    good = {
        "id": "a",
        "question": "Which service stores objects?",
        "options": {"A": "Amazon S3", "B": "Amazon EC2"},
        "answer": "A",
    }
    source = tmp_path / "set.jsonl"
    source.write_text(
        json.dumps(good) + '\n{"id": "b", "question": \n' + json.dumps({**good, "id": "c"}) + "\n", encoding="utf-8"
    )
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--no-check", "--no-glossary")
    assert result.exit_code == 1
    assert f"{source}:2: not valid JSON" in result.output
    lines = (tmp_path / "set.ja.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines[1] == '{"id": "b", "question": '
    assert json.loads(lines[0])["question"] == json.loads(lines[2])["question"] == "[ja] Which service stores objects?"


def test_a_bad_record_in_a_json_array_is_reported_with_its_line(cli_env, tmp_path):
    records = [
        {"question": "Which service stores objects?", "options": ["Amazon S3", "Amazon EC2"], "answer": ["A"]},
        {"question": "Which runs code?", "options": ["AWS Lambda"], "answer": "B"},
    ]
    source = tmp_path / "set.json"
    source.write_text(json.dumps(records, indent=4), encoding="utf-8")
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--no-check", "--no-glossary")
    assert result.exit_code == 1
    assert f"{source}:12: answer B is not among the options (A)" in result.output
    output = load_json(tmp_path / "set.ja.json")
    assert output[0]["options"] == ["[ja] Amazon S3", "[ja] Amazon EC2"] and output[1] == records[1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"name": "config"}', "not a practice-question file"),
        ('[{"name": "x"}]', "no 'question' column or key"),
        ('[{"question": "x",}]', "not valid JSON"),
    ],
)
def test_json_that_is_not_a_question_set_is_one_clear_error(cli_env, tmp_path, content, message):
    source = tmp_path / "data.json"
    source.write_text(content, encoding="utf-8")
    result = cli_env.run("translate", str(source), "-b", "pseudo")
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_bilingual_records_hold_english_and_japanese(cli_env, copy_fixture, exam_phrases):
    source = copy_fixture("questions.json")
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--no-check", "--bilingual", "-o", "-")
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout)["questions"][0]
    assert (
        first["question"]
        == "Which AWS services store objects durably? (Select TWO.)\n[ja] Which AWS services store objects durably? （2 つ選択）"
    )
    assert first["options"]["C"] == "Amazon S3 Glacier / [ja] Amazon S3 Glacier"
    assert first["answer"] == ["A", "C"]


def test_json_files_from_amazon_transcribe_go_to_the_subtitle_formats(cli_env, tmp_path):
    pytest.importorskip("translator.formats.subtitles")

    def item(kind: str, word: str, *times: str) -> dict:
        timing = dict(zip(("start_time", "end_time"), times, strict=False))
        return {**timing, "type": kind, "alternatives": [{"confidence": "1.0", "content": word}]}

    words = [item("pronunciation", "Hello", "0.0", "0.4"), item("pronunciation", "world", "0.4", "0.9")]
    transcribe = {
        "jobName": "lecture",
        "results": {"transcripts": [{"transcript": "Hello world."}], "items": [*words, item("punctuation", ".")]},
        "status": "COMPLETED",
    }
    source = tmp_path / "lecture.json"
    source.write_text(json.dumps(transcribe), encoding="utf-8")
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--no-check", "-o", "-")
    assert result.exit_code == 0, result.output
    assert "00:00:00,000 --> 00:00:00,900" in result.stdout and "[ja] Hello world." in result.stdout
