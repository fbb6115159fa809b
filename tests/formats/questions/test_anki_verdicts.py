"""``--anki`` notes carry the verdict of each question and, for a flagged one, why in plain words,
so a learner studying the deck knows which cards to read in English (through the CLI, translated
by the DeepL emulator over loopback HTTP)."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from tests.conftest import DEEPL_KEY
from tests.formats.questions.test_questions_anki import read_notes
from translator.formats.questions.anki import FRONT
from translator.testing import DeepLEmulator

TABLE = {
    ("You can change your settings.", "JA"): "あなたは設定を変更できます。",
    ("Which service stores objects?", "JA"): "オブジェクトを保存するサービスはどれですか。",
    ("Store 5 GB of data.", "JA"): "7 GB のデータを保存します。",
    ("Stop the training job.", "JA"): "トレーニングジョブを停止します。",
    ("Delete the endpoint.", "JA"): "エンドポイントを削除します。",
    ("Change it in the console.", "JA"): "コンソールで変更します。",
}
QUESTIONS = [
    {
        "id": "q1",
        "question": "You can change your settings.",
        "options": {"A": "Stop the training job.", "B": "Delete the endpoint."},
        "answer": "A",
        "explanation": "Change it in the console.",
    },
    {
        "id": "q2",
        "question": "Which service stores objects?",
        "options": {"A": "Store 5 GB of data.", "B": "Delete the endpoint."},
        "answer": "A",
        "explanation": "Change it in the console.",
    },
    {
        "id": "q3",
        "question": "Which service stores objects?",
        "options": {"A": "Stop the training job.", "B": "Delete the endpoint."},
        "answer": "B",
        "explanation": "Change it in the console.",
    },
]


def tags(deck: Path, tmp_path: Path) -> dict[str, list[str]]:
    with zipfile.ZipFile(deck) as package:
        database = tmp_path / "tags.anki2"
        database.write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(database) as connection:
        rows = connection.execute("select flds, tags from notes").fetchall()
    return {fields.split("\x1f")[0]: tags.split() for fields, tags in rows}


def test_notes_carry_the_verdict_and_the_reason_in_plain_words(cli_env, tmp_path):
    source = tmp_path / "exam.json"
    source.write_text(json.dumps(QUESTIONS), encoding="utf-8")
    deck = tmp_path / "exam.apkg"
    with DeepLEmulator(auth_keys=(DEEPL_KEY,), phrase_table=TABLE) as emulator:
        result = cli_env.run(
            "translate",
            str(source),
            "-b",
            "deepl",
            "--backend-url",
            emulator.url,
            "--no-glossary",
            "--no-cache",
            "--back-translate",
            "none",
            "--anki",
            str(deck),
            "-o",
            str(tmp_path / "exam.ja.json"),
        )
    assert result.exit_code == 0, result.output
    notes = {note["Id"]: note for note in read_notes(deck, tmp_path).values()}

    assert notes["q1"]["Verdict"] == "review"
    assert notes["q1"]["Why"] == "question: “you” written as あなた, word for word"
    assert notes["q2"]["Verdict"] == "literal"
    assert notes["q2"]["Why"] == "option A: numbers differ from the English"
    assert notes["q3"]["Verdict"] == "ok" and notes["q3"]["Why"] == ""
    assert {note: found[-1] for note, found in tags(deck, tmp_path).items()} == {
        "q1": "verdict::review",
        "q2": "verdict::literal",
        "q3": "verdict::ok",
    }
    # The card says so on its front, only when there is a reason.
    assert FRONT.startswith("{{#Why}}") and "Read the English too." in FRONT.split("{{/Why}}")[0]
