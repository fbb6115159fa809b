"""Japanese style normalisation as AWS's Japanese documentation writes it (``--style aws``).

Conventions taken from AWS's own translations (see the Bedrock workshop samples): half-width
letters and digits (``Ａ１`` → ``A1``); a half-width space between Latin letters or digits and
Japanese (``Python から Amazon Bedrock サービス``, ``ラボ 0``) but not next to Japanese
punctuation; 、。 rather than ，． in Japanese prose; half-width parentheses with a space outside
around Latin content (``自然言語処理 (NLP) 手法``).

Only plain-text runs of tagged text are rewritten; protected spans (code, URLs, keep-terms) are
never touched, although their first and last characters decide whether a space is needed beside
them.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from .. import markup
from ..types import Span
from .plaintext import INVISIBLE_KINDS, LINE_BREAK_KINDS

STYLES = ("aws", "none")
CONTEXT = 8  # characters of unchanged text shown either side of a style difference

JAPANESE = r"\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF々〆ヵヶ"
LATIN = r"A-Za-z0-9"
_JA_CHAR = re.compile(f"[{JAPANESE}]")
_LATIN_CHAR = re.compile(f"[{LATIN}]")
_FULLWIDTH_ALNUM = re.compile(r"[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]+")
_JA_THEN_LATIN = re.compile(f"([{JAPANESE}])([{LATIN}])")
_LATIN_THEN_JA = re.compile(f"([{LATIN}%])([{JAPANESE}])")
_FULLWIDTH_PARENS = re.compile(r"（([\x20-\x7E]+)）")
_JA_COMMA = re.compile(f"(?<=[{JAPANESE}])，")
_JA_PERIOD = re.compile(f"(?<=[{JAPANESE}])．")
_SPACES_BETWEEN = re.compile(r"(?<=\S) {2,}(?=\S)")
_SPACES_BEFORE_PUNCTUATION = re.compile(r" +(?=[、。，．！？：；」』）】])")
_SPACES_AFTER_PUNCTUATION = re.compile(r"(?<=[、。「『（【]) +")


def normalise(tagged: str, spans: dict[str, Span], style: str = "aws") -> str:
    """Tagged text with its plain runs normalised to ``style``; codes unchanged."""
    if style == "none":
        return tagged
    tokens = list(markup.tokens(tagged))
    visible = [_visible(token, spans) for token in tokens]
    runs = [_normalise_run(token.value) if token.kind == "text" else "" for token in tokens]
    out: list[str] = []
    for index, token in enumerate(tokens):
        if token.kind != "text":
            out.append(markup.code_markup(token))
            continue
        run = runs[index]
        before = _neighbour(visible, runs, tokens, index, -1)
        after = _neighbour(visible, runs, tokens, index, +1)
        if run and _JA_CHAR.match(run[0]) and before and _LATIN_CHAR.match(before):
            run = " " + run
        if run and _JA_CHAR.match(run[-1]) and after and _LATIN_CHAR.match(after):
            run = run + " "
        out.append(markup.escape(run))
    return "".join(out)


def _normalise_run(text: str) -> str:
    # Every run of every translation passes here: a rule whose character is absent is skipped
    # (the result is the same; most runs need only the spacing between scripts).
    text = _FULLWIDTH_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    if "，" in text:
        text = _JA_COMMA.sub("、", text)
    if "．" in text:
        text = _JA_PERIOD.sub("。", text)
    if "（" in text:
        text = _FULLWIDTH_PARENS.sub(lambda m: f" ({m.group(1).strip()}) ", text)
    text = _JA_THEN_LATIN.sub(r"\1 \2", text)
    text = _LATIN_THEN_JA.sub(r"\1 \2", text)
    if " " in text:
        text = _SPACES_BETWEEN.sub(" ", text)
        text = _SPACES_BEFORE_PUNCTUATION.sub("", text)
        text = _SPACES_AFTER_PUNCTUATION.sub("", text)
    return text


def _visible(token: markup.Token, spans: dict[str, Span]) -> str:
    """What a reader sees of a token; invisible codes (anchors, tags) count as nothing."""
    if token.kind == "text":
        return token.value
    if token.kind == "x":
        span = spans.get(token.value)
        if span is not None and span.kind in LINE_BREAK_KINDS:
            return "\n"  # no space is needed beside a line break
        if span is None or span.kind in INVISIBLE_KINDS:
            return ""
        return span.opening.strip("`*_") or span.opening
    return ""


def _neighbour(visible: list[str], runs: list[str], tokens: list[markup.Token], index: int, step: int) -> str:
    """The visible character next to token ``index`` (looking across paired codes)."""
    position = index + step
    while 0 <= position < len(tokens):
        text = runs[position] if tokens[position].kind == "text" else visible[position]
        if text:
            return text[-1] if step < 0 else text[0]
        position += step
    return ""


def differences(before: str, after: str, context: int = CONTEXT) -> list[tuple[str, str]]:
    """Each place where ``after`` differs from ``before``, as (before, after) excerpts with
    ``context`` unchanged characters either side, so a style finding quotes the comma or space
    at issue rather than the whole segment. Changes closer than twice the context share one
    excerpt."""
    regions: list[list[int]] = []  # before start, before end, after start, after end
    for tag, a_start, a_end, b_start, b_end in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if regions and a_start - regions[-1][1] <= 2 * context:
            regions[-1][1], regions[-1][3] = a_end, b_end
        else:
            regions.append([a_start, a_end, b_start, b_end])
    return [
        (_excerpt(before, a_start, a_end, context), _excerpt(after, b_start, b_end, context))
        for a_start, a_end, b_start, b_end in regions
    ]


def _excerpt(text: str, start: int, end: int, context: int) -> str:
    low, high = max(0, start - context), min(len(text), end + context)
    return ("…" if low else "") + text[low:high] + ("…" if high < len(text) else "")
