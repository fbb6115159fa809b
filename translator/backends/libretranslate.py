"""LibreTranslate ``/translate`` (self-hosted or a public instance), ``q`` sent as an array."""

from __future__ import annotations

import re

import httpx

from ..config import Settings
from ..errors import AuthError, BackendError, QuotaExceeded
from ..keys import resolve_key
from ._http import HttpService
from .base import (
    Backend,
    BackendSpec,
    Capabilities,
    Readiness,
    TranslateRequest,
    request_timeout,
    resolve_url,
)


def _map_status(response: httpx.Response) -> BackendError | None:
    # A daily limit ("Slowdown: 100 per 1 day") will not lift by retrying within the run.
    if response.status_code == 429 and re.search(r"per (?:1 )?day", response.text, re.IGNORECASE):
        return QuotaExceeded(
            f"LibreTranslate's daily request limit is used up (HTTP 429: {_error_text(response)}); "
            "try again tomorrow, or ask the server operator for an API key"
        )
    # LibreTranslate answers 400 for a missing key and 403 for a wrong one.
    mentions_key = "api key" in response.text.lower() or "api_key" in response.text.lower()
    if response.status_code == 403 or (response.status_code == 400 and mentions_key):
        return AuthError(
            f"LibreTranslate refused the request for want of a valid API key (HTTP {response.status_code}); "
            "set LIBRETRANSLATE_API_KEY or run 'translator keys set libretranslate'"
        )
    return None


class LibreTranslateBackend(Backend):
    name = "libretranslate"
    description = "LibreTranslate server (self-hosted or public), HTML tag handling"
    spec = BackendSpec(
        needs="a LibreTranslate server URL (LIBRETRANSLATE_URL); an API key only if the server requires one",
        key_env=("LIBRETRANSLATE_API_KEY",),
        url_env=("LIBRETRANSLATE_URL",),
        default_url="http://localhost:5000",
    )
    capabilities = Capabilities(max_texts=25, max_bytes=30 * 1024, markup="html")

    def __init__(self, http: HttpService, api_key: str | None):
        self.http = http
        self._api_key = api_key

    @classmethod
    def from_settings(cls, settings: Settings, *, url: str | None = None) -> LibreTranslateBackend:
        api_key = resolve_key(cls.name, settings, cls.spec.key_env, required=False)
        base = resolve_url(cls.name, cls.spec, settings, url)
        assert base is not None
        http = HttpService(
            "LibreTranslate",
            base,
            headers={"User-Agent": "translator"},
            timeout=request_timeout(cls.options(settings, cls.Options), settings),
            status_mapper=_map_status,
        )
        return cls(http, api_key)

    def signature(self) -> str:
        return f"libretranslate|{self.http.base_url}"

    async def translate(self, request: TranslateRequest) -> list[str]:
        body: dict[str, object] = {
            "q": list(request.texts),
            "source": request.source_lang,
            "target": request.target_lang,
            "format": "html",
        }
        if self._api_key:
            body["api_key"] = self._api_key
        translated = (await self.http.request_json("POST", "/translate", json=body)).get("translatedText")
        if isinstance(translated, str) and len(request.texts) == 1:
            translated = [translated]
        if not isinstance(translated, list):
            raise BackendError("LibreTranslate answered without a list of translations")
        return translated  # checked once for every backend: one non-empty text per text sent

    async def readiness(self) -> Readiness:
        response = await self.http.request("GET", "/languages")
        try:
            languages = response.json()
        except ValueError as exc:  # something else answers at that address
            raise BackendError(f"{self.http.base_url} does not answer like a LibreTranslate server") from exc
        return Readiness(True, f"server reachable at {self.http.base_url}; {len(languages)} languages")

    async def aclose(self) -> None:
        await self.http.aclose()


def _error_text(response: httpx.Response) -> str:
    try:
        return str(response.json().get("error", ""))[:120]
    except (ValueError, AttributeError):
        return response.text[:120]
