"""The LLM judge: an LLM backend asked for the errors of each translation, GEMBA-MQM style.

Why an error-span prompt rather than "score this from 0 to 100": models asked for a number give
a handful of round values, while models asked to list errors with a category and a severity
track human judgements better (Kocmi and Federmann, "GEMBA-MQM: Detecting Translation Quality
Error Spans with GPT-4", WMT 2023), and each error is a finding a learner can read.

The model gets one segment at a time: source, translation, neighbouring source text and the
glossary entries of the source (so "wrong term" is judged against the team's glossary, not the
model's taste). It answers ``{"errors": [{"span", "category", "severity", "explanation"}]}``.
The answer is checked, not trusted: a span must be found in the translation (for an omission,
in the source), the category and severity must be ones the prompt offered. An answer that fails
is asked again once; a second failure leaves the judge unavailable for that segment
(``Judgement.available=False``), never a crash. Service failures (quota, key, a server that
stays down) are the backend's errors and stop the run like any other backend failure.

Score: the MQM weighting GEMBA-MQM uses (minor 1, major 5, critical 25 points, a segment's
penalty capped at 25) mapped to 0–100: no error 100, one major error 80, a critical error 0.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass

from ...backends._llm import LANGUAGE_NAMES, ChatModel
from ...types import Finding, Severity
from ..terms import TermIndex
from .base import JudgeItem, Judgement

CATEGORIES: dict[str, str] = {
    "accuracy/mistranslation": "says something other than the English",
    "accuracy/omission": "leaves out part of the English",
    "terminology": "uses a term other than the glossary's",
    "fluency/unnatural": "reads unnaturally or word for word",
    "style": "is in an unsuitable style for study material",
}
SEVERITIES: dict[str, tuple[Severity, float]] = {
    "minor": ("cosmetic", 1.0),
    "major": ("functional", 5.0),
    "critical": ("critical", 25.0),
}
MAX_PENALTY = 25.0
CHECK_PREFIX = "llm."  # finding ids: llm.accuracy.mistranslation, llm.terminology, …

SYSTEM_PROMPT = """You are an expert reviewer of {source}→{target} translations of AWS and \
machine-learning study material. Identify the errors in the translation, as a professional \
annotator following the MQM framework would. Judge only the text under "translation"; "context" \
is the surrounding source text, for reference.
Categories:
- accuracy/mistranslation: the translation says something other than the source
- accuracy/omission: part of the source is missing from the translation
- terminology: a term is not rendered as the glossary ("terms") requires
- fluency/unnatural: grammatical but unnatural {target}, including word-for-word phrasing that \
a native writer would not use
- style: unsuitable register or style for study material
Severities:
- critical: the learner would be misled or could not understand the sentence
- major: the meaning is affected, or the text is hard to read
- minor: small imperfections that do not affect the meaning
Answer with JSON only: {{"errors": [{{"span": "…", "category": "…", "severity": "…", \
"explanation": "…"}}]}}. "span" is copied exactly from the translation (for an omission: the \
missing words, copied from the source); "explanation" is one short sentence in English. \
A translation with no errors gets {{"errors": []}}."""


class AnswerError(ValueError):
    """The model answered, but not with errors this judge can check."""


@dataclass(frozen=True)
class MqmError:
    span: str
    category: str
    severity: str
    explanation: str


class LLMJudge:
    """A quality judge backed by an LLM backend's ``complete`` (see ``backends._llm.ChatModel``)."""

    name = "llm"

    def __init__(
        self, model: ChatModel, *, terms: TermIndex | None = None, concurrency: int = 4, model_name: str = ""
    ) -> None:
        self.model = model
        self.terms = terms
        self.concurrency = max(1, concurrency)
        self.label = f"LLM judge ({model_name})" if model_name else "LLM judge"

    async def judge(self, items: Sequence[JudgeItem]) -> list[Judgement]:
        limit = asyncio.Semaphore(self.concurrency)

        async def one(item: JudgeItem) -> Judgement:
            async with limit:
                return await self.judge_one(item)

        return list(await asyncio.gather(*(one(item) for item in items)))

    async def judge_one(self, item: JudgeItem) -> Judgement:
        system, user = self.prompt(item)
        for _attempt in range(2):
            answer = await self.model.complete(system, user)
            try:
                errors = parse_answer(answer, item.source, item.translation)
            except AnswerError:
                continue
            return Judgement(score=mqm_score(errors), findings=[finding(item, error) for error in errors])
        return Judgement(available=False)

    def prompt(self, item: JudgeItem) -> tuple[str, str]:
        source = LANGUAGE_NAMES.get(item.source_lang, item.source_lang)
        target = LANGUAGE_NAMES.get(item.target_lang, item.target_lang)
        message = {
            "source_lang": item.source_lang,
            "target_lang": item.target_lang,
            "source": item.source,
            "translation": item.translation,
            "context": item.context,
            "terms": self.glossary_entries(item.source),
        }
        return SYSTEM_PROMPT.format(source=source, target=target), json.dumps(message, ensure_ascii=False)

    def glossary_entries(self, source: str) -> list[dict[str, object]]:
        """The glossary entries whose term occurs in ``source``, as the prompt gives them."""
        if self.terms is None:
            return []
        entries: dict[str, dict[str, object]] = {}
        for start, end, term in self.terms.find(source):
            found = source[start:end]
            if found in entries:
                continue
            entry: dict[str, object] = {"term": found}
            if term.keep:
                entry["keep_in_english"] = True
            elif term.renderings:
                entry["renderings"] = list(term.renderings)
            if term.forbidden:
                entry["never"] = list(term.forbidden)
            entries[found] = entry
        return list(entries.values())


def parse_answer(answer: str, source: str, translation: str) -> list[MqmError]:
    """The errors in a model's answer, each checked; ``AnswerError`` when the answer is unusable."""
    text = answer.strip()
    if text.startswith("```"):  # some models fence JSON even when told not to
        text = text.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise AnswerError("not JSON") from exc
    errors = data.get("errors") if isinstance(data, dict) else None
    if not isinstance(errors, list):
        raise AnswerError('no "errors" list')
    checked: list[MqmError] = []
    for raw in errors:
        if not isinstance(raw, dict):
            raise AnswerError("an error that is not an object")
        span, category, severity = raw.get("span"), raw.get("category"), raw.get("severity")
        explanation = raw.get("explanation") or ""
        if not isinstance(span, str) or not isinstance(category, str) or not isinstance(severity, str):
            raise AnswerError("an error without span, category or severity")
        category, severity = category.strip().lower(), severity.strip().lower()
        if category not in CATEGORIES:
            raise AnswerError(f"unknown category {category!r}")
        if severity not in SEVERITIES:
            raise AnswerError(f"unknown severity {severity!r}")
        where = source if category == "accuracy/omission" else translation
        if not span.strip() or span not in where:
            raise AnswerError(f"span {span!r} is not in the {'source' if where is source else 'translation'}")
        checked.append(MqmError(span, category, severity, str(explanation).strip()))
    return checked


def mqm_score(errors: Sequence[MqmError]) -> float:
    """0–100 from the MQM penalty (minor 1, major 5, critical 25, capped at 25)."""
    penalty = min(MAX_PENALTY, sum(SEVERITIES[e.severity][1] for e in errors))
    return round(100.0 * (1.0 - penalty / MAX_PENALTY), 1)


def finding(item: JudgeItem, error: MqmError) -> Finding:
    severity = SEVERITIES[error.severity][0]
    what = CATEGORIES[error.category]
    message = f"the LLM judge says the translation {what} ({error.severity})"
    if error.explanation:
        message += f": {error.explanation}"
    if error.category == "accuracy/omission":
        return Finding(item.segment_id, check_id(error.category), severity, message, expected=error.span)
    start = item.translation.find(error.span)
    return Finding(
        item.segment_id,
        check_id(error.category),
        severity,
        message,
        found=error.span,
        span=(start, start + len(error.span)),
    )


def check_id(category: str) -> str:
    return CHECK_PREFIX + category.replace("/", ".")
