"""What a cue says: speaker turns, sound descriptions, inline markup, as replayable operations.

A cue's lines are cut into parts at speaker markers ("- ", ">> ", a VTT ``<v Name>``), so a
two-speaker cue keeps one line per speaker. Each part becomes a list of operations a
``TaggedTextBuilder`` can replay: that way the parts of a sentence that runs across several cues
can be put into one segment with unique code ids, while each cue still knows its own share.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ...markup import TaggedTextBuilder
from ...segmenter import add_text
from .model import CueBlock, Part, Syntax

Op = tuple[str, ...]

SPEAKER_RE = re.compile(r"^(?:>>|[-–](?=[\s\"'(\[]|[^\W\d_]))[ \t]*")
SOUND_RE = re.compile(r"^\s*(?:\([^()]*[^\W\d_][^()]*\)|\[[^\[\]]*[^\W\d_][^\[\]]*\])\s*$")
SRT_MARKUP_RE = re.compile(r"</?(?:i|b|u|s|font)\b[^>\n]*>|\{\\[^}\n]*\}", re.IGNORECASE)
VTT_MARKUP_RE = re.compile(r"<[^>\n]*>")
VOICE_RE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]*)>")
OVERRIDES_RE = re.compile(r"(?:\{\\[^}\n]*\})+")
CJK_RE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Codes that take no room on screen: markup tags, karaoke timestamps, ASS overrides.
ZERO_WIDTH_KINDS = frozenset({"tag", "timestamp", "override"})


def markup_free(text: str, syntax: Syntax) -> str:
    """The words of a cue, as a viewer reads them."""
    if syntax == "vtt":
        return html.unescape(VTT_MARKUP_RE.sub("", text))
    return SRT_MARKUP_RE.sub("", text)


def is_sound_cue(cue: CueBlock, syntax: Syntax) -> bool:
    """A whole cue in parentheses or brackets, like "(screen whooshing)" or "[music]"."""
    return bool(cue.lines) and bool(SOUND_RE.match(markup_free(" ".join(cue.lines), syntax)))


def cue_parts(cue: CueBlock, syntax: Syntax) -> list[Part]:
    """One part per speaker turn; a cue without speaker markers is a single part."""
    groups: list[list[str]] = []
    for line in cue.lines:
        if not groups or SPEAKER_RE.match(line) or (syntax == "vtt" and VOICE_RE.match(line)):
            groups.append([line])
        else:
            groups[-1].append(line)
    parts: list[Part] = []
    for lines in groups:
        if not any(line.strip() for line in lines):
            continue
        prefix, voice, dash = _lead_in(lines[0], syntax)
        body = join_lines([lines[0][len(prefix) :], *lines[1:]])
        suffix = "</v>" if voice and body.endswith("</v>") else ""
        ops = parse_markup(body[: len(body) - len(suffix)], syntax)
        parts.append(
            Part(
                cue=cue.number,
                prefix=prefix,
                suffix=suffix,
                ops=ops,
                raw_lines=list(lines),
                length=ops_length(ops),
                voice=voice.group(1).strip() if voice else cue.speaker,
                starts_turn=dash is not None,
            )
        )
    return parts


def _lead_in(line: str, syntax: Syntax) -> tuple[str, re.Match[str] | None, re.Match[str] | None]:
    """What stays at the start of a part's first line: position overrides, a voice, a speaker dash."""
    override = OVERRIDES_RE.match(line) if syntax == "srt" else None
    position = override.end() if override else 0
    voice = VOICE_RE.match(line, position) if syntax == "vtt" else None
    position = voice.end() if voice else position
    dash = SPEAKER_RE.match(line[position:])
    position += dash.end() if dash else 0
    return line[:position], voice, dash


def join_lines(lines: Sequence[str]) -> str:
    """Lines of one cue as running text: a space between words, nothing between CJK characters."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if text and not (CJK_RE.match(text[-1]) and CJK_RE.match(line[0])):
            text += " "
        text += line
    return text


def parse_markup(text: str, syntax: Syntax) -> list[Op]:
    """Plain runs, protected codes and paired tags of a cue's text, in order."""
    pattern = VTT_MARKUP_RE if syntax == "vtt" else SRT_MARKUP_RE
    ops: list[Op] = []
    open_names: list[str] = []
    pos = 0
    for match in pattern.finditer(text):
        if match.start() > pos:
            ops.append(("text", _decode(text[pos : match.start()], syntax)))
        ops.append(_tag_op(match.group(), open_names))
        pos = match.end()
    if pos < len(text):
        ops.append(("text", _decode(text[pos:], syntax)))
    return ops


def _tag_op(tag: str, open_names: list[str]) -> Op:
    if tag.startswith("{"):
        return ("x", tag, "override")
    inner = tag[1:-1].strip()
    if inner[:1].isdigit():
        return ("x", tag, "timestamp")
    if inner.startswith("/"):
        name = _tag_name(inner[1:])
        if name in open_names:
            open_names.remove(name)
        return ("close", tag)
    name = _tag_name(inner)
    open_names.append(name)
    return ("open", tag, f"</{name}>", "voice" if name == "v" else "tag")


def _tag_name(inner: str) -> str:
    return re.split(r"[\s.>]", inner, maxsplit=1)[0].lower()


def _decode(text: str, syntax: Syntax) -> str:
    return html.unescape(text) if syntax == "vtt" else text


def ops_length(ops: Sequence[Op]) -> int:
    """Characters on screen: text and protected text; tags take no room."""
    total = 0
    for op in ops:
        if op[0] == "text":
            total += len(op[1])
        elif op[0] == "x" and op[2] not in ZERO_WIDTH_KINDS:
            total += len(op[1])
    return total


def ops_plain(ops: Sequence[Op]) -> str:
    return "".join(op[1] for op in ops if op[0] == "text" or (op[0] == "x" and op[2] not in ZERO_WIDTH_KINDS))


def replay(builder: TaggedTextBuilder, ops: Sequence[Op], depth: list[int]) -> None:
    """Add a part to a unit's builder; a close with nothing open becomes a protected code."""
    for op in ops:
        kind = op[0]
        if kind == "text":
            add_text(builder, op[1])
        elif kind == "x":
            builder.protect(op[1], op[2])
        elif kind == "open":
            builder.open(op[3], op[1], op[2])
            depth[0] += 1
        elif depth[0] > 0:
            builder.close()
            depth[0] -= 1
        else:
            builder.protect(op[1], "tag")
