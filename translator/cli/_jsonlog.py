"""``--log-format json``: one JSON object per line on stderr, for cron jobs and CI.

Each document gives one ``{"event": "document", …}`` line as it finishes; the run ends with one
``{"event": "summary", …}`` line holding the totals, what was sent and its estimated cost, the
verdict counts and the exit code — also when the run stops early (a quota, a budget).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

from ..redact import redact
from ..runs.cost import CostFigures
from ..runs.translate import JobOutcome, TranslateRun


def emit(record: dict[str, Any]) -> None:
    click.echo(redact(json.dumps(record, ensure_ascii=False, sort_keys=True)), err=True)


def _status(outcome: JobOutcome, dry_run: bool) -> str:
    if outcome.error is not None:
        return "failed"
    if dry_run:
        return "planned"
    return "kept" if outcome.kept else "written"  # kept: edited by hand since written (runs.manifest)


def document_record(outcome: JobOutcome, dry_run: bool) -> dict[str, Any]:
    record: dict[str, Any] = {
        "event": "document",
        "source": outcome.job.source,
        "destination": None if dry_run else outcome.job.destination,
        "status": _status(outcome, dry_run),
    }
    if outcome.error is not None:
        record["errors"] = str(outcome.error).splitlines()
    if outcome.result is not None:
        stats = outcome.result.stats
        record.update(
            segments=stats.segments,
            translated=stats.translated,
            memory_hits=stats.memory_hits,
            requests=stats.requests,
            characters=stats.characters_sent,
            context_characters=stats.context_characters,
        )
        verdicts: dict[str, int] = {}
        for translation in outcome.result.translations.values():
            if translation.verdict:
                verdicts[translation.verdict] = verdicts.get(translation.verdict, 0) + 1
        if verdicts:
            record["verdicts"] = verdicts
        if outcome.result.document.warnings:  # about the written file (subtitle reading speed, …)
            record["warnings"] = [
                {"line": line, "message": message} for line, message in outcome.result.document.warnings
            ]
    return record


def summary_record(
    run: TranslateRun | None, costs: Sequence[tuple[str, CostFigures]], exit_code: int, error: str | None = None
) -> dict[str, Any]:
    record: dict[str, Any] = {"event": "summary", "exit_code": exit_code}
    if run is not None:
        record.update(
            documents=len(run.outcomes),
            failed=len(run.failed),
            dry_run=run.dry_run,
            stats={name: getattr(run.stats, name) for name in run.stats.__dataclass_fields__},
        )
    record["costs"] = [{"role": role, **figures.as_dict()} for role, figures in costs]
    if error is not None:
        record["error"] = error
    return record
