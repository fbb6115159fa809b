"""The run's backends, built once: forward, back-translation, fix and the LLM judge's model.

Each is a stack (``translator.backends.stack``) around a plugin; the three share one request
limit, one translation memory and one usage count, and a stage that names the same backend as
another (back-translation through the forward engine) shares its plugin and connection pool too.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path

from ..backends import load_backend_class
from ..backends._http import RetryPolicy
from ..backends._llm import ChatModel
from ..backends.asking import AskingModel
from ..backends.base import Backend, TranslateRequest
from ..backends.stack import FOLLOW_UP, NEW_WORK, MemoryStore, RequestLimit, Spending, Stack, Usage, compose
from ..config import Settings, user_cache_dir
from ..errors import ConfigError
from ..memory import TranslationMemory
from .cost import Budget, CostFigures, Price, cost_of, prices_from_config


def open_memory(settings: Settings) -> MemoryStore | None:
    """The translation memory: ``memory = "postgresql://…"`` for one a team shares, else the
    SQLite file in the user cache folder (or ``TRANSLATOR_CACHE_DIR``); None with ``--no-cache``."""
    if not settings.cache:
        return None
    if settings.memory and settings.memory.startswith(("postgresql://", "postgres://")):
        from ..memory_postgres import PostgresMemory

        return PostgresMemory(settings.memory)
    if settings.memory:
        return TranslationMemory(Path(settings.memory).expanduser())
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
class StackUse:
    """One stack of the run: which backend, what for, and what it sent."""

    role: str  # forward | back-translation | fix
    backend: str
    usage: Usage


@dataclass
class RunBackends:
    """Builds stacks on demand and closes every plugin it built when the run ends."""

    settings: Settings
    url: str | None = None  # --backend-url, for the forward backend only
    memory: MemoryStore | None = None
    dry_run: bool = False  # count what would be sent, send nothing, store nothing
    budget: Budget | None = None
    plugin_wrapper: Callable[[Backend], Backend] | None = None  # --batch: a job's answers in front of the plugin
    limit: RequestLimit = field(init=False)
    prices: dict[str, Price] = field(init=False)
    spending: Spending | None = field(init=False, default=None)
    uses: list[StackUse] = field(default_factory=list)
    _plugins: dict[tuple[str, str | None], Backend] = field(default_factory=dict)
    _exit: AsyncExitStack = field(default_factory=AsyncExitStack)

    def __post_init__(self) -> None:
        self.limit = RequestLimit(self.settings.concurrency)
        self.prices = prices_from_config(self.settings.prices)
        if self.budget is not None and self.budget.characters is not None:
            self.spending = Spending(self.budget.characters, "characters")
        elif self.budget is not None:
            self.spending = Spending(self.budget.amount or 0.0, self.budget.currency or "")

    async def __aenter__(self) -> RunBackends:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._exit.aclose()

    async def plugin(self, name: str) -> Backend:
        url = self.url if name == self.settings.backend else None
        key = (name, url)
        if key not in self._plugins:
            built = await self._exit.enter_async_context(build_plugin(self.settings, name, url))
            self._plugins[key] = self.plugin_wrapper(built) if self.plugin_wrapper else built
        return self._plugins[key]

    async def stack(self, name: str, role: str, *, glossary_hash: str = "", remember: bool = True) -> Stack:
        use = StackUse(role, name, Usage())
        self.uses.append(use)
        budget = None
        if self.spending is not None:
            budget = (self.spending, self._request_cost(name))
        return compose(
            await self.plugin(name),
            limit=self.limit,
            retry=retry_policy(self.settings, name),
            memory=self.memory if remember else None,
            glossary_hash=glossary_hash,
            usage=use.usage,
            budget=budget,
            dry_run=self.dry_run,
            # back-translation and --fix finish what a forward batch started: they go first
            priority=NEW_WORK if role in ("forward", "term map") else FOLLOW_UP,
        )

    def _request_cost(self, name: str) -> Callable[[TranslateRequest], float]:
        """What one request counts against the budget: its characters, or its estimated price."""

        def cost(request: TranslateRequest) -> float:
            characters = sum(len(text) for text in request.texts)
            if self.budget is None or self.budget.characters is not None:
                return float(characters)
            figures = cost_of(
                name,
                self.prices,
                requests=1,
                characters=characters,
                source_lang=request.source_lang,
                target_lang=request.target_lang,
            )
            return figures.price

        return cost

    async def forward(self, glossary_hash: str = "") -> Stack:
        return await self.stack(self.settings.backend, "forward", glossary_hash=glossary_hash)

    async def back(self) -> Stack:
        return await self.stack(self.settings.back_backend or self.settings.backend, "back-translation")

    async def judge_model(self) -> AskingModel | None:
        """The LLM the judge asks (``judge_backend``), under the run's limit and retries; None when unset."""
        name = self.settings.judge_backend
        if not name:
            return None
        plugin = await self.plugin(name)
        if not isinstance(plugin, ChatModel):
            raise ConfigError(
                f"judge_backend '{name}' is not an LLM backend; use one that answers questions (openai, bedrock)"
            )
        use = StackUse("llm judge", name, Usage())
        self.uses.append(use)
        budget = (self.spending, self._request_cost(name)) if self.spending is not None else None
        return AskingModel(
            plugin, limit=self.limit, retry=retry_policy(self.settings, name), usage=use.usage, budget=budget
        )

    async def fix(self) -> Stack:
        # No memory: a second candidate must not be the first one recalled.
        return await self.stack(self.settings.fix_backend or self.settings.backend, "fix", remember=False)

    def costs(self) -> list[tuple[str, CostFigures]]:
        """(role, what it sent and cost) for every stack of the run."""
        return [
            (
                use.role,
                cost_of(
                    use.backend,
                    self.prices,
                    requests=use.usage.requests,
                    characters=use.usage.characters,
                    context_characters=use.usage.context_characters,
                    source_lang=self.settings.target if use.role == "back-translation" else self.settings.source,
                    target_lang=self.settings.source if use.role == "back-translation" else self.settings.target,
                ),
            )
            for use in self.uses
        ]
