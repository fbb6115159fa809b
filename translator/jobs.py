"""Job planning: which sources a run reads (files, folders, stdin, URLs) and where each output goes.

An input is resolved into ``Job``s (one source, one destination, one format). A folder gives a
mirrored output folder. Reading a source is ``translator.formats.io``; writing an output safely is
``translator.writes``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, OutputError
from .formats import format_name_for, supported_suffixes
from .writes import STDIO, refuse_inputs_as_outputs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    source: str  # a path, a URL or "-"
    destination: str | None  # a path, "-" for stdout, None for "next to the source"
    format: str
    chosen_destination: bool = True  # False when derived from the source's name (may change suffix)


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def default_destination(source: Path, target_lang: str) -> Path:
    """``page.md`` → ``page.ja.md``: next to the source, easy to compare side by side."""
    return source.with_name(f"{source.stem}.{target_lang}{source.suffix}")


# Folders a course repository carries that are never course material (and can be huge).
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})


def plan_all(
    sources: list[str],
    output: str | None,
    *,
    target_lang: str,
    forced_format: str | None,
    follow_links: bool = False,
) -> list[Job]:
    """Jobs for every source. With several sources, ``-o`` names the folder they all go to. Two
    sources that would write the same output, or an output that is one of the inputs, are refused
    before any work."""
    if len(sources) > 1 and output == STDIO:
        raise OutputError("several sources cannot all go to stdout; give -o FOLDER")
    shared = output if len(sources) > 1 else None  # the folder several sources all go to
    if shared is not None and Path(shared).exists() and not Path(shared).is_dir():
        raise OutputError("with several sources, -o must be a folder", path=shared)
    jobs: list[Job] = []
    seen: set[tuple[str, str | None]] = set()
    for source in sources:
        this_output = output
        if shared is not None and Path(source).is_dir():  # each folder gets its own subfolder of -o
            this_output = str(Path(shared) / Path(source).resolve().name)
        elif shared is not None:
            this_output = shared.rstrip("/") + "/"
        planned = plan_jobs(
            source, this_output, target_lang=target_lang, forced_format=forced_format, follow_links=follow_links
        )
        for job in planned:
            key = (
                str(Path(job.source).resolve()) if not is_url(job.source) and job.source != STDIO else job.source,
                job.destination,
            )
            if key not in seen:  # the same file named twice is translated once
                seen.add(key)
                jobs.append(job)
    _refuse_collisions(jobs)
    return jobs


def _refuse_collisions(jobs: list[Job]) -> None:
    writers: dict[str, Job] = {}
    for job in jobs:
        if job.destination in (None, STDIO):
            continue
        where = str(Path(job.destination).resolve())
        if where in writers and writers[where].source != job.source:
            raise OutputError(
                f"{writers[where].source} and {job.source} would both be written to {job.destination}; "
                "translate them into different folders (or rename one)",
            )
        writers[where] = job
    refuse_inputs_as_outputs(writers, [job.source for job in jobs if not is_url(job.source) and job.source != STDIO])


def plan_jobs(
    source: str, output: str | None, *, target_lang: str, forced_format: str | None, follow_links: bool = False
) -> list[Job]:
    """Jobs for one source. ``output`` is a file, ``-``, or a folder (an existing one, or any
    path ending in ``/``), which then receives the default name."""
    if source == STDIO:
        if forced_format is None:
            raise InputError("reading stdin needs --format (text, markdown, html, srt, vtt, …)")
        return [Job(STDIO, output or STDIO, format_name_for(source, forced_format))]
    if is_url(source):
        return [Job(source, output or STDIO, forced_format or "markdown")]
    path = Path(source)
    if path.is_dir():
        folder = path.resolve()  # "." has no name to derive "FOLDER.<lang>" from
        return _folder_jobs(
            folder, output, target_lang=target_lang, forced_format=forced_format, follow_links=follow_links
        )
    if not path.exists():
        raise InputError("no such file or folder", path=source)
    fmt = format_name_for(source, forced_format)
    if output is not None and output != STDIO and _is_folder(output):
        return [
            Job(source, str(Path(output) / default_destination(path, target_lang).name), fmt, chosen_destination=False)
        ]
    destination = output or str(default_destination(path, target_lang))
    if destination != STDIO and Path(destination).resolve() == path.resolve():
        raise OutputError("the output would overwrite the source; give another -o", path=destination)
    return [Job(source, destination, fmt, chosen_destination=output is not None)]


def _is_folder(output: str) -> bool:
    return output.endswith(("/", "\\")) or Path(output).is_dir()


def _folder_jobs(
    folder: Path, output: str | None, *, target_lang: str, forced_format: str | None, follow_links: bool
) -> list[Job]:
    if output is None:
        output_root = folder.with_name(f"{folder.name}.{target_lang}")
    elif output == STDIO:
        raise OutputError("a folder cannot be written to stdout; give -o FOLDER")
    else:
        output_root = Path(output)
    if output_root.exists() and not output_root.is_dir():
        raise OutputError("output for a folder must be a folder", path=str(output_root))
    output_resolved = output_root.resolve()
    suffixes = supported_suffixes()
    jobs: list[Job] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or _skipped(relative, target_lang):
            continue
        if output_resolved == path.resolve().parent or output_resolved in path.resolve().parents:
            continue  # an earlier run's output inside the input folder
        if not follow_links and not path.resolve().is_relative_to(folder):
            log.warning("skipped %s: a link to a file outside %s (--follow-links reads it)", path, folder)
            continue
        if forced_format is None and path.suffix.lower() not in suffixes:
            continue
        fmt = format_name_for(str(path), forced_format)
        jobs.append(Job(str(path), str(output_root / relative), fmt, chosen_destination=False))
    if not jobs:
        raise InputError("no files of a known format in this folder", path=str(folder))
    return jobs


def _skipped(relative: Path, target_lang: str) -> bool:
    """Hidden files and folders (.git, .venv), tool folders, and this tool's own outputs
    (``page.ja.md`` beside ``page.md``) are not course material."""
    if any(part.startswith(".") or part in SKIPPED_FOLDERS for part in relative.parts):
        return True
    return relative.stem.endswith(f".{target_lang}")
