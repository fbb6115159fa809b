"""How the HTML review report behaves in a browser as it grows: 10,000 segments against 1,000.

Generates both reports in one run, opens each in headless Chromium (Debian's ``/usr/bin/chromium``
driven by Playwright) and prints, side by side with the ratio large/small:

* build: seconds to render the page in Python;
* first render: from navigation until the first rows are visible on screen;
* filter: from unticking "ok" and "review" until the page has been laid out and painted again;
* sort: the same for "score, worst first".

Usage: ``python bench/report_render.py [--quick] [--keep DIR]``. ``--quick`` uses 100 and 1,000
segments and one repetition (a smoke run); otherwise the median of three repetitions is shown.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
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

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SAMPLE = [
    (
        "You can change the settings of the training job at any time.",
        "あなたはいつでもトレーニングジョブの設定を変更することができます。",
        "review",
    ),
    (
        "Inference runs on a real-time endpoint that SageMaker manages.",
        "インファレンスは SageMaker が管理するリアルタイムエンドポイントで実行されます。",
        "literal",
    ),
    ("Choose Create to start the job.", "[作成] を選択してジョブを開始します。", "ok"),
    (
        "The model artifacts are stored in the S3 bucket that you specify.",
        "モデルアーティファクトは、指定した S3 バケットに保存されます。",
        "ok",
    ),
]


def build_run(count: int) -> TranslateRun:
    """A checked run of ``count`` segments with varied verdicts, scores and findings."""
    segments, translations = [], {}
    for index in range(count):
        english, japanese, verdict = SAMPLE[index % len(SAMPLE)]
        seg_id = f"s{index + 1}"
        text, spans = tagged(f"{english} ({index + 1})")
        findings = []
        if verdict != "ok":
            findings.append(
                Finding(
                    seg_id,
                    "rule.ja.example",
                    "functional",
                    "An explanation shown on hover.",
                    found=japanese[:3],
                    span=(0, 3),
                )
            )
        segments.append(Segment(seg_id, "paragraph", text, spans, line=index + 1))
        translations[seg_id] = Translation(
            seg_id,
            tagged(japanese)[0],
            back_translation=text,
            scores={"chrf": float((index * 37) % 101)},
            findings=findings,
            verdict=verdict,
        )
    document = Document(f"bench-{count}.md", "markdown", segments)
    document.quality = DocumentQuality(
        source=document.source,
        metric="chrf",
        metrics=("chrf",),
        scores={"chrf": 50.0},
        signatures={"chrf.sentence": "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0"},
        verdicts=verdict_counts(translations.values()),
        cost=BackTranslationCost("all", segments=count),
        thresholds=Thresholds(),
        style="aws",
    )
    result = DocumentResult(document, translations, DocumentStats(segments=count))
    run = TranslateRun(signature=RunSignature("pseudo", "en", "ja"))
    run.outcomes.append(JobOutcome(Job(document.source, None, "markdown"), result))
    return run


FILTER = """async () => {
  const settle = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const start = performance.now();
  for (const value of ["ok", "review"]) document.querySelector(`input[value=${value}]`).click();
  document.querySelector(".row.v-literal").getBoundingClientRect();
  await settle();
  return performance.now() - start;
}"""
SORT = """async () => {
  const settle = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const start = performance.now();
  const sort = document.getElementById("sort");
  sort.value = "asc";
  sort.dispatchEvent(new Event("change"));
  document.querySelector(".row[data-i]").getBoundingClientRect();
  await settle();
  return performance.now() - start;
}"""


def measure(browser, path: Path) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_selector(".row[data-i]", state="visible")
    first = time.perf_counter() - start
    page.wait_for_load_state("load")
    loaded = time.perf_counter() - start
    numbers = {"first render": first, "load": loaded, "filter": page.evaluate(FILTER) / 1000}
    page.evaluate("() => document.querySelectorAll('input[name=verdict]').forEach(b => b.checked || b.click())")
    numbers["sort"] = page.evaluate(SORT) / 1000
    page.close()
    return numbers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 segments, one repetition")
    parser.add_argument("--keep", type=Path, default=None, help="write the reports into this folder")
    args = parser.parse_args()
    small, large = (100, 1_000) if args.quick else (1_000, 10_000)
    repetitions = 1 if args.quick else 3

    from playwright.sync_api import sync_playwright

    folder = args.keep or Path(tempfile.mkdtemp(prefix="report-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, float]] = {}
    paths: dict[int, Path] = {}
    for count in (small, large):
        run = build_run(count)
        paths[count] = folder / f"report-{count}.html"
        start = time.perf_counter()
        write_reports(run, [str(paths[count])], Settings())
        results[count] = {"build": time.perf_counter() - start}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for count in (small, large):
            runs = [measure(browser, paths[count]) for _ in range(repetitions)]
            for name in runs[0]:
                results[count][name] = statistics.median(r[name] for r in runs)
        browser.close()

    print(f"HTML report in headless Chromium ({'median of 3' if repetitions > 1 else 'one run'}, seconds)")
    print(f"{'':14}{small:>12,}{large:>12,}{'ratio':>9}")
    size = {c: paths[c].stat().st_size / 1e6 for c in (small, large)}
    print(f"{'size (MB)':14}{size[small]:>12.2f}{size[large]:>12.2f}{size[large] / size[small]:>9.1f}")
    for name in ("build", "first render", "load", "filter", "sort"):
        a, b = results[small][name], results[large][name]
        print(f"{name:14}{a:>12.3f}{b:>12.3f}{b / a if a else float('nan'):>9.1f}")
    if args.keep:
        print(f"reports kept in {folder}")


if __name__ == "__main__":
    main()
