"""Translation memory: exact hits skip the backend.

One SQLite file in the user cache folder. A hit is scoped by the run signature (backend and its
output-changing options, language pair, glossary hash), never by a key. SQLite transactions make
each batch's insert atomic, so an interrupted run never leaves a half-written cache.

The memory is a cache: it must never cost a run its translations. A file that is not (or no
longer) a readable database is moved aside, named in one warning, and a new one is started. A
memory locked by another run is waited for, with a message, and if it stays locked the run goes
on without caching instead of failing after its translations were paid for.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
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


class TranslationMemory:
    def __init__(self, path: Path, *, lock_wait: float = LOCK_WAIT) -> None:
        self.path = path
        self.lock_wait = lock_wait
        self._db: sqlite3.Connection | None = None
        self._disabled = False
        path.parent.mkdir(parents=True, exist_ok=True)
        self._attempt(lambda: None, None)

    @property
    def active(self) -> bool:
        """False once the run goes on without caching."""
        return not self._disabled

    def lookup(self, scope: str, sources: Iterable[str]) -> dict[str, str]:
        wanted = {_hash(s): s for s in sources}
        return self._attempt(lambda: self._lookup(scope, wanted), {})

    def store(self, scope: str, pairs: Mapping[str, str]) -> None:
        rows = [(scope, _hash(s), s, t, time.time()) for s, t in pairs.items()]
        self._attempt(lambda: self._store(rows), None)

    def entries(self) -> Iterable[tuple[str, str, str]]:
        """Every (scope, source, target), oldest first, for ``translator memory export``."""
        query = "SELECT scope, source, target FROM memory ORDER BY created"
        yield from self._attempt(lambda: self._connection().execute(query).fetchall(), [])

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _connection(self, lock_wait: float = QUICK_LOCK_WAIT) -> sqlite3.Connection:
        if self._db is None:
            db = sqlite3.connect(str(self.path), timeout=lock_wait)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(SCHEMA)
                db.commit()
            except BaseException:
                db.close()
                raise
            self._db = db
        return self._db

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
        self.close()
        try:
            self._connection(self.lock_wait)
            result = operation()
        except sqlite3.Error as exc:
            return self._give_up("it stayed locked" if _is_locked(exc) else f"it cannot be used ({exc})", fallback)
        self.close()  # later operations wait only briefly again
        return result

    def _start_afresh(self, exc: sqlite3.Error) -> None:
        self.close()
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        if self.path.exists():
            self.path.replace(aside)
        for suffix in SIDE_FILES:
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.replace(aside.with_name(aside.name + suffix))
        warn(f"{self.path}: the translation memory was unreadable ({exc}); moved it to {aside} and started a new one")

    def _give_up(self, why: str, fallback: T) -> T:
        self.close()
        self._disabled = True
        warn(f"{self.path}: going on without the translation memory: {why}; this run's translations are not cached")
        return fallback
