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


# -- the document-wide checks: what waits for a document's end is compact -----------------------

# chrF statistics of a sentence: hypothesis, reference and matching n-grams of orders 1 to 6.
CHRF_A = [109, 101, 101, 108, 100, 98, 107, 99, 97, 106, 98, 96, 105, 97, 95, 104, 96, 94]
CHRF_B = [40, 52, 30, 39, 51, 25, 38, 50, 20, 37, 49, 16, 36, 48, 12, 35, 47, 9]


@pytest.mark.parametrize(
    "statistics",
    [
        [{"chrf": CHRF_A}],  # one sentence: sacrebleu returns its list as it is
        [{"chrf": CHRF_A}, {"chrf": CHRF_B, "ter": [2.0, 9.0]}, {"chrf": [0] * 18, "ter": [1.0, 3.5]}],
        [{"bleu": [7, 9, 3, 2, 1, 0, 6, 5, 4, 3]}, {"bleu": [1, 2, 1, 1, 0, 0, 2, 1, 0, 0]}],
    ],
    ids=["one sentence", "metrics missing from some", "bleu"],
)
def test_pooled_statistics_give_the_corpus_score_of_the_kept_lists(statistics) -> None:
    from sacrebleu.utils import sum_of_lists

    from translator.quality.scores import PooledStatistics, Scorer

    pool = PooledStatistics()
    for found in statistics:
        pool.add(found)
    for name in ("chrf", "ter", "bleu"):
        lists = [found[name] for found in statistics if name in found]
        if lists:
            expected = sum_of_lists(lists)
            assert pool.totals[name] == expected
            assert [type(v) for v in pool.totals[name]] == [type(v) for v in expected]
        else:
            assert name not in pool.totals
    scorer = Scorer(("chrf", "bleu", "ter"))
    assert scorer.corpus_of(pool) == scorer.corpus_from(statistics)


def test_worker_scores_are_held_compact_and_read_back_as_they_came() -> None:
    from translator.quality.offload import HeldScores, unpacked
    from translator.types import Finding

    finding = Finding("s2", "rule.ja.length", "cosmetic", "too short")
    results = [
        (
            [],
            {"chrf": 97.5, "bleu": 80.1},
            {"chrf": [109, 101, 2**40], "ter": [2.0, 7.0]},
            {"chrf.sentence": "nrefs:1"},
        ),
        ([finding], {"chrf": 12.0}, {"chrf": [1, 2, 3]}, {"chrf.sentence": "nrefs:1"}),
        ([], {}, None, {}),
    ]
    held = HeldScores().compact(results)

    for (findings, scores, statistics, signatures), (kept_findings, pairs, packed, kept_signatures) in zip(
        results, held, strict=True
    ):
        assert list(kept_findings) == findings
        assert dict(pairs) == scores and [k for k, _v in pairs] == list(scores)  # same order of keys
        back = unpacked(packed)
        assert back == statistics
        if back is not None:
            assert {k: [type(v) for v in values] for k, values in back.items()} == {
                k: [type(v) for v in values] for k, values in statistics.items()
            }
        assert kept_signatures == signatures
    assert held[0][0] == () and held[2][0] == ()  # no empty list kept per segment
    assert held[0][3] is held[1][3]  # one signatures dict for all that have the same
    assert not isinstance(held[1][2][0][1], list)  # counts as a compact array, not a list of ints


def test_the_document_rules_make_each_pair_only_when_they_read_it(cli_env, monkeypatch) -> None:
    import weakref

    from translator.quality.assess import Assessor
    from translator.quality.stage import build_assessor

    settings = load_settings(env=cli_env.env, config_file=cli_env.config)
    assessor = build_assessor(settings)
    texts = ["これはペンです。", "これは本だ。", "モデルを学習します。", "データを保存します。"] * 10
    items = [(Segment(f"s{n}", "paragraph", "text"), Translation(f"s{n}", text)) for n, text in enumerate(texts)]
    alive: list[weakref.ref] = []
    most = 0
    make_pair = Assessor.pair

    def pair(self, segment, translation, **options):  # type: ignore[no-untyped-def]
        nonlocal most
        made = make_pair(self, segment, translation, **options)
        alive.append(weakref.ref(made))
        gc.collect()
        most = max(most, sum(1 for ref in alive if ref() is not None))
        return made

    monkeypatch.setattr(Assessor, "pair", pair)
    assessor._plain.clear()
    findings = assessor.document_findings(items)

    assert [f.segment_id for f in findings] == ["s1", "s5", "s9", "s13", "s17", "s21", "s25", "s29", "s33", "s37"]
    assert most <= 2  # all 40 at once, before


def test_batches_wait_for_the_check_worker_unpacked(cli_env, monkeypatch) -> None:
    from translator.quality import offload
    from translator.quality.stage import build_assessor

    settings = load_settings(env=cli_env.env, config_file=cli_env.config)
    worker = offload.CheckOffload(build_assessor(settings))
    worker.pool = object()  # type: ignore[assignment]  # as if started; ``_call`` is replaced below
    packed = checked = most = 0
    pack = worker.pack

    def counted_pack(segment):  # type: ignore[no-untyped-def]
        nonlocal packed
        packed += 1
        return pack(segment)

    async def call(function, batch):  # type: ignore[no-untyped-def]
        nonlocal checked, most
        most = max(most, packed - checked)  # segments packed and not yet checked
        await asyncio.sleep(0.01)
        checked += len(batch)
        return [[] for _ in batch]

    monkeypatch.setattr(worker, "pack", counted_pack)
    monkeypatch.setattr(worker, "_call", call)
    batches = [
        [(Segment(f"s{b}-{n}", "paragraph", "text"), Translation(f"s{b}-{n}", "テキスト")) for n in range(5)]
        for b in range(12)
    ]

    async def every_batch() -> list:
        return await asyncio.gather(*(worker.rule_findings(batch) for batch in batches))

    results = asyncio.run(every_batch())
    assert results == [[[] for _ in batch] for batch in batches]
    assert most <= offload.IN_WORKER * 5  # all 12 batches packed at once, before


@pytest.mark.parametrize("fix", [False, True], ids=["without --fix", "with --fix"])
def test_a_segments_glossary_matches_go_once_the_worker_scored_it(cli_env, monkeypatch, fix) -> None:
    from translator.quality import offload

    monkeypatch.setenv("TRANSLATOR_CHECK_WORKER", "1")
    if not offload.cores_to_spare():
        pytest.skip("one core: the worker never starts")
    source = cli_env.tmp / "lesson.md"
    source.write_text(
        "\n\n".join(f"Amazon SageMaker runs the training job on Amazon S3 data, part {n}." for n in range(12)) + "\n",
        encoding="utf-8",
    )
    left: list[object] = []
    finish = DocumentChecks.finish

    async def finishing(self, translations):  # type: ignore[no-untyped-def]
        await finish(self, translations)
        left.extend(segment.glossary_terms for segment, _t in self.items)

    monkeypatch.setattr(DocumentChecks, "finish", finishing)
    settings = load_settings(
        env=cli_env.env, config_file=cli_env.config, backend="pseudo", cache=False, back_translate="all"
    )
    options = TranslateOptions(output=str(cli_env.tmp / "out"), glossary=build_glossary_stage(settings, []), fix=fix)
    assert not translate_sources([str(source)], settings, options).failed

    assert len(left) == 12
    if fix:  # its second candidates are checked against the same matches
        assert all(terms is not None for terms in left)
    else:
        assert all(terms is None for terms in left)
