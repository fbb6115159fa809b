"""The JSON review report, schema ``translator.report/1`` (``schema-v1.json`` beside this file).

One object per run: ``run`` (tool version, creation time, backend, languages, glossary hash,
sacrebleu signature strings, counts), ``documents`` (source, format, verdict counts, the
document-level score) and their ``segments`` (texts as a reader sees them, back-translation,
scores, rule hits, glossary findings, verdict, origin, ``--fix`` alternatives). Fields are only
ever added within a schema version; renaming or removing one makes a new version.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from .model import ReportDocument, ReportMeta, ReportSegment, finding_dict

SCHEMA = "translator.report/1"
SCHEMA_FILE = "schema-v1.json"


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every report of this version validates against."""
    return json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def report_data(meta: ReportMeta, documents: list[ReportDocument]) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "run": {
            "tool_version": meta.tool_version,
            "created": meta.created,
            "backend": meta.backend,
            "backend_options": meta.backend_options,
            "source_lang": meta.source_lang,
            "target_lang": meta.target_lang,
            "glossary_hash": meta.glossary_hash,
            "signatures": meta.signatures,
            "stats": meta.stats,
            "costs": meta.costs,
        },
        "documents": [_document(d) for d in documents],
    }


def render_json(meta: ReportMeta, documents: list[ReportDocument]) -> str:
    return json.dumps(report_data(meta, documents), ensure_ascii=False, indent=1) + "\n"


def _document(document: ReportDocument) -> dict[str, Any]:
    return {
        "source": document.source,
        "format": document.format,
        "source_lang": document.source_lang,
        "target_lang": document.target_lang,
        "verdicts": document.verdicts,
        "metric": document.metric,
        "score": document.score,
        "scores": document.scores,
        "signatures": document.signatures,
        "back_translation": document.back_translation,
        "thresholds": document.thresholds,
        "skipped": document.skipped,
        "judges": document.judges,
        "segments": [_segment(s) for s in document.segments],
    }


def _segment(segment: ReportSegment) -> dict[str, Any]:
    findings = [finding_dict(f) for f in segment.findings]
    return {
        "id": segment.id,
        "kind": segment.kind,
        "line": segment.line,
        "source": segment.source,
        "translation": segment.translation,
        "back_translation": segment.back_translation,
        "scores": segment.scores,
        "verdict": segment.verdict,
        "origin": segment.origin,
        "rule_hits": [f for f in findings if f["check"].startswith("rule.")],
        "glossary_findings": [f for f in findings if f["check"].startswith("glossary.")],
        "other_findings": [f for f in findings if not f["check"].startswith(("rule.", "glossary."))],
        "alternatives": segment.alternatives,
    }
