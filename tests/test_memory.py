"""The translation memory never costs a run its translations: a corrupt file is moved aside and
replaced, a lock held by another run is waited for and then the run goes on without caching."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from translator.memory import TranslationMemory


def memory_file(cli_env) -> Path:
    return cli_env.tmp / "cache" / "memory.sqlite3"


def translate(cli_env, source: Path, out: Path):
    return cli_env.run("translate", str(source), "-b", "pseudo", "--no-check", "--no-glossary", "-o", str(out))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.write_bytes(b"this is not a database at all" * 100), id="garbage"),
        pytest.param(lambda path: path.write_bytes(path.read_bytes()[:1500]), id="truncated"),
    ],
)
def test_a_corrupt_memory_is_moved_aside_and_a_new_one_started(cli_env, damage):
    source = cli_env.tmp / "lesson.txt"
    source.write_text("First paragraph.\n\nSecond paragraph.\n", encoding="utf-8")
    out = cli_env.tmp / "lesson.ja.txt"
    assert translate(cli_env, source, out).exit_code == 0
    path = memory_file(cli_env)
    for side in path.parent.glob("memory.sqlite3-*"):
        side.unlink()  # a clean close leaves none; make sure the damage is what is read
    if path.stat().st_size < 4096 * 2:
        with sqlite3.connect(path) as db:  # make the file long enough for a truncation to matter
            db.executemany(
                "INSERT INTO memory VALUES (?, ?, ?, ?, ?)",
                [("s", str(i), "x" * 500, "y" * 500, 0.0) for i in range(50)],
            )
        db.close()
    damage(path)
    out.unlink()

    result = translate(cli_env, source, out)

    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "[ja] First paragraph.\n\n[ja] Second paragraph.\n"
    asides = list(path.parent.glob("memory.sqlite3.corrupt-*"))
    assert len([a for a in asides if a.name.count("-") == 2]) == 1
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert f"{path}: the translation memory was unreadable" in warnings[0] and str(asides[0]) in warnings[0]
    with sqlite3.connect(path) as db:  # the new memory holds this run's translations
        assert db.execute("SELECT COUNT(*) FROM memory").fetchone()[0] == 2
    db.close()


def test_a_locked_memory_is_waited_for_then_the_run_goes_on_without_it(tmp_path, capsys):
    path = tmp_path / "memory.sqlite3"
    TranslationMemory(path).close()
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")  # another run in the middle of a long write
    try:
        memory = TranslationMemory(path, lock_wait=0.2)
        memory.store("scope", {"Hello.": "こんにちは。"})  # does not raise: the paid work goes on
        memory.flush()
        assert not memory.active
        assert memory.lookup("scope", ["Hello."]) == {}
        memory.close()
    finally:
        holder.rollback()
        holder.close()
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"warning: {path}: the translation memory is locked by another run; waiting up to 0.2 s",
        f"warning: {path}: going on without the translation memory: it stayed locked; this run's translations are not cached",
    ]


def test_a_lock_released_while_waiting_is_used(tmp_path, capsys):
    import threading

    path = tmp_path / "memory.sqlite3"
    TranslationMemory(path).close()
    holder = sqlite3.connect(path, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(1.5, holder.rollback)  # longer than the silent wait, shorter than lock_wait
    release.start()
    memory = TranslationMemory(path, lock_wait=20)
    memory.store("scope", {"Hello.": "こんにちは。"})
    release.join()
    memory.flush()
    holder.close()
    assert memory.active
    assert memory.lookup("scope", ["Hello."]) == {"Hello.": "こんにちは。"}
    memory.close()
    assert capsys.readouterr().err.count("waiting up to 20 s") == 1


def test_a_store_waiting_for_a_lock_holds_up_neither_the_caller_nor_lookups(tmp_path):
    """The event loop calls store and lookup: a write waiting for another run's lock happens in
    the writer thread, and what was stored is answered meanwhile."""
    path = tmp_path / "memory.sqlite3"
    writer = TranslationMemory(path)
    writer.store("scope", {"Old.": "古い。"})
    writer.close()
    holder = sqlite3.connect(path, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another run in the middle of a long write
    memory = TranslationMemory(path, lock_wait=60)
    try:
        memory.store("scope", {"Hello.": "こんにちは。"})
        # store returned although the lock is still held: the row waits in the writer thread
        assert memory.lookup("scope", ["Hello.", "Old.", "Other."]) == {"Hello.": "こんにちは。", "Old.": "古い。"}
        assert holder.execute("SELECT COUNT(*) FROM memory").fetchone()[0] == 1
    finally:
        holder.rollback()
        holder.close()
    memory.close()  # waits for the write
    assert memory.active
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM memory").fetchone()[0] == 2
    db.close()


def test_a_memory_whose_folder_cannot_be_made_is_left_alone(tmp_path, capsys):
    """A file where the cache folder should be (a careless TRANSLATOR_CACHE_DIR): one warning, and
    the run goes on without caching."""
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    memory = TranslationMemory(blocker / "memory.sqlite3")
    memory.store("scope", {"Hello.": "こんにちは。"})
    assert not memory.active
    assert memory.lookup("scope", ["Hello."]) == {}
    memory.close()
    assert capsys.readouterr().err.splitlines() == [
        f"warning: {blocker / 'memory.sqlite3'}: going on without the translation memory: its folder cannot be made"
        f" ({blocker} is not a folder); this run's translations are not cached"
    ]
