"""Writing an output safely, whatever is already at its path.

* nothing there, or a regular file: written to a temporary file beside it and renamed into place
  once complete, so a failed run never leaves half a file and an existing output stays whole;
* a symbolic link: written through to the file it points at (as curl and rsync do), the link
  itself kept; a dangling link gets its target created;
* a character device or a FIFO (``/dev/null``, ``/dev/stdout``, a pipe): written as a stream —
  renaming over it would replace the device with a regular file;
* anything else (a folder, a socket, a block device): refused with one line.

This module is a leaf: it imports nothing of the project but its errors, so every writer (the
run, reports, Anki decks, glossary exports, ``fetch``) can use it.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError

STDIO = "-"
MAX_LINK_HOPS = 40  # as the kernel's own limit for resolving a path


def write_output(destination: str, data: bytes) -> None:
    """Write ``data`` to ``destination`` (``-`` is stdout), by the rules of the module docstring."""
    if destination == STDIO:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = _through_links(Path(destination), destination)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=destination) from exc
    if mode is None or stat.S_ISREG(mode):
        _replace_atomically(path, data, destination)
    elif stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        _stream(path, data, destination)
    elif stat.S_ISDIR(mode):
        raise OutputError("is a folder, not a file; give a file name", path=destination)
    else:
        raise OutputError("is neither a regular file, a device nor a pipe; refusing to write there", path=destination)


def refuse_inputs_as_outputs(outputs: Iterable[str], inputs: Iterable[str]) -> None:
    """Refuse, before any work, an output that is one of the run's inputs (the same path however
    it is spelt, or the same file through a link or a hard link)."""
    seen: dict[object, str] = {}
    for source in inputs:
        path = Path(source)
        seen[str(path.resolve())] = source
        try:
            info = path.stat()
            seen[(info.st_dev, info.st_ino)] = source
        except OSError:
            continue
    for output in outputs:
        if output == STDIO:
            continue
        path = Path(output)
        keys: list[object] = [str(path.resolve())]
        try:
            info = path.stat()
            keys.append((info.st_dev, info.st_ino))
        except OSError:
            pass
        for key in keys:
            if key in seen:
                raise OutputError(f"would overwrite the input {seen[key]}; give another output path", path=output)


def _through_links(path: Path, shown: str) -> Path:
    """The path a chain of symbolic links ends at (a link's target may not exist yet)."""
    for _ in range(MAX_LINK_HOPS):
        if not path.is_symlink():
            return path
        target = Path(os.readlink(path))
        path = target if target.is_absolute() else path.parent / target
    raise OutputError("too many levels of symbolic links", path=shown)


def _stream(path: Path, data: bytes, shown: str) -> None:
    try:
        with path.open("wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=shown) from exc


def _replace_atomically(path: Path, data: bytes, shown: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=shown) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _output_mode(path))
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write: {exc.strerror}", path=shown) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _output_mode(path: Path) -> int:
    """The mode a plain ``open()`` would give: an existing file's, else 0666 less the umask
    (mkstemp's 0600 would make translated files private by accident)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
