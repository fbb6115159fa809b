"""Readers and writers, one module per format, chosen by extension or ``--format``."""

from __future__ import annotations

import importlib
from pathlib import PurePath

from ..errors import UnsupportedFormatError
from .base import Format, FormatOptions

# name → "module:Class"; imported only when used.
FORMATS: dict[str, str] = {
    "text": "translator.formats.text:TextFormat",
    "markdown": "translator.formats.markdown:MarkdownFormat",
    "html": "translator.formats.html:HtmlFormat",
    "srt": "translator.formats.subtitles:SrtFormat",
    "vtt": "translator.formats.subtitles:VttFormat",
    "transcribe": "translator.formats.subtitles:TranscribeFormat",
    "json": "translator.formats.questions.dispatch:JsonFormat",
    "questions-json": "translator.formats.questions.json_formats:QuestionsJsonFormat",
    "questions-jsonl": "translator.formats.questions.json_formats:QuestionsJsonlFormat",
    "questions-csv": "translator.formats.questions.csv_format:QuestionsCsvFormat",
    "questions-md": "translator.formats.questions.markdown_format:QuestionsMarkdownFormat",
    "org": "translator.formats.org:OrgFormat",
    "mdx": "translator.formats.mdx:MdxFormat",
    "moodle-xml": "translator.formats.questions.moodle_xml:MoodleXmlFormat",
    "gift": "translator.formats.questions.gift:GiftFormat",
    "flashcards-tsv": "translator.formats.questions.flashcards:FlashcardsTsvFormat",
}

EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".srt": "srt",
    ".vtt": "vtt",
    ".json": "json",
    ".jsonl": "questions-jsonl",
    ".csv": "questions-csv",
    ".org": "org",
    ".mdx": "mdx",
    ".xml": "moodle-xml",
    ".gift": "gift",
    ".tsv": "flashcards-tsv",
}


def get_format(name: str, options: FormatOptions | None = None) -> Format:
    if name not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise UnsupportedFormatError(f"unknown format '{name}' (known: {known})")
    module_name, class_name = FORMATS[name].split(":")
    return getattr(importlib.import_module(module_name), class_name)(options)


def format_name_for(path: str, forced: str | None = None) -> str:
    if forced:
        get_format(forced)
        return forced
    suffix = PurePath(path).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    known = " ".join(sorted(EXTENSIONS))
    what = f"extension '{suffix}'" if suffix else "no extension"
    raise UnsupportedFormatError(f"cannot tell the format from {what} (known: {known}); use --format", path=path)


def supported_suffixes() -> set[str]:
    return set(EXTENSIONS)
