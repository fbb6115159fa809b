"""``translator backends``: every registered backend, whether it is ready, what it needs."""

from __future__ import annotations

import asyncio

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..backends import load_backend_class, registered
from ..backends.base import Backend
from ..config import Settings
from ..errors import TranslatorError
from ._common import settings_from

CHECK_SECONDS = 10.0


def _build(name: str, settings: Settings) -> tuple[Backend | None, str, str]:
    """The backend, or why it cannot be built: (backend, status, detail)."""
    try:
        cls = load_backend_class(name)
    except Exception as exc:  # a broken plugin must not hide the others
        return None, "broken", f"cannot load: {exc}"
    try:
        backend = cls.from_settings(settings)
        # A backend that can say what it would use without contacting anything (the local
        # engine's installed models) says so; the others show what they need.
        summary = getattr(backend, "summary", None)
        return backend, "configured", summary() if callable(summary) else cls.spec.needs
    except TranslatorError as exc:
        return None, "not ready", exc.message
    except ImportError as exc:
        extras = ",".join(cls.spec.extras) or "all"
        return None, "not ready", f"missing {exc.name}: pip install 'translator[{extras}]'"


async def _check(name: str, settings: Settings) -> tuple[str, str]:
    backend, status, detail = _build(name, settings)
    if backend is None:
        return status, detail
    try:
        async with backend:
            readiness = await asyncio.wait_for(backend.readiness(), timeout=CHECK_SECONDS)
    except TranslatorError as exc:
        return "not ready", exc.message
    except TimeoutError:
        return "not ready", f"no answer within {CHECK_SECONDS:g} s"
    return ("ready" if readiness.ready else "not ready"), readiness.detail


async def _check_all(names: list[str], settings: Settings) -> list[tuple[str, str]]:
    return list(await asyncio.gather(*(_check(name, settings) for name in names)))


@click.command(name="backends")
@click.option("--offline", is_flag=True, help="Do not contact servers; only check keys and settings.")
@click.pass_context
def backends_command(ctx: click.Context, offline: bool) -> None:
    """List backends, whether each is ready, and what it needs otherwise."""
    # One quick attempt each: a readiness check should answer, not retry for a minute.
    settings = settings_from(ctx, max_retries=0, timeout=CHECK_SECONDS)
    names = sorted(registered())
    if offline:
        results = [_build(name, settings)[1:] for name in names]
    else:
        results = asyncio.run(_check_all(names, settings))
    table = Table(title="translator backends")
    table.add_column("backend")
    table.add_column("status")
    table.add_column("details")
    for name, (status, detail) in zip(names, results, strict=True):
        style = {"ready": "green", "not ready": "yellow", "configured": "cyan"}.get(status, "red")
        marker = " (default)" if name == settings.backend else ""
        table.add_row(name + marker, f"[{style}]{status}[/{style}]", escape(detail))
    Console(soft_wrap=False, width=max(100, Console().width)).print(table)
