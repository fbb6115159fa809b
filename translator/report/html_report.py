"""The HTML review page: one self-contained file a learner opens in a browser.

Per segment one row: the English, the translation (rule hits and glossary findings marked, the
explanation on hover and listed below, each named in plain words with its check id beside it,
smaller), the back-translation, the verdict and a score bar. The
rows of one practice question (stem, lettered options, explanation) form one group headed by
the question's answer, with each option marked as an answer or not. Rows
are rendered here rather than by script, so the page reads even with scripts off; the inline
script only filters by verdict (one class on ``<main>`` per hidden verdict) and sorts by score.
Rows use ``content-visibility: auto``, so the browser lays out only the rows on screen and a
10,000-segment page stays usable (``bench/report_render.py`` measures it). No external asset of
any kind: CSS and script are inlined, fonts are the system's.
"""

from __future__ import annotations

from importlib import resources

from ..quality.finding_names import plain_name
from ..types import Finding
from .highlight import pieces
from .histogram import histogram
from .model import VERDICT_KEYS, ReportDocument, ReportMeta, ReportQuestion, ReportSegment
from .template import Safe, escape, fill, join

VERDICT_HELP = {
    "ok": "reads as a faithful translation",
    "review": "check this one against the English",
    "literal": "probably translated word by word: read the English instead",
    "unchecked": "not checked (no verdict)",
}

PAGE = """<!doctype html>
<html lang="{source_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="translator {tool_version}">
<title>{title}</title>
<style>
{css}
</style>
</head>
<body>
<header class="top">
<h1>{title}</h1>
<p class="lede">Each row shows the English, its translation and the translation put back into English.
<b class="v-literal">literal</b>: probably translated word by word, read the English instead;
<b class="v-review">review</b>: check it against the English; <b class="v-ok">ok</b>: reads as a faithful translation.
Marked words in the translation are rule hits and glossary findings: hover over them for the reason.</p>
<dl class="run">{run}</dl>
</header>
<nav class="controls" aria-label="Filter and sort">
<span>Show:</span>
{filters}
<label>Sort: <select id="sort">
<option value="order">document order</option>
<option value="asc">score, worst first</option>
<option value="desc">score, best first</option>
</select></label>
<output id="shown">showing {total} of {total} segments</output>
</nav>
<main id="rows" data-total="{total}">
{documents}
</main>
<footer>
<p>{signature_title}</p>
<ul>{signatures}</ul>
</footer>
<script>
{script}
</script>
</body>
</html>
"""

RUN_ITEM = "<div><dt>{name}</dt><dd>{value}</dd></div>"
FILTER = (
    '<label class="chip v-{verdict}" title="{help}"><input type="checkbox" name="verdict" value="{verdict}" '
    'data-count="{count}" checked> {verdict} <span class="n">{count}</span></label>'
)
DOCUMENT = """<section class="doc" id="doc-{index}">
<header class="doc-head">
<div><h2>{source}</h2><span class="fmt">{format} · {source_lang} → {target_lang} · {segments} segments</span></div>
<ul class="counts">{counts}</ul>
{judges}{score}
</header>
<div class="table" role="table" aria-label="{source}">
<div class="row head" role="row"><div role="columnheader">segment</div><div role="columnheader">source ({source_lang})</div><div role="columnheader">translation ({target_lang})</div><div role="columnheader">back-translation ({source_lang})</div></div>
{rows}
</div>
</section>"""
COUNT = '<li class="v-{verdict}" title="{help}">{verdict} <b>{count}</b></li>'
SCORE = """<div class="docscore">round trip {metric} <b>{value}</b>
<p class="note">{scale}</p><p class="cost">{cost}</p></div>
{chart}"""
NO_SCORE = '<p class="note">{note}</p>'
JUDGES = '<p class="judges">{words}</p>'
ESTIMATE = '<span class="qe" title="{tip}">quality estimate {value}</span>'
ROW = """<div class="row v-{verdict}" role="row" id="{anchor}" data-i="{index}" data-score="{score}">
<div class="meta" role="cell"><a class="sid" href="#{anchor}">{id}</a> {line}{letter}<br><span class="badge v-{verdict}" title="{help}">{verdict}</span>{bar}</div>
<div class="src" role="cell" lang="{source_lang}">{source}</div>
<div class="tgt" role="cell" lang="{target_lang}">{translation}</div>
<div class="back" role="cell" lang="{source_lang}">{back}</div>
{why}{alternatives}</div>"""
LINE = '<span class="line">line {line}</span>'
QUESTION = """<div class="qgroup" role="rowgroup" id="{anchor}" data-i="{index}" data-score="{score}">
<div class="qhead" role="row"><span role="cell">question <b>{id}</b> {line} · answer <b class="answer">{answer}</b>{select}</span></div>
{rows}
</div>"""
SELECT = " · choose {count}"
KEPT = """<div class="row kept" role="row"><div class="meta" role="cell">{letter}</div>
<div class="src" role="cell">{source}</div><div class="tgt" role="cell"><span class="none">kept as written</span></div><div role="cell"></div></div>"""
LETTER = ' <span class="letter{correct}" title="{title}">{letter}{mark}</span>'
BAR = '<div class="bar" title="{tip}"><span style="width:{width}%"></span></div><span class="score">{text}</span>'
NOT_BACK = '<span class="none">{why}</span>'
MARK = '<mark class="hl g-{group} sev-{severity}" title="{tip}">{text}</mark>'
WHY = '<ul class="why">{items}</ul>'
WHY_ITEM = '<li class="sev-{severity}"><b class="name">{name}</b>: {message}{found}{fixed} <span class="check">{check}</span></li>'
FOUND = ' <span class="found">found: {found}</span>'
EXPECTED = " → <b>{expected}</b>"
PAIR = "{found} → <b>{expected}</b>"
FIXED = ' <span class="fixed">(fixed automatically)</span>'
ALTERNATIVES = (
    '<details class="alts"><summary>{count} candidates considered by --fix</summary><ul>{items}</ul></details>'
)
ALTERNATIVE = '<li><b>{state}</b> {origin} ({backend}), {verdict}{score}: <span lang="{target_lang}">{text}</span></li>'
SIGNATURE = "<li><code>{name}: {value}</code></li>"
SEVERITY_ORDER = ("cosmetic", "functional", "critical")


def _asset(name: str) -> Safe:
    """CSS and script shipped beside this module (trusted, inlined verbatim)."""
    return Safe(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


def render_html(meta: ReportMeta, documents: list[ReportDocument]) -> str:
    totals = dict.fromkeys(VERDICT_KEYS, 0)
    for document in documents:
        for verdict, count in document.verdicts.items():
            totals[verdict] += count
    shown = [v for v in VERDICT_KEYS if v != "unchecked" or totals[v]]
    title = "Translation review" + (f": {documents[0].source}" if len(documents) == 1 else "")
    signatures = {**meta.signatures, **{k: v for d in documents for k, v in d.signatures.items()}}
    return fill(
        PAGE,
        source_lang=meta.source_lang,
        tool_version=meta.tool_version,
        title=title,
        css=_asset("page.css"),
        run=join(fill(RUN_ITEM, name=name, value=value) for name, value in _run_items(meta) if value),
        filters=join(fill(FILTER, verdict=v, count=totals[v], help=VERDICT_HELP[v]) for v in shown),
        total=sum(totals.values()),
        documents=join(_document(index, d) for index, d in enumerate(documents, start=1)),
        signature_title="sacrebleu signatures of the scores:" if signatures else "No round-trip scores were computed.",
        signatures=join(fill(SIGNATURE, name=k, value=v) for k, v in sorted(signatures.items())),
        script=_asset("page.js"),
    )


def _run_items(meta: ReportMeta) -> list[tuple[str, str]]:
    return [
        (
            "backend",
            meta.backend + (f" ({meta.backend_options})" if meta.backend_options not in ("", meta.backend) else ""),
        ),
        ("languages", f"{meta.source_lang} → {meta.target_lang}"),
        ("created", meta.created),
        ("glossary", meta.glossary_hash[:12]),
        ("tool", f"translator {meta.tool_version}"),
    ]


def _document(index: int, document: ReportDocument) -> Safe:
    counts = document.verdicts
    return fill(
        DOCUMENT,
        index=index,
        source=document.source,
        format=document.format,
        source_lang=document.source_lang,
        target_lang=document.target_lang,
        segments=len(document.segments),
        counts=join(
            fill(COUNT, verdict=v, count=counts[v], help=VERDICT_HELP[v])
            for v in VERDICT_KEYS
            if v != "unchecked" or counts[v]
        ),
        judges=fill(JUDGES, words=document.judged_from) if document.judged_from else "",
        score=_document_score(document),
        rows=_rows(index, document),
    )


def _rows(doc_index: int, document: ReportDocument) -> Safe:
    """The document's rows in reading order; a practice question's rows (stem, options with their
    letters and whether each is an answer, explanation) as one group headed by its answer."""
    position = {s.id: i for i, s in enumerate(document.segments)}
    by_id = {s.id: s for s in document.segments}
    group_of = {seg_id: q for q in document.questions for seg_id in q.segments}
    out: list[Safe] = []
    done: set[str] = set()
    for segment in document.segments:
        if segment.id in done:
            continue
        question = group_of.get(segment.id)
        if question is None:
            out.append(_row(doc_index, position[segment.id], document, segment))
            continue
        members = [by_id[seg_id] for seg_id in question.segments if seg_id in by_id]
        done.update(question.segments)
        scores = [m.score for m in members if m.score is not None]
        rows = [
            _row(doc_index, position[seg_id], document, by_id[seg_id], question)
            if seg_id in by_id
            else fill(KEPT, letter=_letter(seg_id, question), source=question.kept[seg_id])
            for seg_id in question.segments
        ]
        out.append(
            fill(
                QUESTION,
                anchor=f"d{doc_index}-q{position[segment.id]}",
                index=position[segment.id],
                score="" if not scores else f"{min(scores):.2f}",
                id=question.id,
                line=fill(LINE, line=question.line) if question.line else "",
                answer=", ".join(question.answer) or "—",
                select=fill(SELECT, count=question.multi_select) if question.multi_select else "",
                rows=join(rows),
            )
        )
    return join(out)


def _document_score(document: ReportDocument) -> Safe:
    if document.metric is None:
        return fill(NO_SCORE, note="Not checked: no verdicts or scores (translated with --no-check).")
    scores = [s.score for s in document.segments if s.score is not None]
    if document.score is None or not scores:
        return fill(NO_SCORE, note="No segment was back-translated, so there are no round-trip scores.")
    thresholds = document.thresholds or {}
    cost = document.back_translation or {}
    return fill(
        SCORE,
        metric=document.metric,
        value=f"{document.score:.1f}",
        scale=_scale(document.metric),
        cost=f"{cost.get('segments', len(scores))} segments back-translated ({cost.get('mode', '')}), "
        f"{cost.get('sent', 0)} characters sent; all would cost {cost.get('all', 0)}",
        chart=histogram(
            scores,
            review=float(thresholds.get("review_score", 45.0)),
            literal=float(thresholds.get("literal_score", 25.0)),
            metric=document.metric,
        ),
    )


def _scale(metric: str) -> str:
    if metric == "ter":
        return "TER: edits needed to turn the back-translation into the English (lower is better; bars show 100 − TER)"
    return f"{metric}: how much of the English survives the round trip, 0–100 (higher is better)"


def _letter(seg_id: str, question: ReportQuestion | None) -> Safe | str:
    letter = question.letters.get(seg_id) if question else None
    if question is None or letter is None:
        return ""
    correct = letter in question.answer
    return fill(
        LETTER,
        correct=" correct" if correct else "",
        title="an answer" if correct else "not an answer",
        letter=letter,
        mark=" ✓" if correct else "",
    )


def _row(
    doc_index: int,
    position: int,
    document: ReportDocument,
    segment: ReportSegment,
    question: ReportQuestion | None = None,
) -> Safe:
    verdict = segment.verdict_key
    return fill(
        ROW,
        verdict=verdict,
        help=VERDICT_HELP[verdict],
        anchor=f"d{doc_index}-{segment.id}",
        index=position,
        score="" if segment.score is None else f"{segment.score:.2f}",
        id=segment.id,
        line=fill(LINE, line=segment.line) if segment.line and question is None else "",
        letter=_letter(segment.id, question),
        bar=_bar(document.metric, segment),
        source_lang=document.source_lang,
        target_lang=document.target_lang,
        source=segment.source,
        translation=_marked(segment),
        back=segment.back_translation
        if segment.back_translation is not None
        else fill(NOT_BACK, why="not back-translated" if segment.verdict else "not checked"),
        why=_why(segment),
        alternatives=_alternatives(document, segment),
    )


def _bar(metric: str | None, segment: ReportSegment) -> Safe:
    parts: list[Safe] = []
    if metric is not None and segment.score is not None:
        value = segment.scores[metric]
        text = f"{metric} {value:.1f}"
        if "semantic" in segment.scores:
            text += f" · similarity {segment.scores['semantic']:.2f}"
        parts.append(fill(BAR, tip=f"{text} — {_scale(metric)}", width=f"{segment.score:.0f}", text=text))
    estimate = segment.scores.get("qe")
    if estimate is not None:
        tip = "0–100 from the judges that scored this segment (higher is better)"
        parts.append(fill(ESTIMATE, value=f"{estimate:.0f}", tip=tip))
    return join(parts)


def _marked(segment: ReportSegment) -> Safe:
    parts = []
    for text, mark in pieces(segment.translation, segment.highlights):
        if mark is None:
            parts.append(escape(text))
            continue
        findings = [segment.findings[i] for i in mark.findings]
        group = "glossary" if any(f.check.startswith("glossary.") for f in findings) else "rule"
        severity = max((f.severity for f in findings), key=SEVERITY_ORDER.index)
        tip = "\n".join(
            f"{plain_name(f.check)}: {f.message}" + (f" → {f.expected}" if f.expected else "") + f" ({f.check})"
            for f in findings
        )
        parts.append(fill(MARK, group=group, severity=severity, tip=tip, text=text))
    return join(parts)


def _why(segment: ReportSegment) -> Safe | str:
    """The findings under the row: each check and message once, with everything it found."""
    if not segment.findings:
        return ""
    grouped: dict[tuple[str, str, str, bool], dict[str, str | None]] = {}
    for f in segment.findings:
        found = grouped.setdefault((f.severity, f.check, f.message, f.repaired), {})
        found.setdefault(f.found or "", _expected(f))
    items = (
        fill(
            WHY_ITEM,
            severity=severity,
            name=plain_name(check),
            check=check,
            message=message,
            found=_found(found),
            fixed=Safe(FIXED) if repaired else "",
        )
        for (severity, check, message, repaired), found in grouped.items()
    )
    return fill(WHY, items=join(items))


def _expected(finding: Finding) -> str | None:
    """What to show as expected: nothing once repaired, or when the message already says it."""
    if finding.repaired or not finding.expected or finding.expected in finding.message:
        return None
    return finding.expected


def _found(found: dict[str, str | None]) -> Safe | str:
    """``found: a, b → x`` when all share one expected text; ``found: a → x, b → y`` when each
    has its own (style differences)."""
    expected = [e for e in dict.fromkeys(found.values()) if e]
    if len(expected) > 1:
        pairs = (fill(PAIR, found=f, expected=e) if e else escape(f) for f, e in found.items())
        return fill(FOUND, found=join(pairs, ", "))
    texts = [f for f in found if f]
    return join(
        [fill(FOUND, found=", ".join(texts)) if texts else Safe(""), *(fill(EXPECTED, expected=e) for e in expected)]
    )


def _alternatives(document: ReportDocument, segment: ReportSegment) -> Safe | str:
    if not segment.alternatives:
        return ""
    metric = document.metric
    items = (
        fill(
            ALTERNATIVE,
            state="kept" if a["kept"] else "not kept",
            origin=a["origin"],
            backend=a["backend"],
            verdict=a["verdict"] or "unchecked",
            score=f", {metric} {a['scores'][metric]:.1f}" if metric and metric in a["scores"] else "",
            target_lang=document.target_lang,
            text=a["text"],
        )
        for a in segment.alternatives
    )
    return fill(ALTERNATIVES, count=len(segment.alternatives), items=join(items))
