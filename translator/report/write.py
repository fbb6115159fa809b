"""Writing review reports: the format follows each path's suffix (``.json`` or ``.html``).

``write_report_files`` is the core, for anything holding ``ReportDocument``s; ``write_reports``
builds them from a ``translate`` or ``check`` run. Each file is written atomically, so an
interrupted run never leaves half a report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import ConfigError
from ..quality.summary import summarize
from ..redact import redact
from ..writes import write_output
from .html_report import render_html
from .json_report import render_json
from .model import ReportDocument, ReportMeta, documents_from_results, report_meta

RENDERERS: dict[str, Callable[[ReportMeta, list[ReportDocument]], str]] = {
    ".json": render_json,
    ".html": render_html,
    ".htm": render_html,
}


def check_report_paths(paths: Iterable[str]) -> None:
    """Fail before any work when a report path has a suffix no writer knows."""
    for path in paths:
        if Path(path).suffix.lower() not in RENDERERS:
            raise ConfigError(f"--report: '{path}' must end in .json or .html")


def write_report_files(documents: list[ReportDocument], paths: Sequence[str], meta: ReportMeta) -> None:
    check_report_paths(paths)
    for path in paths:
        text = RENDERERS[Path(path).suffix.lower()](meta, documents)
        write_output(path, redact(text).encode("utf-8"))


def write_reports(run: Any, paths: Sequence[str], settings: Settings) -> None:
    """Reports of a ``TranslateRun`` (or ``check``'s ``CheckRun``): one section per document
    translated; failed sources are left out. Only the run's languages are read from ``settings``."""
    summary = summarize(run)
    stats = getattr(run, "stats", None)
    meta = report_meta(
        getattr(run, "signature", None),
        summary.signatures,
        {name: getattr(stats, name) for name in stats.__dataclass_fields__} if stats is not None else None,
        source_lang=settings.source,
        target_lang=settings.target,
    )
    meta = replace(meta, costs=[{"role": role, **figures.as_dict()} for role, figures in getattr(run, "costs", [])])
    documents = []
    for outcome in run.outcomes:  # a released result left its section behind (JobOutcome.report)
        if outcome.result is not None:
            documents += documents_from_results([outcome.result], meta.source_lang, meta.target_lang)
        elif getattr(outcome, "report", None) is not None:
            documents.append(outcome.report)
    write_report_files(documents, paths, meta)
