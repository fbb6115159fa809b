"""The package index: Argos Translate's ``index.json``, or a team's mirror of it.

The index is a JSON list; each entry describes one package, e.g.::

    {"package_version": "1.1", "argos_version": "1.1", "from_code": "en", "from_name": "English",
     "to_code": "ja", "to_name": "Japanese", "code": "translate-en_ja",
     "links": ["https://…/translate-en_ja-1_1.argosmodel", "ipfs://…"]}

Fields a mirror may add and this reader uses when present: ``sha256`` (checked after download),
``size`` (bytes, shown by ``models list``) and ``license``. Entries of another ``type`` and
entries without an http(s) link are skipped. The URL comes from ``--index-url``, else
``TRANSLATOR_MODEL_INDEX``, else ``[backends.local] index_url``, else Argos's public index;
a path to a local file works as well as a URL.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from .download import safe_url
from .errors import ModelError, ModelSourceUnavailable
from .store import language, matches, pair_name

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
INDEX_ENV = "TRANSLATOR_MODEL_INDEX"
MAX_INDEX_BYTES = 16 << 20


@dataclass(frozen=True)
class Available:
    source: str
    target: str
    version: str
    link: str
    source_name: str = ""
    target_name: str = ""
    sha256: str | None = None
    size: int | None = None
    license: str = ""

    @property
    def name(self) -> str:
        return pair_name(self.source, self.target)


def index_url(configured: str | None, env: Mapping[str, str], flag: str | None = None) -> str:
    """``--index-url``, else ``TRANSLATOR_MODEL_INDEX``, else ``[backends.local] index_url``, else Argos's."""
    return flag or env.get(INDEX_ENV) or configured or DEFAULT_INDEX_URL


def load_index(url: str, client: httpx.Client) -> list[Available]:
    shown = safe_url(url) if "://" in url else url
    if "://" not in url or url.startswith("file://"):
        path = Path(url.removeprefix("file://")).expanduser()
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ModelError(f"cannot read the package index: {exc.strerror}", path=str(path)) from None
    else:
        try:
            response = client.get(url)
        except httpx.HTTPError as exc:
            raise ModelSourceUnavailable(
                f"cannot fetch the package index {shown}: {exc or type(exc).__name__}"
            ) from None
        if response.status_code != 200:
            raise ModelSourceUnavailable(f"cannot fetch the package index {shown}: HTTP {response.status_code}")
        raw = response.content
    if len(raw) > MAX_INDEX_BYTES:
        raise ModelError(f"the package index {shown} is larger than {MAX_INDEX_BYTES} bytes")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ModelError(f"the package index {shown} is not JSON ({exc})") from None
    if not isinstance(data, list):
        raise ModelError(f"the package index {shown} is not a JSON list of packages")
    return parse_entries(data)


def parse_entries(data: list[Any]) -> list[Available]:
    found: list[Available] = []
    for entry in data:
        if not isinstance(entry, dict) or entry.get("type", "translate") != "translate":
            continue
        source, target = entry.get("from_code"), entry.get("to_code")
        links = entry.get("links")
        if not (isinstance(source, str) and isinstance(target, str) and isinstance(links, list)):
            continue
        link = next((str(x) for x in links if isinstance(x, str) and x.startswith(("https://", "http://"))), None)
        if link is None:
            continue
        size = entry.get("size")
        found.append(
            Available(
                source=language(source),
                target=language(target),
                version=str(entry.get("package_version", "")),
                link=link,
                source_name=str(entry.get("from_name", "")),
                target_name=str(entry.get("to_name", "")),
                sha256=str(entry["sha256"]).lower() if isinstance(entry.get("sha256"), str) else None,
                size=size if isinstance(size, int) and not isinstance(size, bool) else None,
                license=str(entry.get("license", "")),
            )
        )
    return found


def find(available: list[Available], source: str, target: str) -> Available | None:
    exact = [a for a in available if a.source == language(source) and a.target == language(target)]
    loose = [a for a in available if matches(a.source, source) and matches(a.target, target)]
    return next(iter(exact or loose), None)
