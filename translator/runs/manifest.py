"""What a run wrote, so a rerun never overwrites an output a person has edited since.

Each output folder holds ``.translator-outputs.json``: for every file this tool wrote there, the
SHA-256 of the bytes it wrote. Before an output is replaced, its current content is hashed; if it
no longer matches what was written, someone changed it by hand (fixed a rendering, reflowed a
cue) and the file is kept, with a note saying so, unless ``--force`` is given. An output with no
record (written by an older version, or by a person) is replaced as before and recorded. The
record sits beside the outputs rather than in the user cache, so it travels with them (a copied
folder, a git checkout) and clearing the cache cannot unprotect anything; being a hidden file, a
folder run never reads it as course material.

Only regular files are tracked: stdout, devices and links are written through as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

MANIFEST_NAME = ".translator-outputs.json"
KEPT_MESSAGE = "changed since it was written (edited by hand?); kept it, --force overwrites"
VERSION = 1


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tracked(destination: str) -> Path | None:
    """The output as a path worth tracking: a regular file (or one not there yet), not stdout."""
    if destination == "-":
        return None
    path = Path(destination)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        return None
    return path


def _load(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    outputs = data.get("outputs") if isinstance(data, dict) else None
    return outputs if isinstance(outputs, dict) else {}


def _save(folder: Path, changes: dict[str, Any]) -> None:
    """Add ``changes`` to the folder's manifest as it is on disk now (another run may have
    recorded outputs there meanwhile), replacing the file atomically; errors are ignored."""
    manifest = folder / MANIFEST_NAME
    if manifest.is_symlink() or (manifest.exists() and not manifest.is_file()):
        return
    outputs = _load(folder)
    outputs.update(changes)
    text = json.dumps({"version": VERSION, "outputs": dict(sorted(outputs.items()))}, ensure_ascii=False, indent=1)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{MANIFEST_NAME}.", suffix=".tmp", dir=folder)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        os.replace(tmp, manifest)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


class OutputRecords:
    """The manifests of one run's output folders, read once and written in rounds.

    Reading and rewriting a folder's whole manifest for every document made a run over a
    thousand files quadratic (each of its documents read and wrote the records of all the
    others). Here each folder's manifest is read at its first output, the run's own records are
    kept beside it, and the file is rewritten once the records not yet written reach a quarter
    of those it holds (at least ``FIRST_ROUND``), so the writing stays linear in the outputs; ``flush``
    (the run's end, also after an error or Ctrl-C) writes the rest. A run killed outright
    leaves its last round unrecorded: those outputs are then replaced as if written by
    another tool, never one edited by hand without notice."""

    FIRST_ROUND = 16

    def __init__(self) -> None:
        self._known: dict[Path, dict[str, Any]] = {}  # folder → its records, read once, with this run's
        self._pending: dict[Path, dict[str, Any]] = {}  # folder → this run's records not yet written

    def _outputs(self, folder: Path) -> dict[str, Any]:
        known = self._known.get(folder)
        if known is None:
            known = self._known[folder] = _load(folder)
        return known

    def may_overwrite(self, destination: str, *, force: bool) -> bool:
        """Whether the run may write ``destination``: not when it exists, this tool wrote it, and
        it has changed since (then say ``KEPT_MESSAGE``). From the records read at the folder's
        first output."""
        if force:
            return True
        path = _tracked(destination)
        if path is None or not path.exists():
            return True
        entry = self._outputs(path.parent).get(path.name)
        recorded = entry.get("sha256") if isinstance(entry, dict) else None
        if recorded is None:
            return True
        try:
            return digest(path.read_bytes()) == recorded
        except OSError:
            return True

    def record(self, destination: str, data: bytes) -> None:
        """Remember what was just written to ``destination``; the manifest is written in rounds."""
        path = _tracked(destination)
        if path is None:
            return
        folder = path.parent
        entry = {"sha256": digest(data)}
        self._outputs(folder)[path.name] = entry
        pending = self._pending.setdefault(folder, {})
        pending[path.name] = entry
        if len(pending) >= max(self.FIRST_ROUND, len(self._known[folder]) // 4):
            self._write(folder)

    def flush(self) -> None:
        """Write every record not yet written."""
        for folder in list(self._pending):
            self._write(folder)

    def _write(self, folder: Path) -> None:
        changes = self._pending.pop(folder, {})
        if changes:
            _save(folder, changes)
