"""API keys: explicit option → the key store (a 0600 file) → the service's usual env variable.

Keys are only ever read here and handed to a backend's client; they are never printed, logged,
cached, written into reports, or part of a translation-memory scope.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .config import Settings, user_config_dir
from .errors import BackendNotReady, ConfigError
from .redact import USER_INFO_RE, register_secret

KEYS_FILE = "keys.json"


def keys_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("TRANSLATOR_KEYS_FILE"):
        return Path(env["TRANSLATOR_KEYS_FILE"])
    return user_config_dir() / KEYS_FILE


def _load(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError("key store is not readable JSON; fix or delete it", path=str(path)) from exc
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def stored_key(name: str, env: Mapping[str, str] | None = None) -> str | None:
    return _load(keys_path(env)).get(name)


def store_key(name: str, value: str, env: Mapping[str, str] | None = None) -> Path:
    """Save a key with owner-only permissions, atomically."""
    path = keys_path(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = _load(path)
    keys[name] = value
    _save(path, keys)
    return path


def remove_key(name: str, env: Mapping[str, str] | None = None) -> Path:
    """Forget a stored key; ``ConfigError`` if there is none under ``name`` (a typo should not
    look like success while the key stays on disk)."""
    path = keys_path(env)
    keys = _load(path)
    if name not in keys:
        stored = ", ".join(sorted(keys)) or "none"
        raise ConfigError(f"no stored key for '{name}' (stored: {stored})", path=str(path))
    del keys[name]
    _save(path, keys)
    return path


def _save(path: Path, keys: dict[str, str]) -> None:
    """Write the store through a 0600 temporary file renamed into place, so no reader ever sees
    a half-written store and the keys are never readable by others, not even briefly."""
    _write_private(path, json.dumps(keys, indent=2, sort_keys=True))


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a new owner-only temporary file, then rename it over.

    The temporary file is created exclusively under a fresh name, so neither a leftover
    ``keys.json.tmp`` (perhaps world-readable) nor a symlink planted under that name can
    receive the keys or lend them its permissions; the rename replaces ``path`` itself, never
    what a symlink there points to. A ``keys.json.tmp`` that earlier versions left is removed
    (a link, not its target), since it may hold keys readable by others.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        path.with_name(path.name + ".tmp").unlink(missing_ok=True)
    except OSError:
        pass  # a folder of that name holds no keys


def stored_names(env: Mapping[str, str] | None = None) -> list[str]:
    return sorted(_load(keys_path(env)))


def resolve_key(
    name: str,
    settings: Settings,
    env_names: Iterable[str],
    *,
    required: bool = True,
    what: str = "API key",
) -> str | None:
    """Find a backend's key or raise ``BackendNotReady`` naming the two ways to provide it."""
    explicit = settings.backend_options(name).get("key")
    if explicit:
        register_secret(str(explicit))
        return str(explicit)
    stored = stored_key(name, settings.env)
    if stored:
        register_secret(stored)
        return stored
    env_names = list(env_names)
    for env_name in env_names:
        value = settings.env.get(env_name)
        if value:
            register_secret(value)
            return value
    if not required:
        return None
    via_env = " or ".join(env_names)
    hint = f"set {via_env} or run 'translator keys set {name}'" if env_names else f"run 'translator keys set {name}'"
    raise BackendNotReady(f"{name}: no {what} found; {hint}")


def without_credentials(description: str) -> str:
    """A description with URL user-info and query strings removed: both can carry keys
    (``https://user:token@host``, ``?key=…``), and descriptions end up in caches and reports."""
    description = USER_INFO_RE.sub(r"\1", description)
    return re.sub(r"(https?://[^\s|?#]*)[?#][^\s|]*", r"\1", description)
