"""The run's backends, built once: forward, back-translation and fix.

Each is a stack (``translator.backends.stack``) around a plugin; the three share one request
limit, one translation memory and one usage count, and a stage that names the same backend as
another (back-translation through the forward engine) shares its plugin and connection pool too.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path

from ..backends import load_backend_class
from ..backends._http import RetryPolicy
from ..backends.base import Backend
from ..backends.stack import Stack, Usage, compose
from ..config import Settings, user_cache_dir
from ..memory import TranslationMemory


def open_memory(settings: Settings) -> TranslationMemory | None:
    if not settings.cache:
        return None
    folder = settings.cache_dir or user_cache_dir()
    return TranslationMemory(Path(folder) / "memory.sqlite3")


def build_plugin(settings: Settings, name: str, url: str | None = None) -> Backend:
    """One backend, its ``[backends.NAME]`` options checked first (a typo is an error, not ignored)."""
    cls = load_backend_class(name)
    cls.Options.parse(name, settings.backend_options(name), settings.option_files.get(name))
    return cls.from_settings(settings, url=url)


def retry_policy(settings: Settings, name: str) -> RetryPolicy:
    cls = load_backend_class(name)
    options = cls.Options.parse(name, settings.backend_options(name), settings.option_files.get(name))
    return RetryPolicy(
        max_retries=options.max_retries if options.max_retries is not None else settings.max_retries,
        base_delay=options.retry_base_delay,
        max_delay=options.retry_max_delay,
    )


@dataclass
class RunBackends:
    """Builds stacks on demand and closes every plugin it built when the run ends."""

    settings: Settings
    url: str | None = None  # --backend-url, for the forward backend only
    memory: TranslationMemory | None = None
    limit: asyncio.Semaphore = field(init=False)
    usage: Usage = field(default_factory=Usage)
    _plugins: dict[tuple[str, str | None], Backend] = field(default_factory=dict)
    _exit: AsyncExitStack = field(default_factory=AsyncExitStack)

    def __post_init__(self) -> None:
        self.limit = asyncio.Semaphore(self.settings.concurrency)

    async def __aenter__(self) -> RunBackends:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._exit.aclose()

    async def plugin(self, name: str) -> Backend:
        url = self.url if name == self.settings.backend else None
        key = (name, url)
        if key not in self._plugins:
            self._plugins[key] = await self._exit.enter_async_context(build_plugin(self.settings, name, url))
        return self._plugins[key]

    async def stack(self, name: str, *, glossary_hash: str = "", remember: bool = True) -> Stack:
        return compose(
            await self.plugin(name),
            limit=self.limit,
            retry=retry_policy(self.settings, name),
            memory=self.memory if remember else None,
            glossary_hash=glossary_hash,
            usage=self.usage,
        )

    async def forward(self, glossary_hash: str = "") -> Stack:
        return await self.stack(self.settings.backend, glossary_hash=glossary_hash)

    async def back(self) -> Stack:
        return await self.stack(self.settings.back_backend or self.settings.backend)

    async def fix(self) -> Stack:
        # No memory: a second candidate must not be the first one recalled.
        return await self.stack(self.settings.fix_backend or self.settings.backend, remember=False)
