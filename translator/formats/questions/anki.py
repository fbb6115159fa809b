"""``--anki deck.apkg``: one Anki note per translated practice question.

The front shows the Japanese stem and options, with the English a click away; the back adds the
answer letters and the explanation (Japanese, English folded). Each note carries the question's
verdict (the worst of its parts) and, when a part was judged literal or review, why, in plain
words: the card then says to read the English too. Tags ``verdict::ok|review|literal`` let a
learner pick those cards. Note GUIDs come from the source
path and the question id, and the deck and note-type ids from fixed names, so importing a
re-exported deck updates the existing notes instead of adding duplicates.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ... import markup
from ...errors import TranslatorError
from ...types import Document, Finding, Segment, Span, Translation
from ...writes import write_output
from .model import QuestionRef, refs
from .phrases import marker_spans

# v2 added Verdict and Why: a new note type, since Anki cannot add fields to one on import.
MODEL_NAME = "translator practice question (bilingual) v2"
FIELDS = [
    "Id",
    "Question",
    "QuestionEnglish",
    "Options",
    "OptionsEnglish",
    "Answer",
    "Explanation",
    "ExplanationEnglish",
    "Source",
    "Verdict",
    "Why",
]
FLAGGED = ("literal", "review")
VERDICT_ORDER = ("ok", "review", "literal")
FRONT = """{{#Why}}<div class="verdict">The Japanese was judged <b>{{Verdict}}</b>: {{Why}}. Read the English too.</div>{{/Why}}
<div class="question">{{Question}}</div>
<div class="options">{{Options}}</div>
<details class="english"><summary>English</summary>
<div class="question">{{QuestionEnglish}}</div><div class="options">{{OptionsEnglish}}</div></details>"""
BACK = """{{FrontSide}}
<hr id="answer">
<div class="answer">{{Answer}}</div>
<div class="explanation">{{Explanation}}</div>
{{#ExplanationEnglish}}<details class="english"><summary>English</summary>
<div class="explanation">{{ExplanationEnglish}}</div></details>{{/ExplanationEnglish}}"""
CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; }
.options div { margin: .3em 0; } .answer { font-weight: bold; font-size: 1.2em; }
details.english { color: #555; margin-top: 1em; }
.verdict { font-size: .8em; color: #8a4b00; border-left: 3px solid #b35900; padding-left: .5em; margin-bottom: .8em; }"""


def stable_id(name: str) -> int:
    """An id in the range Anki expects for models and decks, the same on every run."""
    digest = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    return (1 << 30) + digest % (1 << 30)


def source_key(source: str) -> str:
    """The source as a stable key: relative to the working folder when inside it."""
    path = Path(source)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            pass
    return Path(os.path.normpath(path)).as_posix()


def to_html(tagged: str, spans: Mapping[str, Span]) -> str:
    """Tagged text as Anki field HTML: prose escaped, line breaks and links kept working."""
    out: list[str] = []
    closing: list[str] = []
    for token in markup.tokens(tagged):
        span = spans.get(token.value) if token.kind != "text" else None
        if token.kind == "text":
            out.append(html.escape(token.value, quote=False))
        elif token.kind == "x" and span is not None:
            out.append(_protected_html(span))
        elif token.kind == "open":
            opening, close = _pair_html(span)
            out.append(opening)
            closing.append(close)
        elif token.kind == "close" and closing:
            out.append(closing.pop())
    out.extend(reversed(closing))
    return "".join(out)


def _protected_html(span: Span) -> str:
    if span.kind in ("br", "html"):
        return "<br>" if span.opening == "\n" else span.opening
    if span.kind == "code":
        return f"<code>{html.escape(span.opening.strip('`'), quote=False)}</code>"
    if span.kind == "url" and "://" in span.opening:
        url = html.escape(span.opening)
        return f'<a href="{url}">{url}</a>'
    return html.escape(span.opening, quote=False)


def _pair_html(span: Span | None) -> tuple[str, str]:
    if span is None:
        return "", ""
    if span.kind == "strong":
        return "<b>", "</b>"
    if span.kind == "em":
        return "<i>", "</i>"
    if span.kind == "link" and span.attrs.get("url"):
        return f'<a href="{html.escape(span.attrs["url"])}">', "</a>"
    return "", ""


class _Fields:
    """Renders one document's segments for the deck, in both languages."""

    def __init__(self, segments: list[Segment], translations: Mapping[str, str], lang: str) -> None:
        self.by_id = {seg.id: seg for seg in segments}
        self.translations = translations
        self.lang = lang

    def english(self, seg_id: str) -> str:
        seg = self.by_id[seg_id]
        return to_html(seg.text, seg.spans)

    def target(self, seg_id: str) -> str:
        seg = self.by_id[seg_id]
        if not seg.translate or seg_id not in self.translations:
            return self.english(seg_id)
        return to_html(self.translations[seg_id], marker_spans(seg.spans, self.lang))

    def joined(self, ids: list[str], english: bool) -> str:
        render = self.english if english else self.target
        return "<br><br>".join(render(seg_id) for seg_id in ids)

    def options(self, ref: QuestionRef, english: bool) -> str:
        render = self.english if english else self.target
        return "".join(f"<div>{letter}. {render(seg_id)}</div>" for letter, seg_id in ref.options.items())


Explain = Callable[[Sequence[Finding]], list[str]]  # findings → what is wrong, in plain words


def _verdict(ref: QuestionRef, translations: Mapping[str, Translation], explain: Explain | None) -> tuple[str, str]:
    """The question's verdict (its worst part's; empty when unchecked) and, if flagged, why."""
    parts = [("question", seg_id) for seg_id in ref.stem]
    parts += [(f"option {letter}", seg_id) for letter, seg_id in ref.options.items()]
    parts += [("explanation", seg_id) for seg_id in ref.explanation]
    judged = [(part, translations[seg_id]) for part, seg_id in parts if seg_id in translations]
    verdicts = [t.verdict for _part, t in judged if t.verdict]
    if not verdicts:
        return "", ""
    worst = max(verdicts, key=VERDICT_ORDER.index)
    why: dict[str, list[str]] = {}
    for part, translation in judged:
        if translation.verdict in FLAGGED:
            names = explain(translation.findings) if explain else []
            why.setdefault(part, []).extend(names or [f"judged {translation.verdict}"])
    return worst, "; ".join(f"{part}: {', '.join(dict.fromkeys(names))}" for part, names in why.items())


def _note_fields(ref: QuestionRef, fields: _Fields, source: str, verdict: tuple[str, str]) -> list[str]:
    return [
        html.escape(ref.id),
        fields.joined(ref.stem, english=False),
        fields.joined(ref.stem, english=True),
        fields.options(ref, english=False),
        fields.options(ref, english=True),
        ", ".join(ref.answer),
        fields.joined(ref.explanation, english=False),
        fields.joined(ref.explanation, english=True),
        html.escape(source),
        html.escape(verdict[0]),
        html.escape(verdict[1], quote=False),
    ]


def require_genanki() -> None:
    """Refuse ``--anki`` before any work when the optional genanki package is missing."""
    from ...errors import ConfigError

    try:
        import genanki  # noqa: F401
    except ImportError as exc:
        raise ConfigError("--anki needs the genanki package: pip install 'translator[anki]'") from exc


def write_deck(
    results: Sequence[tuple[Document, Mapping[str, Translation]]],
    path: str,
    target_lang: str,
    explain: Explain | None = None,
) -> None:
    """Write every question of the run's question documents (each with its translations) into
    one deck at ``path``; ``explain`` names a flagged part's findings in plain words (the run
    passes ``translator.quality.finding_names.reasons``)."""
    import genanki

    model = genanki.Model(
        stable_id(MODEL_NAME),
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
    )
    deck_name = Path(path).stem
    deck = genanki.Deck(stable_id(f"translator deck {deck_name}"), deck_name)
    for document, translations in results:
        questions = refs(document)
        if not questions:
            continue
        texts = {seg_id: t.text for seg_id, t in translations.items()}
        fields = _Fields(document.segments, texts, target_lang)
        source = source_key(document.source)
        for ref in questions:
            verdict = _verdict(ref, translations, explain)
            deck.add_note(
                genanki.Note(
                    model=model,
                    fields=_note_fields(ref, fields, source, verdict),
                    guid=genanki.guid_for(source, ref.id),
                    tags=["translator", target_lang, *([f"verdict::{verdict[0]}"] if verdict[0] else [])],
                )
            )
    if not deck.notes:
        raise TranslatorError(
            "--anki needs practice-question input (JSON, JSONL, CSV, or a Markdown practice exam "
            "with --format questions-md)",
            path=path,
        )
    _write_atomically(genanki.Package(deck), Path(path))


def _write_atomically(package: object, path: Path) -> None:
    """genanki writes a zip to any file object; the bytes then go through the one atomic writer."""
    buffer = io.BytesIO()
    package.write_to_file(buffer)  # type: ignore[attr-defined]
    write_output(str(path), buffer.getvalue())
