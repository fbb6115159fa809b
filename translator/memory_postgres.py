"""A translation memory a team shares: PostgreSQL (``memory = "postgresql://…"``), through psycopg 3.

It behaves as the SQLite memory does — entries scoped by backend, options, language pair and
glossary, never by a key — and adds what several machines translating at once need: a text one
process is having translated is *claimed* in the database, and another process that needs it
waits for the answer instead of paying for it again. A claim older than ``STALE_CLAIM_SECONDS``
(its process died) is taken over. Writers never conflict: the first answer stored for a text is
kept.

psycopg is the optional extra ``postgres``; it is imported only when such a memory is opened.
"""

from __future__ import annotations

import hashlib
import os
import socket
import time
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import ConfigError
from .keys import without_credentials

STALE_CLAIM_SECONDS = 300.0
SCHEMA_LOCK = 0x7472616E736C  # any constant: the advisory lock that serialises creating the tables
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS translator_memory (
        scope TEXT NOT NULL,
        source_hash TEXT NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        created DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (scope, source_hash))""",
    """CREATE TABLE IF NOT EXISTS translator_claims (
        scope TEXT NOT NULL,
        source_hash TEXT NOT NULL,
        owner TEXT NOT NULL,
        claimed DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (scope, source_hash))""",
)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PostgresMemory:
    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise ConfigError("memory = postgresql://… needs psycopg: pip install 'translator[postgres]'") from exc
        self.url = without_credentials(url)  # for messages: never the password
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{id(self)}"
        try:
            self._db = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            reason = _first_line(exc).replace(url, self.url)  # psycopg may quote the address it was given
            raise ConfigError(f"cannot open the translation memory at {self.url}: {reason}") from None
        with self._db.transaction():
            # Two machines starting at once would race to create the tables ("duplicate key …
            # pg_type"): one creates them while the other waits on this lock.
            self._db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            for statement in SCHEMA:
                self._db.execute(statement)

    def lookup(self, scope: str, sources: Iterable[str]) -> dict[str, str]:
        wanted = {_hash(s): s for s in sources}
        if not wanted:
            return {}
        rows = self._db.execute(
            "SELECT source_hash, source, target FROM translator_memory WHERE scope = %s AND source_hash = ANY(%s)",
            (scope, list(wanted)),
        ).fetchall()
        return {source: target for source_hash, source, target in rows if wanted.get(source_hash) == source}

    def store(self, scope: str, pairs: Mapping[str, str]) -> None:
        if not pairs:
            return
        now = time.time()
        with self._db.transaction():
            cursor = self._db.cursor()
            cursor.executemany(
                # The first answer stands; one that is blank (left by a broken writer) is replaced.
                "INSERT INTO translator_memory VALUES (%s, %s, %s, %s, %s) ON CONFLICT (scope, source_hash) "
                "DO UPDATE SET target = EXCLUDED.target, created = EXCLUDED.created "
                "WHERE btrim(translator_memory.target) = ''",
                [(scope, _hash(s), s, t, now) for s, t in pairs.items()],
            )
            self._db.execute(
                "DELETE FROM translator_claims WHERE scope = %s AND source_hash = ANY(%s)",
                (scope, [_hash(s) for s in pairs]),
            )

    def claim(self, scope: str, texts: Iterable[str]) -> set[str]:
        """The texts this process may now send: claimed by nobody, or by a process long gone."""
        by_hash = {_hash(t): t for t in texts}
        if not by_hash:
            return set()
        now = time.time()
        rows: list[Any] = []
        with self._db.transaction():
            cursor = self._db.cursor()
            for source_hash in by_hash:
                cursor.execute(
                    "INSERT INTO translator_claims VALUES (%s, %s, %s, %s) "
                    "ON CONFLICT (scope, source_hash) DO UPDATE SET owner = EXCLUDED.owner, claimed = EXCLUDED.claimed "
                    "WHERE translator_claims.claimed < %s OR translator_claims.owner = EXCLUDED.owner "
                    "RETURNING source_hash",
                    (scope, source_hash, self.owner, now, now - STALE_CLAIM_SECONDS),
                )
                rows.extend(cursor.fetchall())
        return {by_hash[row[0]] for row in rows}

    def release(self, scope: str, texts: Iterable[str]) -> None:
        hashes = [_hash(t) for t in texts]
        if hashes:
            self._db.execute(
                "DELETE FROM translator_claims WHERE scope = %s AND owner = %s AND source_hash = ANY(%s)",
                (scope, self.owner, hashes),
            )

    def entries(self) -> Iterable[tuple[str, str, str]]:
        """Every (scope, source, target), for ``translator memory export``."""
        yield from self._db.execute("SELECT scope, source, target FROM translator_memory ORDER BY created")

    def close(self) -> None:
        self._db.close()


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
