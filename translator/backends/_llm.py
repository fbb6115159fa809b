"""The prompt and answer contract every LLM backend shares, whatever API carries it.

A batch goes as one JSON user message (``{"source_lang", "target_lang", "texts"}``) under a
system prompt, and must come back as ``{"translations": [...]}`` with the same count. An answer
that does not is asked again once, then the batch is split in halves, because smaller batches are
what models get right. Backends supply only the call that carries one ask over their API.

Each LLM backend also offers ``complete(system, user)``: one plain question to the model through
the backend's own client, key, retries and error mapping, for callers that need the model for
something other than translating (the LLM quality judge, ``translator.quality.judges.llm``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from ..errors import BackendError
from .base import TranslateRequest

LANGUAGE_NAMES = {
    "en": "English",
    "ja": "Japanese",
    "ko": "Korean",
    "zh": "Chinese",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "it": "Italian",
}

SYSTEM_PROMPT = """You are a professional translator of AWS and machine-learning study material \
(certification courses, practice questions, documentation). Translate each text in "texts" from \
{source} to {target} so that it reads naturally, as an expert writer of {target} would write it, \
not word for word.
Rules:
- Keep every XML tag such as <x id="3">…</x>, <x id="3"/> and <g id="1">…</g> exactly, with its id, \
around the words it belongs to; never translate the content of an <x> tag.
- Keep AWS service and feature names as AWS writes them (for example "Amazon SageMaker").
- Use the terminology given below when a term occurs.
- "context", when given, is the document's title and the text around these texts: read it to translate them as parts of that document; never translate it or include it in an answer.
- "roles", when given, says what each text is (heading, paragraph, list-item, table-cell, question, option, explanation, cue, term): write each in the form its role calls for.
- "notes", when given, describes an earlier translation of a text and what a reviewer found wrong with it: write a natural rewrite that fixes those problems, not a copy of the earlier one.
- Answer with JSON only: {{"translations": [one string per input text, in order]}}."""

JAPANESE_STYLE = """Japanese style, as AWS's Japanese documentation writes: です・ます in prose (paragraphs, list items that are sentences, questions, explanations, subtitle cues); noun endings (体言止め), no です・ます, for headings, table cells, answer options and terms; half-width letters and digits with a half-width space between Latin and Japanese words; 、 and 。 as punctuation; no generic あなた; the active voice rather than によって〜される; keep exam markers such as （2 つ選択） exactly as the glossary gives them."""

Ask = Callable[[list[str], TranslateRequest], Awaitable[list[str]]]


@runtime_checkable
class ChatModel(Protocol):
    """A backend that can be asked one question: a system prompt and a user message in, the
    model's answer text out; a backend that can ask for a JSON answer does."""

    async def complete(self, system: str, user: str) -> str: ...


class ShapeError(BackendError):
    """The model answered, but not with one translation per text."""


def system_prompt(request: TranslateRequest) -> str:
    """The system prompt for a request, with its glossary instructions appended."""
    source = LANGUAGE_NAMES.get(request.source_lang, request.source_lang)
    target = LANGUAGE_NAMES.get(request.target_lang, request.target_lang)
    prompt = SYSTEM_PROMPT.format(source=source, target=target)
    if request.target_lang.split("-")[0].lower() == "ja":
        prompt += "\n" + JAPANESE_STYLE
    if request.instructions:
        prompt += "\n" + request.instructions
    return prompt


def user_message(texts: list[str], request: TranslateRequest) -> str:
    """The JSON user message: the texts, with the request's context, roles and notes when given
    (``texts`` may be part of the request, after a split: roles and notes follow their texts)."""
    part = request.subset(texts)
    message: dict[str, object] = {"source_lang": request.source_lang, "target_lang": request.target_lang}
    if request.context:
        message["context"] = request.context
    message["texts"] = list(texts)
    if any(part.roles):
        message["roles"] = list(part.roles)
    if any(part.notes):
        message["notes"] = list(part.notes)
    return json.dumps(message, ensure_ascii=False)


def parse_translations(content: str, expected: int) -> list[str]:
    """The translations in a model's answer; ``ShapeError`` if they are not one per text."""
    content = content.strip()
    if content.startswith("```"):  # some models fence JSON even when told not to
        content = content.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(content)
    except ValueError as exc:
        raise ShapeError("the LLM answer was not JSON") from exc
    items = data.get("translations") if isinstance(data, dict) else data
    if not isinstance(items, list) or len(items) != expected or not all(isinstance(i, str) for i in items):
        raise ShapeError("the LLM answer did not hold one translation per text")
    return items


async def translate_with_splitting(ask: Ask, request: TranslateRequest) -> list[str]:
    """Ask twice; if the answer is still not one translation per text, split the batch in halves."""
    texts = list(request.texts)
    for _ in range(2):
        try:
            return await ask(texts, request)
        except ShapeError:
            continue
    if len(texts) == 1:
        raise BackendError("the LLM did not return a usable translation for a text, even alone")
    middle = len(texts) // 2
    first = await translate_with_splitting(ask, _sub(request, texts[:middle]))
    second = await translate_with_splitting(ask, _sub(request, texts[middle:]))
    return first + second


def _sub(request: TranslateRequest, texts: list[str]) -> TranslateRequest:
    return request.subset(texts)
