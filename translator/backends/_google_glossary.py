"""Google Cloud Translation v3 glossaries made from a run's glossary, once per content.

Google builds a glossary only from a file in Cloud Storage, and building is a long-running
operation. So: look for ``translator-<content hash>`` first (a previous run made it); otherwise
upload the entries as a two-column CSV (no header: the unidirectional format) to the configured
``gs://`` folder, start ``glossaries.create`` and poll the operation until it is done. The hash
covers the language pair and every entry, so changed entries make a new glossary.
"""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

from ..errors import BackendError, ConfigError, RequestRejected
from ._http import HttpService
from .base import GlossaryPairs


class NotFound(RequestRejected):
    """HTTP 404 NOT_FOUND: a glossary, operation, project or bucket that does not exist."""


class AlreadyExists(RequestRejected):
    """HTTP 409 ALREADY_EXISTS: another run created the same glossary a moment ago."""


def parse_bucket(uri: str) -> tuple[str, str]:
    """``gs://bucket/folder`` → ``("bucket", "folder/")``."""
    if not uri.startswith("gs://") or not uri[5:].split("/")[0]:
        raise ConfigError(f"[backends.google] glossary_bucket must look like gs://bucket/folder, not {uri!r}")
    bucket, _, folder = uri[5:].partition("/")
    folder = folder.strip("/")
    return bucket, f"{folder}/" if folder else ""


def glossary_csv(pairs: GlossaryPairs) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for source, target in pairs.entries:
        writer.writerow([" ".join(source.split()), " ".join(target.split())])
    return buffer.getvalue().encode("utf-8")


class GlossaryMaker:
    """Finds or creates the v3 glossary for a set of entries; remembers names within a run."""

    def __init__(
        self,
        translation: HttpService,
        storage: HttpService,
        *,
        parent: str,
        bucket: tuple[str, str],
        poll_interval: float = 2.0,
        wait: float = 600.0,
    ):
        self.translation = translation
        self.storage = storage
        self.parent = parent  # projects/P/locations/L
        self.bucket, self.folder = bucket
        self.poll_interval = poll_interval
        self.wait = wait
        self._known: set[str] = set()

    async def glossary_name(self, pairs: GlossaryPairs) -> str:
        name = f"{self.parent}/glossaries/{pairs.name}-{pairs.content_hash}"
        if name in self._known:
            return name
        try:
            await self.translation.request("GET", f"/v3/{name}")
        except NotFound:
            await self._create(name, pairs)
        self._known.add(name)
        return name

    async def _create(self, name: str, pairs: GlossaryPairs) -> None:
        object_name = f"{self.folder}{name.rsplit('/', 1)[1]}.csv"
        await self.storage.request(
            "POST",
            f"/upload/storage/v1/b/{self.bucket}/o",
            params={"uploadType": "media", "name": object_name},
            content=glossary_csv(pairs),
            headers={"Content-Type": "text/csv; charset=utf-8"},
        )
        body = {
            "name": name,
            "languagePair": {"sourceLanguageCode": pairs.source_lang, "targetLanguageCode": pairs.target_lang},
            "inputConfig": {"gcsSource": {"inputUri": f"gs://{self.bucket}/{object_name}"}},
        }
        try:
            response = await self.translation.request("POST", f"/v3/{self.parent}/glossaries", json=body)
        except AlreadyExists:
            return
        await self._wait_for(_json(response))

    async def _wait_for(self, operation: dict[str, Any]) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait
        while not operation.get("done"):
            if loop.time() >= deadline:
                raise BackendError(
                    f"Google is still creating the glossary after {self.wait:g} s; run again later to use it"
                )
            await asyncio.sleep(self.poll_interval)
            operation = _json(await self.translation.request("GET", f"/v3/{operation['name']}"))
        error = operation.get("error")
        if isinstance(error, dict):
            raise BackendError(f"Google could not create the glossary: {str(error.get('message', ''))[:200]}")


def _json(response: Any) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError as exc:
        raise BackendError("Google answered with something that is not JSON") from exc
    if not isinstance(data, dict) or ("done" not in data and "name" not in data):
        raise BackendError("Google answered a glossary request with unexpected JSON")
    return data
