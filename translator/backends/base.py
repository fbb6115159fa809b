"""The backend contract: a batch of tagged texts in, their translations out, in order.

A backend declares what it can take (``Capabilities``) and its options (``Options``), and does one
thing: translate one request. Everything else happens once, around every backend alike (see
``stack.py``): the shared request limit, retries of ``TransientError`` with backoff, the
translation memory, and the check that the answer has one non-empty text per text sent. The
pipeline does batching to the declared limits and protects and restores inline codes.
Third-party backends subclass ``Backend`` and register the class under the entry-point group
``translator.backends``; the built-in ones are registered the same way in pyproject.toml.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, ClassVar

from ..config import Settings
from ..markup import BackendMarkup
from .options import BackendOptions, OptionsT


@dataclass(frozen=True)
class Capabilities:
    max_texts: int = 50  # texts per request
    max_bytes: int = 128 * 1024  # request size budget for the texts, UTF-8
    markup: BackendMarkup = "xml"  # how inline codes are sent
    native_glossary: bool = False  # can apply a glossary itself (DeepL, Amazon, Google)
    uses_instructions: bool = False  # LLMs: takes natural-language instructions and term lists


@dataclass(frozen=True)
class GlossaryPairs:
    """The glossary entries relevant to a request: source term → required target rendering."""

    source_lang: str
    target_lang: str
    entries: tuple[tuple[str, str], ...]
    name: str = "translator"

    @cached_property  # asked for every request (the service's glossary is named by it): hashed once
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        digest.update(f"{self.source_lang}>{self.target_lang}\n".encode())
        for source, target in self.entries:
            digest.update(f"{source}\t{target}\n".encode())
        return digest.hexdigest()[:16]


@dataclass(frozen=True)
class TranslateRequest:
    texts: Sequence[str]
    source_lang: str
    target_lang: str
    glossary: GlossaryPairs | None = None
    instructions: str | None = None
    # Plain source text around the texts (the document's title and neighbouring segments), to
    # translate them as parts of a whole; never to be translated itself. None with --no-context.
    context: str | None = None
    # Each text's role in its document (heading, paragraph, list-item, table-cell, question,
    # option, explanation, cue, …), one per text; empty when unknown.
    roles: Sequence[str] = ()
    # Per text, for a second attempt (--fix): the earlier translation and what was wrong with it,
    # in plain words; empty when there is none.
    notes: Sequence[str] = ()

    def subset(self, texts: Sequence[str]) -> TranslateRequest:
        """The same request for some of its texts (roles and notes follow their texts)."""
        roles = dict(zip(self.texts, self.roles, strict=False))
        notes = dict(zip(self.texts, self.notes, strict=False))
        return replace(
            self,
            texts=list(texts),
            roles=tuple(roles.get(t, "") for t in texts) if self.roles else (),
            notes=tuple(notes.get(t, "") for t in texts) if self.notes else (),
        )


@dataclass(frozen=True)
class Readiness:
    ready: bool
    detail: str  # what was found, or what is needed (never a key)


@dataclass
class BackendSpec:
    """What a backend needs from the user, shown by ``translator backends``."""

    needs: str
    key_env: tuple[str, ...] = ()
    url_env: tuple[str, ...] = ()
    default_url: str | None = None
    extras: tuple[str, ...] = ()  # optional dependencies (pip install 'translator[aws]')
    notes: str = ""  # options are declared by the backend's ``Options`` dataclass


class Backend(ABC):
    """Subclass, set ``name``/``spec``/``capabilities`` (and ``Options``), implement ``translate``.

    ``translate`` may raise ``TransientError`` (retried with backoff), ``QuotaExceeded`` or
    ``AuthError`` (the run stops), ``RequestRejected`` (that request's document fails)."""

    name: ClassVar[str]
    description: ClassVar[str] = ""
    spec: ClassVar[BackendSpec] = BackendSpec(needs="nothing")
    capabilities: Capabilities = Capabilities()
    Options: ClassVar[type[BackendOptions]] = BackendOptions

    @classmethod
    def options(cls, settings: Settings, options_type: type[OptionsT]) -> OptionsT:
        """``[backends.NAME]`` read as ``options_type`` (the class's ``Options``), checked."""
        return options_type.parse(cls.name, settings.backend_options(cls.name), settings.option_files.get(cls.name))

    @classmethod
    @abstractmethod
    def from_settings(cls, settings: Settings, *, url: str | None = None) -> Backend:
        """Build from settings; raise ``BackendNotReady`` naming the fix if a key is missing."""

    @abstractmethod
    async def translate(self, request: TranslateRequest) -> list[str]:
        """Translate ``request.texts`` (tagged text, see ``translator.markup``) in order."""

    async def readiness(self) -> Readiness:
        """A cheap check that the backend can work (a server reachable, a key accepted)."""
        return Readiness(True, "ready")

    def signature(self) -> str:
        """Options that change the output, for the translation memory's scope (never a key)."""
        return self.name

    async def aclose(self) -> None:
        return None

    async def __aenter__(self) -> Backend:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()


def resolve_url(name: str, spec: BackendSpec, settings: Settings, url: str | None) -> str | None:
    """Server URL: ``--backend-url`` → the service's own env variable → translator.toml → default."""
    if url:
        return url
    for env_name in spec.url_env:
        if settings.env.get(env_name):
            return settings.env[env_name]
    configured = settings.backend_options(name).get("url")
    if configured:
        return str(configured)
    return spec.default_url


def request_timeout(options: BackendOptions, settings: Settings, floor: float = 0.0) -> float:
    """Seconds per request: ``[backends.NAME] timeout``, else the top-level one (at least ``floor``,
    for LLMs whose answers take minutes)."""
    return options.timeout if options.timeout is not None else max(settings.timeout, floor)
