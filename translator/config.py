"""Settings from ``translator.toml``, ``TRANSLATOR_*`` variables and command-line flags.

Precedence, lowest first: built-in defaults → the user config folder's ``translator.toml``
(platformdirs) → ``./translator.toml`` → environment → flags. Nothing is read at import time;
``load_settings`` is called once by the CLI (or by a library user) and the result passed along.

Example ``translator.toml``::

    backend = "deepl"
    target = "ja"
    concurrency = 4
    glossaries = ["team-glossary.yaml"]

    [backends.libretranslate]
    url = "http://localhost:5000"

Keys belong in the environment or the key store (``translator keys set NAME``), not in this file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

CONFIG_NAME = "translator.toml"
TOP_LEVEL_KEYS = {
    "backend": str,
    "source": str,
    "target": str,
    "concurrency": int,
    "timeout": float,
    "max_retries": int,
    "cache": bool,
    "glossaries": list,
    "style": str,
    "back_translate": str,
    "back_backend": str,
    "fix_backend": str,
    "judge_backend": str,
    "check": bool,
    "metric": str,
    "context": bool,
    "memory": str,
    "qe_head": str,  # a quality-estimation head file written by `translator calibrate --head`
    "embedded_model": bool,  # false: judge without the embedded quality-estimation model
}

TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false", list: "a list"}


def user_config_dir() -> Path:
    from platformdirs import user_config_dir as _dir

    return Path(_dir("translator", appauthor=False))


def user_cache_dir() -> Path:
    from platformdirs import user_cache_dir as _dir

    return Path(_dir("translator", appauthor=False))


@dataclass(frozen=True)
class Settings:
    backend: str = "deepl"
    source: str = "en"
    target: str = "ja"
    concurrency: int = 4
    timeout: float = 30.0
    max_retries: int = 6
    cache: bool = True
    glossaries: tuple[str, ...] = ()
    style: str = "aws"
    back_translate: str = "suspect"
    back_backend: str | None = None
    fix_backend: str | None = None
    judge_backend: str | None = None  # an LLM backend that reviews each segment (quality.judges.llm)
    check: bool = True
    metric: str = "chrf"
    context: bool = True  # send the title and neighbouring text with each request
    memory: str | None = None  # postgresql://… (shared), or an SQLite file; default: the user cache
    qe_head: str | None = None  # None: the head shipped with the package
    # The embedded model costs the most CPU of all checks (a few ms a segment): a batch run that
    # must keep up with a fast service can turn it off and judge from the other signals.
    embedded_model: bool = True
    thresholds: Mapping[str, float] = field(default_factory=dict)
    prices: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # [prices], see runs/cost.py
    backends: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    cache_dir: Path | None = None
    config_files: tuple[str, ...] = ()
    # backend name → option → the file it was read from, so a bad option is reported where it is
    option_files: Mapping[str, Mapping[str, str]] = field(default_factory=dict, repr=False)

    def backend_options(self, name: str) -> dict[str, Any]:
        """The raw ``[backends.NAME]`` table; backends read it typed, through their ``Options``."""
        return dict(self.backends.get(name, {}))

    def with_overrides(self, **overrides: Any) -> Settings:
        values = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **values)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        raise ConfigError(f"not valid TOML: {exc}", path=str(path), line=line) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=str(path)) from exc


def _toml_error_line(message: str) -> int | None:
    import re

    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def _merge(into: dict[str, Any], data: Mapping[str, Any], path: Path) -> None:
    for key, value in data.items():
        if key == "backends":
            if not isinstance(value, dict):
                raise ConfigError("[backends] must be a table of tables", path=str(path))
            backends = into.setdefault("backends", {})
            origins = into.setdefault("option_files", {})
            for name, options in value.items():
                if not isinstance(options, dict):
                    raise ConfigError(f"[backends.{name}] must be a table", path=str(path))
                backends.setdefault(name, {}).update(options)
                origins.setdefault(name, {}).update(dict.fromkeys(options, str(path)))
        elif key in ("thresholds", "prices"):
            if not isinstance(value, dict):
                raise ConfigError(f"[{key}] must be a table", path=str(path))
            into.setdefault(key, {}).update(value)
        elif key in TOP_LEVEL_KEYS:
            expected = TOP_LEVEL_KEYS[key]
            if expected is float and isinstance(value, int):
                value = float(value)
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise ConfigError(f"'{key}' must be {TYPE_NAMES[expected]}", path=str(path))
            into[key] = value
        else:
            known = ", ".join(sorted([*TOP_LEVEL_KEYS, "backends", "thresholds", "prices"]))
            raise ConfigError(f"unknown setting '{key}' (known: {known})", path=str(path))


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, kind in TOP_LEVEL_KEYS.items():
        raw = env.get(f"TRANSLATOR_{key.upper()}")
        if raw is None or raw == "":
            continue
        try:
            if kind is bool:
                values[key] = raw.strip().lower() in ("1", "true", "yes", "on")
            elif kind is list:
                values[key] = [part for part in raw.split(os.pathsep) if part]
            else:
                values[key] = kind(raw)
        except ValueError as exc:
            raise ConfigError(f"TRANSLATOR_{key.upper()}={raw!r} is not a valid {kind.__name__}") from exc
    return values


def load_settings(
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    config_file: str | os.PathLike[str] | None = None,
    user_config: bool = True,
    default_backend: Callable[[str, str, Mapping[str, str]], str] | None = None,
    **flags: Any,
) -> Settings:
    """Build settings from files, environment and flags (``None`` flags are ignored).

    ``default_backend(source, target, env)`` names the backend when nothing chose one (the CLI
    passes ``translator.models.default.default_backend``: the offline engine when a model serves
    the pair); without it, ``Settings.backend``'s default."""
    env = dict(os.environ if env is None else env)
    cwd = cwd or Path.cwd()
    merged: dict[str, Any] = {}
    files: list[str] = []
    candidates: list[Path] = []
    if config_file is not None:
        config_file = Path(config_file)  # a library caller may pass a str
        if not config_file.is_file():
            raise ConfigError("config file not found", path=str(config_file))
        candidates.append(config_file)
    else:
        if user_config and not env.get("TRANSLATOR_NO_USER_CONFIG"):
            candidates.append(user_config_dir() / CONFIG_NAME)
        candidates.append(cwd / CONFIG_NAME)
    for path in candidates:
        if path.is_file():
            _merge(merged, _read_toml(path), path)
            files.append(str(path))
    merged.update(_from_env(env))
    merged.update({k: v for k, v in flags.items() if v is not None})
    if "glossaries" in merged:
        merged["glossaries"] = tuple(merged["glossaries"])
    if "backend" not in merged and default_backend is not None:  # none chosen: ask the caller's rule
        source, target = merged.get("source", Settings.source), merged.get("target", Settings.target)
        merged["backend"] = default_backend(source, target, env)
    cache_dir = Path(env["TRANSLATOR_CACHE_DIR"]) if env.get("TRANSLATOR_CACHE_DIR") else None
    settings = Settings(env=env, cache_dir=cache_dir, config_files=tuple(files), **merged)
    if settings.concurrency < 1:
        raise ConfigError("concurrency must be at least 1")
    return settings
