"""Review reports of a run: JSON (schema ``translator.report/1``) and one self-contained HTML page.

``write_reports(run, paths, settings)`` is what ``translate --report`` and ``check --report``
call; ``write_report_files(documents, paths, meta)`` is the core for other callers. ``model``
turns results into plain report data, ``json_report`` and ``html_report`` render it,
``highlight`` places findings in the translation, ``histogram`` draws the score chart.
"""

from .html_report import render_html
from .json_report import SCHEMA, load_schema, render_json
from .model import (
    ReportDocument,
    ReportMeta,
    ReportSegment,
    documents_from_results,
    report_meta,
)
from .write import check_report_paths, write_report_files, write_reports

__all__ = [
    "SCHEMA",
    "ReportDocument",
    "ReportMeta",
    "ReportSegment",
    "check_report_paths",
    "documents_from_results",
    "load_schema",
    "render_html",
    "render_json",
    "report_meta",
    "write_report_files",
    "write_reports",
]
