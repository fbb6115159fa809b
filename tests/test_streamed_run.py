"""A run releases each document once it is written: what the summary and the reports need is kept
in compact records, and they say exactly what they said when every result was held."""

from __future__ import annotations

import json
from pathlib import Path

from translator.config import load_settings
from translator.quality.summary import summarize, worst_segments
from translator.runs.translate import TranslateOptions, translate_sources


def course(tmp: Path) -> Path:
    folder = tmp / "course"
    folder.mkdir()
    for index in range(3):
        paragraphs = [
            f"Lesson {index}: Amazon SageMaker trains the model on data in Amazon S3, part {n}." for n in range(6)
        ]
        (folder / f"lesson-{index}.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return folder


def run_course(cli_env, folder: Path, name: str, *, keep_results: bool):
    settings = load_settings(
        env=cli_env.env, config_file=cli_env.config, backend="pseudo", back_translate="all", cache=False
    )
    report = cli_env.tmp / f"{name}.json"
    options = TranslateOptions(output=str(cli_env.tmp / name), reports=[str(report)], keep_results=keep_results)
    run = translate_sources([str(folder)], settings, options)
    data = json.loads(report.read_text(encoding="utf-8"))
    data["run"].pop("created", None)
    return run, data


def test_a_run_that_releases_its_documents_reports_and_ranks_as_one_that_keeps_them(cli_env) -> None:
    folder = course(cli_env.tmp)
    kept, kept_report = run_course(cli_env, folder, "kept", keep_results=True)
    released, released_report = run_course(cli_env, folder, "released", keep_results=False)

    assert all(o.result is not None for o in kept.outcomes)
    assert [o.done for o in released.outcomes] == [True, True, True]
    assert all(o.result is None for o in released.outcomes)  # written, then let go
    assert not released.failed

    assert released_report == kept_report
    assert summarize(released).verdicts == summarize(kept).verdicts
    assert sum(summarize(released).verdicts.values()) == 18
    worst_kept = [(r.source, r.segment_id, r.source_text) for r in worst_segments(kept)]
    worst_released = [(r.source, r.segment_id, r.source_text) for r in worst_segments(released)]
    assert worst_released == worst_kept
    for name in ("kept", "released"):
        assert sorted(p.name for p in (cli_env.tmp / name).glob("*.md")) == [
            "lesson-0.md",
            "lesson-1.md",
            "lesson-2.md",
        ]


def test_the_worst_segments_are_the_first_of_a_full_sort(cli_env) -> None:
    """The bounded heap keeps what sorting every segment would show first, ties in document order."""
    folder = course(cli_env.tmp)
    run, _report = run_course(cli_env, folder, "kept", keep_results=True)
    from translator.quality.summary import WorstSegments

    everything = WorstSegments(limit=10_000)
    for outcome in run.outcomes:
        everything.add(outcome.result.document, outcome.result.translations)
    full = [(r.source, r.segment_id) for r in everything.top()]
    assert len(full) > 3
    assert [(r.source, r.segment_id) for r in worst_segments(run, limit=3)] == full[:3]
