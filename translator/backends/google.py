"""Google Cloud Translation: Advanced (v3) with an OAuth access token, or Basic (v2) with an API key.

v3 is used when an access token is configured (``GOOGLE_ACCESS_TOKEN``, e.g. from
``gcloud auth print-access-token``; tokens last about an hour) together with a project; v2 when
only an API key is (``GOOGLE_API_KEY``). Both send HTML, so inline codes travel as tags Google
leaves alone. google-auth is deliberately not a dependency: a token is all the REST API needs.

Native glossaries exist only in v3 and only in a regional location (``us-central1``): either an
existing one (``[backends.google] glossary``, e.g. made from ``translator glossary export --to
google``) or one created from the run's glossary when ``glossary_bucket`` names a Cloud Storage
folder, since Google reads glossary files from Cloud Storage only (see ``_google_glossary``).
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import httpx

from ..config import Settings
from ..errors import (
    AuthError,
    BackendError,
    BackendNotReady,
    ConfigError,
    QuotaExceeded,
    TransientError,
)
from ..keys import resolve_key, stored_key
from ._google_glossary import AlreadyExists, GlossaryMaker, NotFound, parse_bucket
from ._http import HttpService, parse_retry_after
from .base import (
    Backend,
    BackendSpec,
    Capabilities,
    Readiness,
    TranslateRequest,
    request_timeout,
    resolve_url,
)
from .options import BackendOptions, choice, described

DEFAULT_URL = "https://translation.googleapis.com"
DEFAULT_STORAGE_URL = "https://storage.googleapis.com"
V3_CAPABILITIES = Capabilities(max_texts=1024, max_bytes=5000, markup="html", native_glossary=True)
V2_CAPABILITIES = Capabilities(max_texts=128, max_bytes=5000, markup="html")
API_KEY_STORE_NAME = "google-api-key"


@dataclasses.dataclass(frozen=True)
class GoogleOptions(BackendOptions):
    project: str | None = described(None, "Google Cloud project id (or GOOGLE_CLOUD_PROJECT)")
    location: str = described("global", "glossaries need a region such as us-central1")
    api: str | None = choice(None, "v3", "v2", help="default: v3 when an access token is set, else v2")
    api_key: str | None = described(None, "API key for v2 (or GOOGLE_API_KEY, or 'translator keys set google-api-key')")
    glossary: str | None = described(None, "an existing glossary projects/…/locations/…/glossaries/ID")
    glossary_bucket: str | None = described(None, "gs://bucket/folder: create glossaries from the run's glossary there")
    storage_url: str | None = described(None, "Cloud Storage endpoint (or STORAGE_EMULATOR_HOST)")
    glossary_poll_interval: float = described(2.0, "seconds between checks of a glossary being created")
    glossary_wait: float = described(600.0, "seconds to wait for a glossary to be created")
    model: str | None = described(
        None, "optional model path, e.g. projects/…/locations/…/models/general/translation-llm"
    )


def google_error(response: httpx.Response) -> dict[str, Any]:
    """Google's error body ``{"error": {"code", "message", "status", "details"}}``, or ``{}``."""
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return {}
    return error if isinstance(error, dict) else {}


def _reasons(error: dict[str, Any]) -> set[str]:
    """ErrorInfo reasons (``details``) and the older v2 ``errors[].reason`` values."""
    found = {str(d.get("reason")) for d in error.get("details") or [] if isinstance(d, dict) and d.get("reason")}
    found |= {str(e.get("reason")) for e in error.get("errors") or [] if isinstance(e, dict) and e.get("reason")}
    return found


def _map_status(response: httpx.Response) -> BackendError | None:
    error = google_error(response)
    message = str(error.get("message") or "")
    status = str(error.get("status") or "")
    reasons = _reasons(error)
    lowered = message.lower()
    code = response.status_code
    daily = "daily limit" in lowered or "per day" in lowered or reasons & {"dailyLimitExceeded", "quotaExceeded"}
    if (code in (403, 429) or status == "RESOURCE_EXHAUSTED") and daily:
        return QuotaExceeded(
            f"Google Cloud Translation quota exceeded ({message[:160] or status}); daily quotas reset at "
            "midnight Pacific Time, or raise them on the console's Quotas page"
        )
    if code == 429 or status == "RESOURCE_EXHAUSTED" or reasons & {"userRateLimitExceeded", "rateLimitExceeded"}:
        return TransientError(
            f"Google Cloud Translation is rate limiting (HTTP {code}{' ' + status if status else ''})",
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )
    if "BILLING_DISABLED" in reasons or (code == 403 and "billing" in lowered):
        return QuotaExceeded(f"Google Cloud Translation needs billing enabled on the project: {message[:160]}")
    if "SERVICE_DISABLED" in reasons or "accessNotConfigured" in reasons:
        return AuthError(f"the Cloud Translation API is not enabled for this project: {message[:160]}")
    if "API_KEY_INVALID" in reasons or "api key not valid" in lowered:
        return AuthError("Google refused the API key (API_KEY_INVALID); check GOOGLE_API_KEY")
    if code == 404:
        return NotFound(f"Google says not found (HTTP 404){': ' + message[:200] if message else ''}")
    if code == 409:
        return AlreadyExists(f"Google says it already exists (HTTP 409){': ' + message[:200] if message else ''}")
    if code == 401 or status == "UNAUTHENTICATED":
        return AuthError(
            "Google refused the access token (HTTP 401 UNAUTHENTICATED); tokens expire after about an hour: "
            "refresh it with 'export GOOGLE_ACCESS_TOKEN=$(gcloud auth print-access-token)'"
        )
    if code == 403 or status == "PERMISSION_DENIED":
        return AuthError(
            f"Google denied the request (HTTP 403 PERMISSION_DENIED){': ' + message[:160] if message else ''}; "
            "check GOOGLE_CLOUD_PROJECT and that the account may use Cloud Translation"
        )
    return None


class GoogleBackend(Backend):
    name = "google"
    description = "Google Cloud Translation: Advanced (v3, glossaries) or Basic (v2, API key), HTML"
    spec = BackendSpec(
        needs=(
            "GOOGLE_ACCESS_TOKEN (gcloud auth print-access-token) and GOOGLE_CLOUD_PROJECT for Advanced (v3), "
            "or GOOGLE_API_KEY for Basic (v2)"
        ),
        key_env=("GOOGLE_ACCESS_TOKEN",),
        url_env=("GOOGLE_TRANSLATE_URL",),
        default_url=DEFAULT_URL,
    )
    capabilities = V3_CAPABILITIES
    Options = GoogleOptions

    def __init__(
        self,
        http: HttpService,
        *,
        api: str,
        project: str | None = None,
        location: str = "global",
        model: str | None = None,
        glossary: str | None = None,
        glossary_maker: GlossaryMaker | None = None,
    ):
        self.http = http
        self.api = api
        self.project = project
        self.location = location
        self.model = model
        self.fixed_glossary = glossary
        self.glossary_maker = glossary_maker
        self.capabilities = V3_CAPABILITIES if api == "v3" else V2_CAPABILITIES
        self._glossary_lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, *, url: str | None = None) -> GoogleBackend:
        options = cls.options(settings, GoogleOptions)
        token = resolve_key(cls.name, settings, cls.spec.key_env, required=False)
        api_key = options.api_key or stored_key(API_KEY_STORE_NAME, settings.env) or settings.env.get("GOOGLE_API_KEY")
        api = options.api or ("v3" if token else "v2" if api_key else "")
        if not api:
            raise BackendNotReady(
                "google: no credentials found; set GOOGLE_ACCESS_TOKEN "
                "(export GOOGLE_ACCESS_TOKEN=$(gcloud auth print-access-token)) and GOOGLE_CLOUD_PROJECT "
                "for Advanced (v3), or GOOGLE_API_KEY for Basic (v2); or run 'translator keys set google'"
            )
        base = resolve_url(cls.name, cls.spec, settings, url) or DEFAULT_URL
        common: dict[str, Any] = {"timeout": request_timeout(options, settings), "status_mapper": _map_status}
        if api == "v2":
            if not api_key:
                raise BackendNotReady("google: api = v2 needs an API key; set GOOGLE_API_KEY")
            http = HttpService(
                "Google Cloud Translation",
                base,
                headers={"X-goog-api-key": str(api_key), "User-Agent": "translator"},
                **common,
            )
            return cls(http, api="v2")
        if not token:
            raise BackendNotReady(
                "google: api = v3 needs an access token; "
                "export GOOGLE_ACCESS_TOKEN=$(gcloud auth print-access-token) or run 'translator keys set google'"
            )
        project = options.project or settings.env.get("GOOGLE_CLOUD_PROJECT") or ""
        if not project:
            raise BackendNotReady("google: no project; set GOOGLE_CLOUD_PROJECT or [backends.google] project")
        location = options.location
        glossary = options.glossary
        bucket = options.glossary_bucket
        if (glossary or bucket) and location == "global":
            setting = "glossary" if glossary else "glossary_bucket"
            raise ConfigError(
                f"[backends.google] {setting} needs a regional location: set [backends.google] location = "
                '"us-central1" (Google does not apply glossaries in location global)'
            )
        headers = {"Authorization": f"Bearer {token}", "x-goog-user-project": project, "User-Agent": "translator"}
        http = HttpService("Google Cloud Translation", base, headers=headers, **common)
        maker = None
        if bucket and not glossary:
            storage_url = options.storage_url or settings.env.get("STORAGE_EMULATOR_HOST") or DEFAULT_STORAGE_URL
            storage = HttpService("Google Cloud Storage", storage_url, headers=headers, **common)
            maker = GlossaryMaker(
                http,
                storage,
                parent=f"projects/{project}/locations/{location}",
                bucket=parse_bucket(str(bucket)),
                poll_interval=options.glossary_poll_interval,
                wait=options.glossary_wait,
            )
        return cls(
            http,
            api="v3",
            project=project,
            location=location,
            model=options.model,
            glossary=str(glossary) if glossary else None,
            glossary_maker=maker,
        )

    def signature(self) -> str:
        if self.api == "v2":
            return "google|v2"
        return f"google|v3|{self.location}|model={self.model or ''}|glossary={self.fixed_glossary or ''}"

    async def translate(self, request: TranslateRequest) -> list[str]:
        if self.api == "v2":
            return await self._translate_v2(request)
        return await self._translate_v3(request)

    async def _translate_v3(self, request: TranslateRequest) -> list[str]:
        body: dict[str, Any] = {
            "contents": list(request.texts),
            "sourceLanguageCode": request.source_lang,
            "targetLanguageCode": request.target_lang,
            "mimeType": "text/html",
        }
        if self.model:
            body["model"] = self.model
        glossary = await self._glossary_for(request)
        if glossary:
            body["glossaryConfig"] = {"glossary": glossary}
        path = f"/v3/projects/{self.project}/locations/{self.location}:translateText"
        data = await self.http.request_json("POST", path, json=body)
        items = data.get("glossaryTranslations") if glossary else data.get("translations")
        return _texts(items, len(request.texts))

    async def _glossary_for(self, request: TranslateRequest) -> str | None:
        if request.glossary is None:
            return None
        if self.fixed_glossary:
            return self.fixed_glossary
        if self.glossary_maker is None or not request.glossary.entries:
            return None
        async with self._glossary_lock:  # concurrent batches must not create it twice
            return await self.glossary_maker.glossary_name(request.glossary)

    async def _translate_v2(self, request: TranslateRequest) -> list[str]:
        body = {
            "q": list(request.texts),
            "source": request.source_lang,
            "target": request.target_lang,
            "format": "html",
        }
        data = await self.http.request_json("POST", "/language/translate/v2", json=body)
        inner = data.get("data")
        return _texts(inner.get("translations") if isinstance(inner, dict) else None, len(request.texts))

    async def readiness(self) -> Readiness:
        if self.api == "v2":
            data = await self.http.request_json("GET", "/language/translate/v2/languages")
            languages = (data.get("data") or {}).get("languages") or []
            return Readiness(True, f"Basic (v2): API key accepted; {len(languages)} languages")
        path = f"/v3/projects/{self.project}/locations/{self.location}/supportedLanguages"
        languages = (await self.http.request_json("GET", path)).get("languages") or []
        return Readiness(
            True, f"Advanced (v3): token accepted for {self.project} ({self.location}); {len(languages)} languages"
        )

    async def aclose(self) -> None:
        await self.http.aclose()
        if self.glossary_maker is not None:
            await self.glossary_maker.storage.aclose()


def _texts(items: Any, expected: int) -> list[str]:
    if not isinstance(items, list) or len(items) != expected:
        raise BackendError("Google answered with a different number of translations than texts sent")
    return [str(item.get("translatedText", "")) if isinstance(item, dict) else "" for item in items]
