"""``translator backends``: every registered backend, whether it is ready, what it needs."""

from __future__ import annotations

import asyncio

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..backends import load_backend_class, registered
from ..errors import TranslatorError
from ._common import settings_from


async def _check(name: str, settings) -> tuple[str, str]:
    try:
        cls = load_backend_class(name)
    except Exception as exc:  # a broken plugin must not hide the others
        return "broken", f"cannot load: {exc}"
    try:
        backend = cls.from_settings(settings)
    except TranslatorError as exc:
        return "not ready", f"{exc.message} — needs {cls.spec.needs}"
    except ImportError as exc:
        extras = ",".join(cls.spec.extras) or "all"
        return "not ready", f"missing {exc.name}: pip install 'translator[{extras}]'"
    try:
        async with backend:
            readiness = await asyncio.wait_for(backend.readiness(), timeout=15)
    except TranslatorError as exc:
        return "not ready", exc.message
    except TimeoutError:
        return "not ready", "no answer within 15 s"
    return ("ready" if readiness.ready else "not ready"), readiness.detail


@click.command(name="backends")
@click.option("--offline", is_flag=True, help="Do not contact servers; only check keys and settings.")
@click.pass_context
def backends_command(ctx: click.Context, offline: bool) -> None:
    """List backends, whether each is ready, and what it needs otherwise."""
    settings = settings_from(ctx)
    table = Table(title="translator backends")
    table.add_column("backend")
    table.add_column("status")
    table.add_column("details")
    for name in sorted(registered()):
        if offline:
            status, detail = _offline_check(name, settings)
        else:
            status, detail = asyncio.run(_check(name, settings))
        style = {"ready": "green", "not ready": "yellow"}.get(status, "red")
        marker = " (default)" if name == settings.backend else ""
        table.add_row(name + marker, f"[{style}]{status}[/{style}]", escape(detail))
    Console(soft_wrap=False, width=max(100, Console().width)).print(table)


def _offline_check(name: str, settings) -> tuple[str, str]:
    try:
        cls = load_backend_class(name)
        cls.from_settings(settings)
    except TranslatorError as exc:
        return "not ready", exc.message
    except ImportError as exc:
        return "not ready", f"missing {exc.name}"
    except Exception as exc:
        return "broken", f"cannot load: {exc}"
    return "configured", cls.spec.needs


COMMANDS = [backends_command]
