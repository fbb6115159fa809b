"""Backends, found through the ``translator.backends`` entry-point group.

Built-in backends are declared in pyproject.toml exactly like a third-party package would
declare its own, so there is one discovery path. Loading is lazy: listing the names imports
nothing, and a backend's heavy dependencies are imported only when it is built.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from ..errors import BackendNotFound
from .base import (
    Backend,
    BackendSpec,
    Capabilities,
    GlossaryPairs,
    Readiness,
    TranslateRequest,
)

GROUP = "translator.backends"


def registered() -> dict[str, EntryPoint]:
    """Every registered backend name → its entry point (not yet imported)."""
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def load_backend_class(name: str) -> type[Backend]:
    found = registered()
    if name not in found:
        known = ", ".join(sorted(found)) or "none"
        raise BackendNotFound(f"no backend named '{name}' (registered: {known}); see 'translator backends'")
    cls = found[name].load()
    if not (isinstance(cls, type) and issubclass(cls, Backend)):
        raise BackendNotFound(f"entry point '{name}' does not name a translator Backend subclass")
    return cls


__all__ = [
    "Backend",
    "BackendSpec",
    "Capabilities",
    "GlossaryPairs",
    "Readiness",
    "TranslateRequest",
    "load_backend_class",
    "registered",
]
