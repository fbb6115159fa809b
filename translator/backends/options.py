"""Typed ``[backends.NAME]`` options, declared on each backend and checked in one place.

A backend declares a frozen dataclass of its options (subclassing ``BackendOptions``, which holds
the ones every backend takes); ``parse`` checks what the user wrote against it: an unknown key (a
typo such as ``formalty``) or a value of the wrong type (``timeout = "soon"``) is a ``ConfigError``
that names the file and the key, before any work is done. A field's ``choices`` metadata limits a
string to a set of values.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar, Union

from ..errors import ConfigError

OptionsT = TypeVar("OptionsT", bound="BackendOptions")

TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false", list: "a list"}


def choice(default: str | None, *values: str, help: str = "") -> Any:
    """A string option limited to ``values``."""
    return dataclasses.field(default=default, metadata={"choices": values, "help": help})


def described(default: Any, help: str) -> Any:
    return dataclasses.field(default=default, metadata={"help": help})


@dataclasses.dataclass(frozen=True)
class BackendOptions:
    """Options every backend takes."""

    url: str | None = described(None, "server URL (also --backend-url or the service's URL variable)")
    key: str | None = described(None, "API key (discouraged: use the key store or the environment)")
    timeout: float | None = described(None, "seconds per request (default: the top-level timeout)")
    max_retries: int | None = described(None, "retries of a failed request (default: the top-level max_retries)")
    retry_base_delay: float = described(0.5, "first backoff step, seconds")
    retry_max_delay: float = described(30.0, "longest backoff step, seconds")

    @classmethod
    def parse(
        cls: type[OptionsT], name: str, raw: Mapping[str, Any], origin: Mapping[str, str] | None = None
    ) -> OptionsT:
        """``raw`` checked against the declared fields; ``origin`` maps a key to the file it came from."""
        origin = origin or {}
        hints = typing.get_type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in raw.items():
            where = origin.get(key)
            if key not in fields:
                known = ", ".join(sorted(fields))
                raise ConfigError(f"[backends.{name}] unknown option '{key}' (known: {known})", path=where)
            values[key] = _checked(name, key, value, hints[key], fields[key].metadata.get("choices"), where)
        return cls(**values)

    @classmethod
    def describe(cls) -> dict[str, str]:
        """Option name → what it does, for ``translator backends``."""
        described_fields: dict[str, str] = {}
        for f in dataclasses.fields(cls):
            text = f.metadata.get("help", "")
            choices = f.metadata.get("choices")
            if choices:
                text = f"{text} ({' | '.join(choices)})" if text else " | ".join(choices)
            described_fields[f.name] = text
        return described_fields


def _checked(name: str, key: str, value: Any, hint: Any, choices: tuple[str, ...] | None, where: str | None) -> Any:
    allowed = _allowed_types(hint)
    if value is None and type(None) in allowed:
        return None
    if float in allowed and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, bool) and bool not in allowed:
        ok = False
    else:
        ok = any(isinstance(value, t) for t in allowed if t is not type(None))
    if ok and list in allowed and isinstance(value, list):
        ok = all(isinstance(item, str) for item in value)
    if not ok:
        wanted = " or ".join(TYPE_NAMES.get(t, t.__name__) for t in allowed if t is not type(None))
        raise ConfigError(f"[backends.{name}] {key} must be {wanted}, not {value!r}", path=where)
    if choices and value not in choices:
        raise ConfigError(f"[backends.{name}] {key} must be one of {', '.join(choices)}, not {value!r}", path=where)
    return value


def _allowed_types(hint: Any) -> tuple[type, ...]:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        return tuple(t for arg in typing.get_args(hint) for t in _allowed_types(arg))
    if origin is not None:
        return (origin,)
    return (hint,)
