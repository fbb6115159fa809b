"""DeepL API v2 ``/translate`` with XML tag handling and v3 multilingual glossaries.

Inline codes go as XML tags with ``tag_handling=xml``; ``x`` is an ignored tag, so protected words
stay visible to the engine for grammar but are never changed. The glossary is created once per
content hash and language pair under a name that carries the hash, and found again on later runs.
Language codes take the form DeepL's OpenAPI description gives each field: upper case (``EN``,
``EN-US``) for ``/v2/translate``, the lower-case enumeration (``en``, ``ja``) for v3 glossaries.
A glossary DeepL will not create is not a reason to stop: the run warns once and goes on, the
glossary still enforced around the backend (protect → verify → repair).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Any

import httpx

from ..config import Settings
from ..errors import AuthError, BackendError, QuotaExceeded, RequestRejected, TransientError
from ..keys import resolve_key
from ._http import HttpService
from .base import (
    Backend,
    BackendSpec,
    Capabilities,
    GlossaryPairs,
    Readiness,
    TranslateRequest,
    request_timeout,
    resolve_url,
)
from .options import BackendOptions, choice

log = logging.getLogger(__name__)

FREE_URL = "https://api-free.deepl.com"
PRO_URL = "https://api.deepl.com"
# DeepL wants a regional variant for some target languages.
TARGET_VARIANTS = {"en": "EN-US", "pt": "PT-BR", "zh": "ZH-HANS"}


def target_code(lang: str) -> str:
    return TARGET_VARIANTS.get(lang.lower(), lang.upper())


def source_code(lang: str) -> str:
    return lang.split("-")[0].upper()


def glossary_code(lang: str) -> str:
    """v3 glossaries name languages without a region, in lower case (``GlossarySourceLanguage``)."""
    return lang.split("-")[0].lower()


@dataclasses.dataclass(frozen=True)
class DeepLOptions(BackendOptions):
    formality: str | None = choice(None, "default", "more", "less", "prefer_more", "prefer_less")
    model_type: str | None = choice(None, "quality_optimized", "latency_optimized", "prefer_quality_optimized")


def _map_status(response: httpx.Response) -> BackendError | None:
    if response.status_code == 456:
        return QuotaExceeded(
            "DeepL quota exceeded (HTTP 456): the character quota of this account is used up "
            "for the billing period; see https://www.deepl.com/your-account/usage"
        )
    if response.status_code == 403:
        return AuthError("DeepL refused the authentication key (HTTP 403); check DEEPL_AUTH_KEY")
    if response.status_code == 413:
        return RequestRejected("DeepL says the request is too large (HTTP 413)")
    return None


class DeepLBackend(Backend):
    name = "deepl"
    description = "DeepL API (Free or Pro), XML tag handling, native glossaries"
    spec = BackendSpec(
        needs="a DeepL API key (DEEPL_AUTH_KEY); keys ending in ':fx' use the Free API host",
        key_env=("DEEPL_AUTH_KEY",),
        url_env=("DEEPL_SERVER_URL",),
    )
    capabilities = Capabilities(max_texts=50, max_bytes=120 * 1024, markup="xml", native_glossary=True)
    Options = DeepLOptions

    def __init__(self, http: HttpService, *, formality: str | None = None, model_type: str | None = None):
        self.http = http
        self.formality = formality
        self.model_type = model_type
        self._glossary_ids: dict[str, str | None] = {}  # None: DeepL refused it, go on without
        # Concurrent first batches must not each create the same glossary.
        self._glossary_lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, *, url: str | None = None) -> DeepLBackend:
        key = resolve_key(cls.name, settings, cls.spec.key_env, what="DeepL authentication key")
        assert key is not None
        base = resolve_url(cls.name, cls.spec, settings, url) or (FREE_URL if key.endswith(":fx") else PRO_URL)
        options = cls.options(settings, DeepLOptions)
        http = HttpService(
            "DeepL",
            base,
            headers={"Authorization": f"DeepL-Auth-Key {key}", "User-Agent": "translator"},
            timeout=request_timeout(options, settings),
            status_mapper=_map_status,
        )
        return cls(http, formality=options.formality, model_type=options.model_type)

    def signature(self) -> str:
        # The host is part of it: answers from another server (a proxy, an emulator) are not reused.
        return f"deepl|{self.http.base_url}|formality={self.formality or ''}|model={self.model_type or ''}"

    async def translate(self, request: TranslateRequest) -> list[str]:
        body: dict[str, object] = {
            "text": list(request.texts),
            "source_lang": source_code(request.source_lang),
            "target_lang": target_code(request.target_lang),
            "tag_handling": "xml",
            "ignore_tags": ["x"],
        }
        if self.formality:
            body["formality"] = self.formality
        if self.model_type:
            body["model_type"] = self.model_type
        if request.context:
            body["context"] = request.context  # not translated, not billed
        if request.glossary is not None and request.glossary.entries:
            glossary_id = await self.glossary_id(request.glossary)
            if glossary_id is not None:
                body["glossary_id"] = glossary_id
        translations = (await self.http.request_json("POST", "/v2/translate", json=body)).get("translations")
        if not isinstance(translations, list):
            raise BackendError("DeepL answered without a list of translations")
        # The answer is checked once for every backend (one non-empty text per text sent).
        answers: list[Any] = [item.get("text") if isinstance(item, dict) else item for item in translations]
        return answers

    async def glossary_id(self, glossary: GlossaryPairs) -> str | None:
        """The id of a DeepL glossary with exactly these entries, created on first use; None when
        DeepL will not create it (then the run goes on with the glossary enforced around DeepL)."""
        name = f"{glossary.name}-{glossary.content_hash}"
        async with self._glossary_lock:
            if name not in self._glossary_ids:
                try:
                    self._glossary_ids[name] = await self._find_or_create_glossary(name, glossary)
                except (AuthError, QuotaExceeded, TransientError):
                    raise  # the same would stop the translation itself, or is worth a retry
                except BackendError as exc:
                    log.warning(
                        "DeepL did not create the glossary (%s); going on without it, the glossary is "
                        "still checked and repaired after translation",
                        exc,
                    )
                    self._glossary_ids[name] = None
        return self._glossary_ids[name]

    async def _find_or_create_glossary(self, name: str, glossary: GlossaryPairs) -> str:
        listing = (await self.http.request_json("GET", "/v3/glossaries")).get("glossaries", [])
        for item in listing if isinstance(listing, list) else []:
            if isinstance(item, dict) and item.get("name") == name and isinstance(item.get("glossary_id"), str):
                return str(item["glossary_id"])
        entries = "\n".join(f"{_tsv_safe(s)}\t{_tsv_safe(t)}" for s, t in glossary.entries)
        dictionary = {
            "source_lang": glossary_code(glossary.source_lang),
            "target_lang": glossary_code(glossary.target_lang),
            "entries": entries,
            "entries_format": "tsv",
        }
        created = await self.http.request_json(
            "POST", "/v3/glossaries", json={"name": name, "dictionaries": [dictionary]}
        )
        if not isinstance(created.get("glossary_id"), str):
            raise BackendError("DeepL created a glossary but answered without its id")
        return str(created["glossary_id"])

    async def readiness(self) -> Readiness:
        usage = await self.http.request_json("GET", "/v2/usage")
        count, limit = usage.get("character_count"), usage.get("character_limit")
        if isinstance(count, int) and isinstance(limit, int) and limit:
            return Readiness(True, f"key accepted; {count:,} of {limit:,} characters used this period")
        return Readiness(True, "key accepted")

    async def aclose(self) -> None:
        await self.http.aclose()


def _tsv_safe(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())
