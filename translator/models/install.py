"""``NAME | FILE | URL`` → an installed model, or nothing at all.

The order of work is what keeps a failure from leaving anything half-installed: download to a
``.part`` file (resumable), verify its SHA-256 if known, unpack into a fresh staging folder after
every entry passed ``unpack``'s checks, read the package's metadata, and only then move the
folder in with one rename (``ModelStore.place``). Staging is deleted whatever happens.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from .download import download, safe_url
from .errors import ModelError
from .index import Available, find, load_index
from .store import METADATA, InstalledModel, ModelStore, normalise_name
from .unpack import Limits, extract

# (label, bytes so far, total or None)
OnProgress = Callable[[str, int, int | None], None]


@dataclass
class Outcome:
    model: InstalledModel
    installed: bool  # False: the same version was installed already


@dataclass
class Installer:
    store: ModelStore
    client: httpx.Client
    index_url: str
    on_progress: OnProgress | None = None
    limits: Limits = field(default_factory=Limits)
    _index: list[Available] | None = None

    def index(self) -> list[Available]:
        if self._index is None:
            self._index = load_index(self.index_url, self.client)
        return self._index

    def install(self, what: str, *, sha256: str | None = None, reverse: bool = False) -> list[Outcome]:
        """Install a package named by pair (``en-ja``), file or URL; with ``reverse``, a named
        pair's opposite direction too when the index has it (the quality check back-translates)."""
        if what.startswith(("http://", "https://")):
            return [Outcome(self.install_url(what, sha256=sha256), True)]
        if what.endswith(".argosmodel") or Path(what).is_file() or "/" in what:
            path = Path(what).expanduser()
            if not path.is_file():
                raise ModelError("package file not found", path=what)
            return [Outcome(self.install_file(path), True)]
        source, target = split_pair(what)
        outcomes = [self.install_available(self.lookup(source, target))]
        if reverse:
            opposite = find(self.index(), target, source)
            if opposite is not None:
                outcomes.append(self.install_available(opposite))
        return outcomes

    def lookup(self, source: str, target: str) -> Available:
        entry = find(self.index(), source, target)
        if entry is None:
            pairs = sorted(a.name for a in self.index() if a.source == source or a.target == target)
            hint = f" (pairs with {source} or {target}: {', '.join(pairs)})" if pairs else ""
            raise ModelError(f"the package index has no {source}-{target} model{hint}; see 'translator models list'")
        return entry

    def install_available(self, entry: Available) -> Outcome:
        current = self.store.get(entry.name)
        if current is not None and entry.version and current.version == entry.version:
            return Outcome(current, False)
        return Outcome(self.install_url(entry.link, sha256=entry.sha256, label=entry.name), True)

    def install_url(self, url: str, *, sha256: str | None = None, label: str | None = None) -> InstalledModel:
        progress = self.on_progress
        name = label or url.rsplit("/", 1)[-1]
        part = download(
            url,
            self.store.downloads(),
            self.client,
            sha256=sha256,
            progress=(lambda have, total: progress(name, have, total)) if progress else None,
        )
        try:
            return self.install_file(part, label=safe_url(url))
        finally:
            part.unlink(missing_ok=True)

    def install_file(self, archive: Path, *, label: str | None = None) -> InstalledModel:
        staging = self.store.staging()
        try:
            try:
                extract(archive, staging, self.limits)
                return self.store.place(package_root(staging))
            except ModelError as exc:
                exc.path = label or exc.path  # name what the user gave, not the download's .part file
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def package_root(staging: Path) -> Path:
    """The package folder: the archive's top, or its single top-level folder (Argos's layout)."""
    if (staging / METADATA).is_file():
        return staging
    children = list(staging.iterdir())
    if len(children) == 1 and children[0].is_dir() and (children[0] / METADATA).is_file():
        return children[0]
    raise ModelError("not a translation package: no metadata.json at its top or in its one folder")


def split_pair(name: str) -> tuple[str, str]:
    parts = normalise_name(name).split("-")
    if len(parts) != 2 or not all(parts):
        raise ModelError(f"'{name}' is not a language pair like en-ja, a .argosmodel file or a URL")
    return parts[0], parts[1]
