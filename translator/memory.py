"""Translation memory: exact hits skip the backend.

One SQLite file in the user cache folder. A hit is scoped by the run signature (backend and its
output-changing options, language pair, glossary hash), never by a key. SQLite transactions make
each batch's insert atomic, so an interrupted run never leaves a half-written cache.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

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


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TranslationMemory:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(SCHEMA)
        self._db.commit()

    def lookup(self, scope: str, sources: Iterable[str]) -> dict[str, str]:
        wanted = {_hash(s): s for s in sources}
        found: dict[str, str] = {}
        keys = list(wanted)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT source_hash, source, target FROM memory WHERE scope = ? AND source_hash IN ({marks})",
                [scope, *chunk],
            )
            for source_hash, source, target in rows:
                if wanted.get(source_hash) == source:
                    found[source] = target
        return found

    def store(self, scope: str, pairs: Mapping[str, str]) -> None:
        now = time.time()
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO memory VALUES (?, ?, ?, ?, ?)",
                [(scope, _hash(s), s, t, now) for s, t in pairs.items()],
            )

    def entries(self) -> Iterable[tuple[str, str, str]]:
        """Every (scope, source, target), oldest first, for ``translator memory export``."""
        yield from self._db.execute("SELECT scope, source, target FROM memory ORDER BY created")

    def close(self) -> None:
        self._db.close()
