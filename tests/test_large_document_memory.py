"""One very large document: what a run holds per segment, and what it lets go before the checks.

The document-wide checks are where a run holds the most (every segment, its translation and its
findings at once), so what only the forward pass needs must be gone by then, and the per-segment
objects must be small (``bench/throughput.py --rss``, case (c), measures the whole)."""

from __future__ import annotations

import asyncio
import gc

import pytest

from translator import pipeline
from translator.config import load_settings
from translator.formats.markdown import _Slot
from translator.glossary.enforce import build_glossary_stage
from translator.glossary.matcher import Match
from translator.glossary.model import Entry
from translator.quality.stage import DocumentChecks
from translator.runs.roundtrip import PipelineBackTranslator
from translator.runs.translate import TranslateOptions, translate_sources
from translator.types import Segment, Span, Translation


@pytest.mark.parametrize(
    "instance",
    [
        Segment("s1", "paragraph", "text"),
        Translation("s1", "テキスト"),
        Span("c1", "code", "`x`"),
        _Slot(segment=0, start=0, end=4, block_end=4, prefix="", next_blank=True),
        Match(0, 9, Entry(term="SageMaker"), "SageMaker"),
    ],
    ids=["Segment", "Translation", "Span", "markdown slot", "glossary match"],
)
def test_per_segment_objects_have_no_attribute_dict(instance: object) -> None:
    # A document holds one of each per segment; a per-object __dict__ costs about 100 bytes each.
    assert not hasattr(instance, "__dict__")
    with pytest.raises((AttributeError, TypeError)):
        instance.stray = 1  # type: ignore[attr-defined]


def test_a_segment_still_takes_the_glossary_cache_and_copies_with_replace() -> None:
    from dataclasses import replace

    segment = Segment("s1", "paragraph", "Amazon S3")
    segment.glossary_terms = "found"  # the one attribute the stages set after reading
    copy = replace(segment, text="<x id='t1'/>")
    assert (copy.id, copy.kind, copy.glossary_terms) == ("s1", "paragraph", "found")


def test_the_forward_pass_and_the_readers_segments_are_released_before_the_document_wide_checks(
    cli_env, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = cli_env.tmp / "lesson.md"
    paragraphs = [f"Amazon SageMaker trains the model on data in Amazon S3, part {n}." for n in range(30)]
    source.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    seen: dict[str, object] = {}
    finish = DocumentChecks.finish

    async def finish_and_look(self: DocumentChecks, translations: dict[str, Translation]) -> None:
        if self.document.source == str(source):
            gc.collect()
            live = gc.get_objects()
            # The plan of the forward pass (each text's place, line, context)...
            seen["plans"] = [o for o in live if isinstance(o, pipeline._Plan) and o.source == str(source)]
            # ...and the reader's segments the glossary replaced by protected copies.
            seen["unprotected"] = [o for o in live if isinstance(o, Segment) and "Amazon SageMaker trains" in o.text]
            seen["protected"] = sum(1 for s in self.document.segments if "<x " in s.text)
        await finish(self, translations)

    monkeypatch.setattr(DocumentChecks, "finish", finish_and_look)
    settings = load_settings(env=cli_env.env, config_file=cli_env.config, backend="pseudo", cache=False)
    options = TranslateOptions(output=str(cli_env.tmp / "out.md"), glossary=build_glossary_stage(settings, []))
    run = translate_sources([str(source)], settings, options)

    assert not run.failed
    assert seen["protected"] == 30  # the glossary did replace every segment
    assert seen["plans"] == []
    assert seen["unprotected"] == []


def test_back_translation_groups_are_prepared_only_as_many_at_once_as_allowed(monkeypatch) -> None:
    inside = 0
    most = 0

    async def back_translate(self, items):
        nonlocal inside, most
        inside += 1
        most = max(most, inside)
        await asyncio.sleep(0.001)
        inside -= 1
        return {}, 0

    monkeypatch.setattr(PipelineBackTranslator, "_back_translate", back_translate)
    translator = PipelineBackTranslator(stack=None, source_lang="en", target_lang="ja", at_once=3)  # type: ignore[arg-type]

    async def many_groups() -> None:
        await asyncio.gather(*(translator([]) for _ in range(20)))

    asyncio.run(many_groups())
    assert most == 3


def test_one_message_string_per_missing_glossary_term_shared_by_its_findings(cli_env) -> None:
    settings = load_settings(env=cli_env.env, config_file=cli_env.config)
    stage = build_glossary_stage(settings, [])
    findings = []
    for number in range(3):
        segment = stage.protect(Segment(f"s{number}", "paragraph", f"The training job runs, part {number}."))
        checked = stage.check(segment, Translation(segment.id, f"ジョブが動きます ({number})"))
        findings += [f for f in checked.findings if f.check == "glossary.missing"]

    assert len(findings) == 3
    assert findings[0].message.startswith("'training job' should be rendered ")
    assert all(f.message is findings[0].message for f in findings)


def test_the_glossary_matches_left_on_a_segment_keep_no_copy_of_its_tokens(cli_env) -> None:
    from translator import markup
    from translator.glossary.matcher import RunMatches

    settings = load_settings(env=cli_env.env, config_file=cli_env.config)
    stage = build_glossary_stage(settings, [])
    segment = stage.protect(Segment("s1", "paragraph", "Amazon SageMaker runs the training job on <g id='1'>Spot</g>."))
    terms = segment.glossary_terms

    # What it holds: the text, the matcher, matches; no token objects (a second copy of the text).
    held, stack = [], [terms]
    while stack:
        item = stack.pop()
        for referent in gc.get_referents(item):
            if referent is not terms.matcher and not isinstance(referent, type):
                held.append(referent)
                if isinstance(referent, tuple | list | dict | RunMatches):
                    stack.append(referent)
    assert not any(isinstance(o, markup.Token | RunMatches) for o in held)
    # What it gives: every token of the protected text, the matches where they were found.
    assert [run.token for run in terms.runs] == list(markup.tokens(segment.text))
    assert [m.surface for m in terms.matches] == ["training job"]
    assert "<x " in segment.text  # "Amazon SageMaker" is kept as a code


def test_a_run_collects_cyclic_garbage_less_often_and_gives_the_thresholds_back(cli_env) -> None:
    # With Python's thresholds a large document set off full collections that each walked every
    # object it held, on the event loop; the run's own are restored once it ends.
    from translator.collector import RUN_GC_THRESHOLDS

    source = cli_env.tmp / "lesson.md"
    source.write_text("# Lesson\n\nDeploy the model.\n", encoding="utf-8")
    during: list[tuple[int, int, int]] = []
    settings = load_settings(env=cli_env.env, config_file=cli_env.config, backend="pseudo", cache=False)
    options = TranslateOptions(
        output=str(cli_env.tmp / "out.md"), on_job_start=lambda job, count: during.append(gc.get_threshold())
    )
    before = gc.get_threshold()
    gc.set_threshold(900, 11, 12)
    try:
        run = translate_sources([str(source)], settings, options)
        assert gc.get_threshold() == (900, 11, 12)
    finally:
        gc.set_threshold(*before)
    assert not run.failed
    assert during == [RUN_GC_THRESHOLDS]
    assert RUN_GC_THRESHOLDS[0] > 700
