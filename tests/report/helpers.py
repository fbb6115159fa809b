"""Runs built directly from result objects, with chosen verdicts, scores and findings."""

from __future__ import annotations

from pathlib import Path

from translator.config import Settings
from translator.jobs import Job
from translator.pipeline import DocumentResult, DocumentStats
from translator.quality.backtranslate import BackTranslationCost
from translator.quality.summary import DocumentQuality, verdict_counts
from translator.quality.verdict import Thresholds
from translator.report import write_reports
from translator.runs.translate import JobOutcome, TranslateRun
from translator.segmenter import tagged
from translator.types import Document, Finding, RunSignature, Segment, Translation

SIGNATURE = RunSignature("pseudo", "en", "ja", "pseudo", "abc123", "0.1.0")
CHRF_SIGNATURE = "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0"

# (source, translation, back-translation, verdict, chrF, findings)
ROWS = [
    ("Open the console.", "コンソールを開きます。", "Open the console.", "ok", 100.0, []),
    ("Choose Create.", "[作成] を選択します。", "Choose Create.", "ok", 81.0, []),
    ("Stop the job.", "ジョブを停止します。", "Stop the job.", "ok", 92.5, []),
    (
        "You can change your settings.",
        "あなたはあなたの設定を変更することができます。",
        "You can change your settings.",
        "review",
        60.0,
        [
            Finding(
                "",
                "rule.ja.anata",
                "functional",
                "Generic 'you' is usually left out in Japanese.",
                found="あなた",
                span=(0, 3),
            )
        ],
    ),
    (
        "Inference runs on the endpoint.",
        "インファレンスはエンドポイントで実行されます。",
        "Inference runs at the endpoint.",
        "review",
        55.0,
        [
            Finding(
                "",
                "glossary.forbidden",
                "functional",
                "'inference' must not be rendered インファレンス",
                expected="推論",
                found="インファレンス",
            )
        ],
    ),
    (
        "Use 5 GB of storage.",
        "7 GB のストレージを使用します。",
        "Use 7 GB of storage.",
        "literal",
        20.0,
        [
            Finding(
                "",
                "rule.ja.numbers",
                "critical",
                "A number differs from the source.",
                expected="5",
                found="7",
                span=(0, 1),
            )
        ],
    ),
]


def make_result(rows=ROWS, source: str = "guide.md", checked: bool = True) -> DocumentResult:
    segments: list[Segment] = []
    translations: dict[str, Translation] = {}
    for index, (en, ja, back, verdict, score, findings) in enumerate(rows, start=1):
        seg_id = f"s{index}"
        text, spans = tagged(en)
        target, target_spans = tagged(ja, "t")
        segments.append(Segment(seg_id, "paragraph", text, {**spans, **target_spans}, line=index * 2 - 1))
        translations[seg_id] = Translation(
            seg_id,
            target,
            back_translation=tagged(back)[0] if checked else None,
            scores={"chrf": score} if checked else {},
            findings=[
                Finding(seg_id, f.check, f.severity, f.message, f.expected, f.found, f.repaired, f.span)
                for f in findings
            ]
            if checked
            else [],
            verdict=verdict if checked else None,
        )
    document = Document(source, "markdown", segments)
    if checked:
        document.quality = DocumentQuality(
            source=source,
            metric="chrf",
            metrics=("chrf",),
            scores={"chrf": 71.3},
            signatures={"chrf.sentence": CHRF_SIGNATURE, "chrf.corpus": CHRF_SIGNATURE},
            verdicts=verdict_counts(translations.values()),
            cost=BackTranslationCost("all", all=200, suspect=80, sent=200, segments=len(rows)),
            thresholds=Thresholds(),
            style="aws",
        )
    return DocumentResult(document, translations, DocumentStats(segments=len(rows), translated=len(rows)))


def make_run(*results: DocumentResult) -> TranslateRun:
    run = TranslateRun(signature=SIGNATURE)
    for result in results or (make_result(),):
        run.outcomes.append(JobOutcome(Job(result.document.source, "out.md", "markdown"), result))
        run.stats.add(result.stats)
    return run


def write_html(folder: Path, rows=ROWS, name: str = "report.html") -> Path:
    path = folder / name
    write_reports(make_run(make_result(rows)), [str(path)], Settings())
    return path
