"""Numbers as both languages write them: digits (half- or full-width), English words, kanji.

The number rule asks "did every number survive?" without flagging the many correct ways a
translator writes one: ``five`` → ``5``/``５``/``五``, ``a couple of days`` → ``２、３日``,
``august`` → ``８月``, ``the third`` → ``３日``.
"""

from __future__ import annotations

import re

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
DIGITS_RE = re.compile(r"(?<![0-9A-Za-z_.])\d+(?:,\d{3})*(?:\.\d+)?(?![\d])")
KANJI_NUMBER_RE = re.compile(r"[〇一二三四五六七八九十百千万]+")

_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINALS = "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
_MONTHS = "january february march april may june july august september october november december".split()

WORD_VALUES: dict[str, set[float]] = {}
for _value, _word in enumerate(_UNITS):
    WORD_VALUES.setdefault(_word, set()).add(_value)
for _index, _word in enumerate(_TENS):
    WORD_VALUES.setdefault(_word, set()).add((_index + 2) * 10)
for _value, _word in enumerate(_ORDINALS):
    WORD_VALUES.setdefault(_word, set()).add(_value)
for _index, _word in enumerate(_MONTHS):
    WORD_VALUES.setdefault(_word, set()).add(_index + 1)
for _word, _values in {
    "a": {1}, "an": {1}, "once": {1}, "single": {1}, "twice": {2}, "both": {2}, "couple": {2, 3},
    "few": {2, 3}, "several": {2, 3, 4, 5}, "dozen": {12}, "hundred": {100}, "thousand": {1000},
    "half": {0.5, 30}, "quarter": {15, 4}, "noon": {12}, "midnight": {12, 0}, "week": {7},
}.items():
    WORD_VALUES.setdefault(_word, set()).update(_values)


def digit_numbers(text: str) -> list[float]:
    """Numbers written with digits, full-width digits included (``1,000`` → 1000)."""
    normalised = text.translate(FULLWIDTH_DIGITS)
    return [float(m.group().replace(",", "")) for m in DIGITS_RE.finditer(normalised)]


def digit_matches(text: str) -> list[tuple[int, int, float]]:
    normalised = text.translate(FULLWIDTH_DIGITS)  # same length: offsets stay valid
    return [(m.start(), m.end(), float(m.group().replace(",", ""))) for m in DIGITS_RE.finditer(normalised)]


def word_numbers(text: str) -> set[float]:
    """Values English words in ``text`` may stand for, compounds included (``twenty-five``)."""
    values: set[float] = set()
    words = re.findall(r"[a-z]+", text.lower())
    for word in words:
        values.update(WORD_VALUES.get(word, ()))
    for tens, unit in re.findall(r"\b([a-z]+)-([a-z]+)\b", text.lower()):
        for t in WORD_VALUES.get(tens, ()):
            for u in WORD_VALUES.get(unit, ()):
                values.add(t + u)
    for amount, scale in re.findall(r"\b(\w+)\s+(hundred|thousand|million)\b", text.lower()):
        factor = {"hundred": 100, "thousand": 1000, "million": 1_000_000}[scale]
        base = {float(amount)} if amount.isdigit() else WORD_VALUES.get(amount, set())
        values.update(value * factor for value in base)
    return values


def kanji_numbers(text: str) -> set[float]:
    """Values of kanji numerals (``三`` → 3, ``二十五`` → 25, ``三千`` → 3000)."""
    return {value for match in KANJI_NUMBER_RE.findall(text) if (value := _kanji_value(match)) is not None}


def _kanji_value(text: str) -> float | None:
    digits = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    scales = {"十": 10, "百": 100, "千": 1000}
    total, section, current = 0, 0, None
    for char in text:
        if char in digits:
            current = digits[char] if current is None else current * 10 + digits[char]
        elif char in scales:
            section += (current if current is not None else 1) * scales[char]
            current = None
        elif char == "万":
            total += (section + (current or 0)) * 10_000
            section, current = 0, None
    return float(total + section + (current or 0))
