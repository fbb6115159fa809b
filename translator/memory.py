"""Translation memory: exact hits skip the backend.

One SQLite file in the user cache folder. A hit is scoped by the run signature (backend and its
output-changing options, language pair, glossary hash), never by a key. SQLite transactions make
each batch's insert atomic, so an interrupted run never leaves a half-written cache.

The memory is a cache: it must never cost a run its translations. A file that is not (or no
longer) a readable database is moved aside, named in one warning, and a new one is started. A
memory locked by another run is waited for, with a message, and if it stays locked the run goes
on without caching instead of failing after its translations were paid for.

Writes never hold up the event loop: ``store`` hands its rows to one writer thread (one
transaction per stored batch) and returns at once; rows not yet written are answered from memory
by ``lookup``, and ``close`` (or ``flush``) waits until every row is written. Each thread has its
own connection, so a write waiting for another run's lock never blocks a lookup (WAL readers do
not wait for writers).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from .notices import warn

SCHEMA = """
CREATE TABLE IF NOT EXISTS memory (
    scope TEXT NOT NULL,
    source_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (scope, source_hash)
)
"""
QUICK_LOCK_WAIT = 1.0  # seconds waited silently: another run's insert takes milliseconds
LOCK_WAIT = 30.0  # then announced and waited for this long in all, then caching stops
SIDE_FILES = ("-wal", "-shm", "-journal")

T = TypeVar("T")


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _is_locked(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def _is_corrupt(exc: sqlite3.Error) -> bool:
    if isinstance(exc, sqlite3.OperationalError):  # locks, permissions, a full disk: not the file
        return any(words in str(exc) for words in ("not a database", "malformed"))
    return isinstance(exc, sqlite3.DatabaseError)


def _why_no_folder(folder: Path, exc: OSError) -> str:
    if isinstance(exc, FileExistsError | NotADirectoryError):
        blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        return f"{blocker} is not a folder"
    return exc.strerror or str(exc)


class TranslationMemory:
    def __init__(self, path: Path, *, lock_wait: float = LOCK_WAIT) -> None:
        self.path = path
        self.lock_wait = lock_wait
        self._connections: dict[int, tuple[int, sqlite3.Connection]] = {}  # thread → (generation, connection)
        self._generation = 0  # bumped when the file is replaced: other threads reopen theirs
        self._disabled = False
        self._pending: dict[tuple[str, str], tuple[str, str, str, str, float]] = {}  # stored, not yet written
        self._pending_lock = threading.Lock()
        self._writer: ThreadPoolExecutor | None = None
        self._last_write: Future[None] | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file or device where its folder should be: a cache never costs the run
            self._give_up(f"its folder cannot be made ({_why_no_folder(path.parent, exc)})", None)
            return
        self._attempt(lambda: None, None)

    @property
    def active(self) -> bool:
        """False once the run goes on without caching."""
        return not self._disabled

    def lookup(self, scope: str, sources: Iterable[str]) -> dict[str, str]:
        wanted = {_hash(s): s for s in sources}
        found: dict[str, str] = {}
        with self._pending_lock:
            for source_hash, source in list(wanted.items()):
                row = self._pending.get((scope, source_hash))
                if row is not None and row[2] == source:
                    found[source] = row[3]
                    del wanted[source_hash]
        if wanted:
            nothing: dict[str, str] = {}
            found.update(self._attempt(lambda: self._lookup(scope, wanted), nothing))
        return found

    def store(self, scope: str, pairs: Mapping[str, str]) -> None:
        """Queue one batch for the writer thread; returns at once."""
        if self._disabled or not pairs:
            return
        now = time.time()
        rows = [(scope, _hash(s), s, t, now) for s, t in pairs.items()]
        with self._pending_lock:
            for row in rows:
                self._pending[(row[0], row[1])] = row
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="memory-writer")
        self._last_write = self._writer.submit(self._write, rows)

    def flush(self) -> None:
        """Wait until every stored row is written (or the memory was given up)."""
        if self._last_write is not None:
            self._last_write.result()

    def entries(self) -> Iterable[tuple[str, str, str]]:
        """Every (scope, source, target), oldest first, for ``translator memory export``."""
        self.flush()
        query = "SELECT scope, source, target FROM memory ORDER BY created"
        yield from self._attempt(lambda: self._connection().execute(query).fetchall(), [])

    def close(self) -> None:
        if self._writer is not None:
            self._writer.shutdown(wait=True)  # every queued batch is written first
            self._writer = None
            self._last_write = None
        for _, db in self._connections.values():
            db.close()
        self._connections.clear()

    def _write(self, rows: list[tuple[str, str, str, str, float]]) -> None:
        """In the writer thread: one transaction for one stored batch."""
        self._attempt(lambda: self._store(rows), None)
        with self._pending_lock:
            for row in rows:
                key = (row[0], row[1])
                if self._pending.get(key) is row:  # not replaced by a newer answer meanwhile
                    del self._pending[key]

    def _connection(self, lock_wait: float = QUICK_LOCK_WAIT) -> sqlite3.Connection:
        thread = threading.get_ident()
        held = self._connections.get(thread)
        if held is not None and held[0] != self._generation:
            held[1].close()  # the file it had open was moved aside
            held = None
            del self._connections[thread]
        if held is None:
            # check_same_thread=False only so that close() can close every thread's connection
            db = sqlite3.connect(str(self.path), timeout=lock_wait, check_same_thread=False)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(SCHEMA)
                db.commit()
            except BaseException:
                db.close()
                raise
            self._connections[thread] = (self._generation, db)
            return db
        return held[1]

    def _close_mine(self) -> None:
        held = self._connections.pop(threading.get_ident(), None)
        if held is not None:
            held[1].close()

    def _lookup(self, scope: str, wanted: dict[str, str]) -> dict[str, str]:
        db = self._connection()
        found: dict[str, str] = {}
        keys = list(wanted)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                f"SELECT source_hash, source, target FROM memory WHERE scope = ? AND source_hash IN ({marks})",
                [scope, *chunk],
            )
            for source_hash, source, target in rows:
                if wanted.get(source_hash) == source:
                    found[source] = target
        return found

    def _store(self, rows: list[tuple[str, str, str, str, float]]) -> None:
        db = self._connection()
        with db:
            db.executemany("INSERT OR REPLACE INTO memory VALUES (?, ?, ?, ?, ?)", rows)

    def _attempt(self, operation: Callable[[], T], fallback: T) -> T:
        """Run ``operation`` on an open memory. A lock is waited for (announced); a corrupt file
        is moved aside and the operation tried once on a new one; when neither helps, the run
        goes on without the memory and ``fallback`` is the answer."""
        if self._disabled:
            return fallback
        try:
            self._connection()
            return operation()
        except sqlite3.Error as exc:
            if _is_locked(exc):
                return self._after_lock(operation, fallback)
            if not _is_corrupt(exc):
                return self._give_up(f"it cannot be used ({exc})", fallback)
            try:
                self._start_afresh(exc)
            except OSError as move:
                return self._give_up(f"it is unreadable and cannot be moved aside ({move.strerror})", fallback)
        try:
            self._connection()
            return operation()
        except sqlite3.Error as exc:
            return self._give_up(f"a new one cannot be used either ({exc})", fallback)

    def _after_lock(self, operation: Callable[[], T], fallback: T) -> T:
        warn(f"{self.path}: the translation memory is locked by another run; waiting up to {self.lock_wait:g} s")
        self._close_mine()
        try:
            self._connection(self.lock_wait)
            result = operation()
        except sqlite3.Error as exc:
            return self._give_up("it stayed locked" if _is_locked(exc) else f"it cannot be used ({exc})", fallback)
        self._close_mine()  # later operations wait only briefly again
        return result

    def _start_afresh(self, exc: sqlite3.Error) -> None:
        self._close_mine()
        self._generation += 1
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        if self.path.exists():
            self.path.replace(aside)
        for suffix in SIDE_FILES:
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.replace(aside.with_name(aside.name + suffix))
        warn(f"{self.path}: the translation memory was unreadable ({exc}); moved it to {aside} and started a new one")

    def _give_up(self, why: str, fallback: T) -> T:
        self._close_mine()
        if self._disabled:
            return fallback  # the other thread gave up first and said so
        self._disabled = True
        with self._pending_lock:
            self._pending.clear()
        warn(f"{self.path}: going on without the translation memory: {why}; this run's translations are not cached")
        return fallback
