"""What must survive a translation of a Markdown practice exam, extracted for comparison."""

from __future__ import annotations

import re

QUESTION_RE = re.compile(r"^(\d+)\. |^### Question (\d+)", re.MULTILINE)
OPTION_RE = re.compile(r"^\s*- ([A-F])\. ", re.MULTILINE)
ANSWER_RE = re.compile(r"^\s*Correct Answer: ([A-F]+)\s*$", re.MULTILINE)
URL_RE = re.compile(r"https?://[^\s)]+")
MARKER_RE = re.compile(r"\((?:select|choose) (?:two|three)\.?\)", re.IGNORECASE)


def structure(text: str) -> dict[str, list[str]]:
    """Numbering, option letters, answer keys, URLs, code, <br/> and emoji, in order."""
    return {
        "questions": ["".join(m) for m in QUESTION_RE.findall(text)],
        "options": OPTION_RE.findall(text),
        "answers": ANSWER_RE.findall(text),
        "urls": URL_RE.findall(text),
        "code": re.findall(r"`[^`]+`", text),
        "br": re.findall(r"<br/>", text),
        "emoji": re.findall(r"[\U0001F300-\U0001FAFF]", text),
        "details": re.findall(r"^\s*</?details.*$", text, re.MULTILINE),
    }


def markers(text: str) -> list[str]:
    return MARKER_RE.findall(text)
