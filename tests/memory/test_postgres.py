"""A translation memory a team shares in PostgreSQL: the same behaviour as the SQLite default,
and two processes translating at once pay for each segment once in total."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import DEEPL_KEY, FAST_CONFIG
from translator.memory_postgres import PostgresMemory
from translator.testing import DeepLEmulator

SENTENCES = [f"Lesson sentence number {n} about training jobs on Amazon SageMaker." for n in range(40)]


def write_folder(folder: Path, names_and_ranges: dict[str, range]) -> Path:
    folder.mkdir(parents=True)
    for name, numbers in names_and_ranges.items():
        (folder / name).write_text("\n\n".join(SENTENCES[n] for n in numbers) + "\n", encoding="utf-8")
    return folder


def test_entries_are_scoped_stored_once_and_found_again(fresh_database) -> None:
    memory = PostgresMemory(fresh_database)
    try:
        memory.store("deepl|en|ja", {"Hello": "こんにちは"})
        memory.store("deepl|en|ja", {"Hello": "やあ"})  # a second writer does not replace the first answer
        assert memory.lookup("deepl|en|ja", ["Hello", "Bye"]) == {"Hello": "こんにちは"}
        assert memory.lookup("openai|en|ja", ["Hello"]) == {}
        memory.store("deepl|en|ja", {"Blank": ""})
        memory.store("deepl|en|ja", {"Blank": "空白"})  # a blank entry is no answer: replaced
        assert memory.lookup("deepl|en|ja", ["Blank"]) == {"Blank": "空白"}
    finally:
        memory.close()


def test_a_claim_is_held_until_the_answer_is_stored_and_a_stale_one_is_taken_over(fresh_database, monkeypatch) -> None:
    first, second = PostgresMemory(fresh_database), PostgresMemory(fresh_database)
    try:
        assert first.claim("s", ["a", "b"]) == {"a", "b"}
        assert second.claim("s", ["a", "b", "c"]) == {"c"}
        first.store("s", {"a": "A"})
        first.release("s", ["b"])
        assert second.claim("s", ["b"]) == {"b"}
        import translator.memory_postgres as module

        monkeypatch.setattr(module, "STALE_CLAIM_SECONDS", -1.0)  # every claim is now old
        assert first.claim("s", ["c"]) == {"c"}
    finally:
        first.close()
        second.close()


def test_a_password_never_appears_in_the_error(tmp_path) -> None:
    import pytest

    from translator.errors import ConfigError

    with pytest.raises(ConfigError) as raised:
        PostgresMemory("postgresql://user:s3cret-password@127.0.0.1:1/db")
    assert "s3cret-password" not in str(raised.value)


def test_two_processes_on_overlapping_folders_send_each_segment_once_in_total(fresh_database, tmp_path) -> None:
    first = write_folder(tmp_path / "week1", {"a.txt": range(0, 25)})
    second = write_folder(tmp_path / "week2", {"b.txt": range(10, 40)})
    config = tmp_path / "translator.toml"
    config.write_text(
        FAST_CONFIG.replace("max_retries = 8", f'max_retries = 8\nmemory = "{fresh_database}"'), encoding="utf-8"
    )
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        emulator.latency = 0.15  # both processes are in flight at once
        env = {
            **os.environ,
            "DEEPL_AUTH_KEY": DEEPL_KEY,
            "TRANSLATOR_NO_USER_CONFIG": "1",
            "TRANSLATOR_KEYS_FILE": str(tmp_path / "keys.json"),
        }
        common = [
            "-m",
            "translator",
            "--config",
            str(config),
            "translate",
            "-b",
            "deepl",
            "--backend-url",
            emulator.url,
            "--no-check",
            "--no-glossary",
            "--no-context",
            "--concurrency",
            "2",
        ]
        runs = [
            subprocess.Popen(
                [sys.executable, *common, str(folder)],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for folder in (first, second)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        sent = [text for r in emulator.requests if r.path == "/v2/translate" for text in r.json["text"]]
        assert sorted(sent) == sorted(set(sent))  # nothing paid for twice
        assert len(sent) == 40
        shared = {p.name: p.read_bytes() for p in (tmp_path / "week1.ja").iterdir()}
        shared.update({p.name: p.read_bytes() for p in (tmp_path / "week2.ja").iterdir()})
        # The same folders through the SQLite default give the same files.
        config.write_text(FAST_CONFIG, encoding="utf-8")
        env["TRANSLATOR_CACHE_DIR"] = str(tmp_path / "sqlite-cache")
        for folder in (first, second):
            done = subprocess.run(
                [sys.executable, *common, str(folder), "-o", str(tmp_path / "sqlite" / folder.name)],
                env=env,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, done.stderr
    alone = {p.name: p.read_bytes() for folder in (tmp_path / "sqlite").iterdir() for p in folder.iterdir()}
    assert alone == shared
