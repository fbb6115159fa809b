"""Amazon Transcribe JSON output to subtitle cues, built from the word timestamps.

Transcribe gives words (``pronunciation`` items, with start and end times) and punctuation
(``punctuation`` items, without times) in ``results.items``, and speakers either on each item
(``speaker_label``) or in ``results.speaker_labels.segments``. A cue closes after sentence
punctuation, before it would exceed 42 characters or 7 seconds, at a pause of more than 1.5 s,
and at a change of speaker: the usual limits of readable subtitles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ...errors import InputError
from .._limits import MAX_JSON_DEPTH, check_json_depth
from .cuetext import CJK_RE
from .model import Cue

MAX_CUE_CHARS = 42
MAX_CUE_DURATION = timedelta(seconds=7)
MAX_PAUSE = timedelta(seconds=1.5)
SENTENCE_END = frozenset(".?!。？！")


@dataclass
class _Word:
    text: str
    start: timedelta
    end: timedelta
    speaker: str | None


def looks_like_transcribe(text: str) -> bool:
    """True for the JSON Amazon Transcribe writes; cheap enough to call on any .json file."""
    if '"results"' not in text or '"items"' not in text:
        return False
    try:
        check_json_depth(text, "-", MAX_JSON_DEPTH)
        data = json.loads(text)
    except (ValueError, InputError):
        return False
    results = data.get("results") if isinstance(data, dict) else None
    items = results.get("items") if isinstance(results, dict) else None
    if not isinstance(items, list):
        return False
    return all(
        isinstance(item, dict) and item.get("type") in ("pronunciation", "punctuation") and "alternatives" in item
        for item in items[:20]
    )


def read_transcribe_json(text: str, source: str) -> dict[str, Any]:
    check_json_depth(text, source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path=source, line=exc.lineno) from exc
    if not looks_like_transcribe(text):
        raise InputError(
            "not an Amazon Transcribe result: expected results.items with pronunciation/punctuation items",
            path=source,
        )
    return data


def transcribe_to_cues(data: dict[str, Any], source: str = "-") -> list[Cue]:
    """Cues of at most ~42 characters or 7 seconds, closed after each sentence."""
    words = _words(data, source)
    cues: list[Cue] = []
    current: list[_Word] = []

    def close() -> None:
        if current:
            cues.append(Cue(current[0].start, current[-1].end, _join(current), current[0].speaker))
            current.clear()

    for word in words:
        if current and _starts_new_cue(current, word):
            close()
        current.append(word)
        if word.text[-1] in SENTENCE_END:
            close()
    close()
    return cues


def _starts_new_cue(current: list[_Word], word: _Word) -> bool:
    last = current[-1]
    return (
        word.speaker != last.speaker
        or word.start - last.end > MAX_PAUSE
        or word.end - current[0].start > MAX_CUE_DURATION
        or len(_join([*current, word])) > MAX_CUE_CHARS
    )


def _join(words: list[_Word]) -> str:
    text = ""
    for word in words:
        if text and not (CJK_RE.match(text[-1]) and CJK_RE.match(word.text[0])):
            text += " "
        text += word.text
    return text


def _words(data: dict[str, Any], source: str) -> list[_Word]:
    results = data["results"]
    speakers = _speakers_by_start(results)
    words: list[_Word] = []
    for number, item in enumerate(results["items"], start=1):
        alternatives = item.get("alternatives") or [{}]
        content = str(alternatives[0].get("content", "")).strip()
        if not content:
            continue
        if item.get("type") == "punctuation":
            if words:
                words[-1].text += content
            continue
        try:
            start, end = _seconds(item["start_time"]), _seconds(item["end_time"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                f"Transcribe item {number} ('{content}') has no valid start_time/end_time", path=source
            ) from exc
        speaker = item.get("speaker_label") or speakers.get(str(item.get("start_time")))
        words.append(_Word(content, start, end, speaker))
    return words


def _speakers_by_start(results: dict[str, Any]) -> dict[str, str]:
    """Older output keeps speakers apart from the items, keyed by each word's start time."""
    labels = results.get("speaker_labels")
    if not isinstance(labels, dict):
        return {}
    found: dict[str, str] = {}
    for segment in labels.get("segments") or []:
        for item in segment.get("items") or []:
            if "start_time" in item and "speaker_label" in item:
                found[str(item["start_time"])] = str(item["speaker_label"])
    return found


def _seconds(value: Any) -> timedelta:
    seconds = float(value)
    if seconds < 0:
        raise ValueError("negative time")
    return timedelta(milliseconds=round(seconds * 1000))
