"""Unpacking a package archive without trusting it.

A ``.argosmodel`` is a zip made by someone else, fetched from somewhere else. Before one byte is
written, every entry is checked: no absolute path or drive, no ``..``, no backslash (a separator
elsewhere), no link or device of any kind (a model never needs one, and a link is how an archive
writes outside its folder), no name twice, and sizes within limits: total, per file, count, and
the compression ratio that gives a zip bomb away. Only then are regular files written, each
opened exclusively (never through an existing file or link), into a fresh staging folder whose
path every entry is checked to stay inside.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ModelError

CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    total_bytes: int = 4 << 30  # the largest Argos packages unpack to well under 1 GiB
    file_bytes: int = 2 << 30
    files: int = 10_000
    ratio: int = 200  # int8 weights barely compress; a ratio beyond this is a zip bomb


def extract(archive: Path, into: Path, limits: Limits = Limits()) -> None:
    """Unpack ``archive`` into the empty folder ``into``, or raise ``ModelError`` having written nothing."""
    label = str(archive)
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise ModelError("not a package: the file is not a zip archive", path=label) from None
    except OSError as exc:
        raise ModelError(f"cannot read: {exc.strerror}", path=label) from None
    with zf:
        entries = checked_entries(zf, label, limits)
        base = into.resolve()
        for info, parts in entries:
            target = base.joinpath(*parts)
            if not target.resolve().is_relative_to(base):  # defence in depth: checked already
                raise ModelError(f"entry '{info.filename}' would be written outside the package folder", path=label)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            _write(zf, info, target, label)


def checked_entries(zf: zipfile.ZipFile, label: str, limits: Limits) -> list[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    infos = zf.infolist()
    if len(infos) > limits.files:
        raise ModelError(f"the package has {len(infos)} entries, more than {limits.files}", path=label)
    seen: set[tuple[str, ...]] = set()
    total = 0
    entries = []
    for info in infos:
        parts = safe_parts(info.filename, label)
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind == stat.S_IFLNK:
            raise ModelError(f"entry '{info.filename}' is a symbolic link; packages may not hold links", path=label)
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise ModelError(f"entry '{info.filename}' is not a regular file or folder", path=label)
        key = tuple(part.lower() for part in parts)  # case-insensitive file systems merge these
        if key in seen and not info.is_dir():
            raise ModelError(f"entry '{info.filename}' appears twice", path=label)
        seen.add(key)
        if info.file_size > limits.file_bytes:
            raise ModelError(f"entry '{info.filename}' unpacks to {info.file_size} bytes, over the limit", path=label)
        total += info.file_size
        if total > limits.total_bytes:
            raise ModelError(f"the package unpacks to more than {limits.total_bytes} bytes", path=label)
        if info.file_size > CHUNK and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise ModelError(
                f"entry '{info.filename}' is compressed {info.file_size // max(info.compress_size, 1)}:1, "
                "like a zip bomb",
                path=label,
            )
        entries.append((info, parts))
    return entries


def safe_parts(name: str, label: str) -> tuple[str, ...]:
    if "\\" in name or "\x00" in name:
        raise ModelError(f"entry '{name}' has a backslash or NUL in its name", path=label)
    path = PurePosixPath(name)
    if path.is_absolute() or (path.parts and ":" in path.parts[0]):
        raise ModelError(f"entry '{name}' has an absolute path", path=label)
    parts = tuple(part for part in path.parts if part not in ("", "."))
    if ".." in parts:
        raise ModelError(f"entry '{name}' climbs out of the package folder with '..'", path=label)
    if not parts:
        raise ModelError(f"entry '{name}' has no name", path=label)
    return parts


def _write(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, label: str) -> None:
    # O_EXCL: never through a file or link already there; O_NOFOLLOW where the system has it.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(target, flags, 0o644)
    written = 0
    try:
        with os.fdopen(fd, "wb") as out, zf.open(info) as source:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                if written > info.file_size:  # zipfile stops at the declared size; do not rely on it alone
                    raise ModelError(f"entry '{info.filename}' is larger than it declares", path=label)
                out.write(chunk)
    except zipfile.BadZipFile as exc:
        raise ModelError(f"entry '{info.filename}' is damaged ({exc})", path=label) from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise ModelError(f"entry '{info.filename}' cannot be unpacked ({exc})", path=label) from None
