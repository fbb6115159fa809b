"""Numbers as both languages write them: digits (half- or full-width), English words, kanji.

The number rule asks "did every number survive?" without flagging the many correct ways a
translator writes one, so both sides are normalised to values before they are compared:

* English words and compounds: ``five`` → 5, ``twenty - eight``/``twenty-eight`` → 28,
  ``one hundred and twenty`` → 120, ``a couple of days`` → ２、３日, ``august`` → ８月;
* scales: ``1.8 million`` → 180万, ``a quarter of a million`` → 25万, ``3 billion`` → 30億;
* ordinals (``21st``, ``third``), decades (``the 1960s`` → 1960年代, ``a decade`` → 10年,
  ``teenage`` → 10代), Roman numerals (``Louis XVI`` → ルイ16世, ``Book III`` → 第3巻);
* dotted references: ``35.1`` may become ``第35条1項`` (both parts present);
* on the Japanese side, digits followed by 万/億/兆 (``180万``) and kanji numerals (``二十五``).

A source number is *required* when the English writes it with digits (words are often rendered
freely: "a few" is not a number a translation must keep). Every value the English can stand for
is *known*: a number in the translation that is not known was invented or changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
FULLWIDTH_RE = re.compile("[０-９．，]")
# Any decimal digit, as ``\d`` in the patterns below reads one (full-width digits are digits too).
ANY_DIGIT_RE = re.compile(r"\d")
DIGIT_RUN_RE = re.compile(r"\d+")
JA_SCALE_CHARS = "兆億万千"
DIGITS_RE = re.compile(r"(?<![0-9A-Za-z_.])\d+(?:,\d{3})*(?:\.\d+)?(?![\d])")
# Digits anywhere, glued to letters too ("SS16", "Y14.5", "u-19"): what a text contains at all.
ANY_DIGITS_RE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
KANJI_NUMBER_RE = re.compile(r"[〇一二三四五六七八九十百千万]+")
# Japanese large-number units after digits: 180万, 1億2000万, 3兆.
SCALED_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(兆|億|万|千)(?:\s*(\d+(?:\.\d+)?)\s*(万|千))?")
JA_SCALES = {"兆": 10**12, "億": 10**8, "万": 10**4, "千": 10**3}
EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
# A digit number followed by a scale word: "1.8 million", "3 billion".
DIGIT_SCALE_RE = re.compile(
    r"(?<![0-9A-Za-z_.])(\d+(?:,\d{3})*(?:\.\d+)?)\s*(hundred|thousand|million|billion|trillion)\b", re.IGNORECASE
)
ROMAN_RE = re.compile(r"\b(?=[MDCLXVI]+\b)M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b")

_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINALS = "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split()
_TENS_ORDINALS = "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split()
_DECADES = "twenties thirties forties fifties sixties seventies eighties nineties".split()
_MONTHS = "january february march april may june july august september october november december".split()

# Words that can be part of a spelled-out number ("two hundred and five").
CARDINALS: dict[str, int] = {word: value for value, word in enumerate(_UNITS)}
CARDINALS.update({word: (index + 2) * 10 for index, word in enumerate(_TENS)})
ORDINALS: dict[str, int] = {word: value for value, word in enumerate(_ORDINALS)}
ORDINALS.update({word: (index + 2) * 10 for index, word in enumerate(_TENS_ORDINALS)})

WORD_VALUES: dict[str, set[float]] = {}
for _table in (CARDINALS, ORDINALS):
    for _word, _number in _table.items():
        WORD_VALUES.setdefault(_word, set()).add(_number)
for _index, _word in enumerate(_DECADES):
    WORD_VALUES.setdefault(_word, set()).update({(_index + 2) * 10, 1900 + (_index + 2) * 10})
for _index, _word in enumerate(_MONTHS):
    WORD_VALUES.setdefault(_word, set()).add(_index + 1)
_WORD_SETS: dict[str, set[float]] = {
    "a": {1}, "an": {1}, "once": {1}, "single": {1}, "twice": {2}, "both": {2}, "couple": {2, 3},
    "few": {2, 3}, "several": {2, 3, 4, 5}, "dozen": {12}, "dozens": {12}, "hundred": {100},
    "hundreds": {100}, "thousand": {1000}, "thousands": {1000}, "million": {10**6}, "millions": {10**6},
    "billion": {10**9}, "trillion": {10**12}, "half": {0.5, 30}, "quarter": {15, 4, 0.25}, "noon": {12},
    "midnight": {12, 0}, "week": {7}, "fortnight": {14}, "decade": {10}, "decades": {10}, "century": {100},
    "centuries": {100}, "teen": {10}, "teens": {10}, "teenage": {10}, "teenager": {10}, "teenagers": {10},
    "percent": {100}, "fold": {2},
}  # fmt: skip
for _word, _values in _WORD_SETS.items():
    WORD_VALUES.setdefault(_word, set()).update(_values)
FRACTIONS = {"half": 0.5, "quarter": 0.25, "third": 1 / 3}
# Words a spelled-out number can begin with (digit tokens begin one too): most words of a
# sentence are none of these, and skipping them saves reading each one as a number.
NUMBER_STARTS = frozenset(CARDINALS) | frozenset(ORDINALS) | {"hundred", "a", "an"}
NUMBER_WORD_RE = re.compile(r"[a-z]+|\d+(?:,\d{3})*(?:\.\d+)?")


@dataclass(frozen=True)
class Requirement:
    """A number the source writes with digits: satisfied when every value of one alternative is
    in the translation (``35.1`` → {35.1} or {35, 1})."""

    shown: str
    alternatives: tuple[frozenset[float], ...]

    def met_by(self, values: set[float]) -> bool:
        return any(alternative <= values for alternative in self.alternatives)


def halfwidth(text: str) -> str:
    """``text`` with full-width digits, points and commas made half-width (same length). Mapping
    each character of a Japanese text through a table is slow, and most texts have none of them."""
    if text.isascii() or not FULLWIDTH_RE.search(text):
        return text
    return text.translate(FULLWIDTH_DIGITS)


@lru_cache(maxsize=8)  # the number and unit rules ask of the same two texts
def has_digits(text: str) -> bool:
    """True when ``text`` has a digit: without one it requires no number and holds no digit
    number (most sentences), so the rest of the reading can be skipped."""
    return ANY_DIGIT_RE.search(text) is not None


def _first_digit(text: str) -> int:
    """Where the first digit of ``text`` is (its length when there is none). Every number pattern
    here starts with a digit, and its look-behind still sees the text before a search's start,
    so searching from there finds the same numbers as searching the whole text."""
    found = ANY_DIGIT_RE.search(text)
    return len(text) if found is None else found.start()


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _parts(text: str) -> frozenset[float]:
    """The integer parts of a dotted number: ``35.1`` → {35, 1}; ``Y14.5`` → {14, 5}."""
    if text.isdecimal():  # one part, the number itself (most numbers)
        return frozenset((float(text),))
    return frozenset(float(part) for part in DIGIT_RUN_RE.findall(text.replace(",", "")))


def requirements(source: str) -> list[Requirement]:
    """The numbers an English text writes with digits, each with the forms it may take."""
    normalised = halfwidth(source)
    found: list[Requirement] = []
    for match in DIGITS_RE.finditer(normalised, _first_digit(normalised)):
        text = match.group()
        value = _value(text)
        alternatives = [frozenset({value})]
        if "." in text:
            alternatives.append(_parts(text))
        # A scaled amount starts where its digits do (the pattern's own look-behind is the same),
        # and two of them cannot overlap: asking here equals searching the whole text.
        with_scale = DIGIT_SCALE_RE.match(normalised, match.start())
        if with_scale is not None:
            alternatives.insert(0, frozenset({value * EN_SCALES[with_scale.group(2).lower()]}))
        found.append(Requirement(text, tuple(alternatives)))
    return found


def present_values(target: str) -> set[float]:
    """Every value a translation contains: digits (glued to letters too, and the parts of a dotted
    number), digits with 万/億/兆, kanji numerals."""
    normalised = halfwidth(target)
    values: set[float] = set()
    for match in ANY_DIGITS_RE.finditer(normalised, _first_digit(normalised)):
        values.add(_value(match.group()))
        values.update(_parts(match.group()))
    values.update(_japanese_scaled(normalised))
    values.update(kanji_numbers(normalised))
    return values


def japanese_scaled(text: str) -> set[float]:
    """Values of digits with Japanese units: ``180万`` → 1,800,000, ``1億2000万`` → 120,000,000."""
    return _japanese_scaled(halfwidth(text))


def _japanese_scaled(normalised: str) -> set[float]:
    values: set[float] = set()
    if not any(scale in normalised for scale in JA_SCALE_CHARS):
        return values
    for match in SCALED_RE.finditer(normalised, _first_digit(normalised)):
        value = float(match.group(1)) * JA_SCALES[match.group(2)]
        if match.group(3):
            value += float(match.group(3)) * JA_SCALES[match.group(4)]
        values.add(value)
    return values


def target_numbers(target: str) -> list[tuple[int, int, set[float]]]:
    """Numbers the translation writes with digits (not glued to Latin letters), each with the
    values it may stand for: ``25万`` is 25 and 250,000."""
    normalised = halfwidth(target)
    first = _first_digit(normalised)
    has_scale = any(scale in normalised for scale in JA_SCALE_CHARS)
    scaled = {m.start(1): m for m in SCALED_RE.finditer(normalised, first)} if has_scale else {}
    found = []
    for match in DIGITS_RE.finditer(normalised, first):
        values = {_value(match.group())}
        with_unit = scaled.get(match.start())
        if with_unit is not None:
            values.update(japanese_scaled(with_unit.group()))
        found.append((match.start(), match.end(), values))
    return found


def _digit_values(normalised: str, required: list[Requirement]) -> set[float]:
    """The values of the digits of an English text (their dotted parts, and scaled amounts)."""
    values: set[float] = set()
    for match in ANY_DIGITS_RE.finditer(normalised, _first_digit(normalised)):
        values.add(_value(match.group()))
        values.update(_parts(match.group()))
    for requirement in required:
        for alternative in requirement.alternatives:
            values.update(alternative)
    return values


def _written_values(normalised: str) -> set[float]:
    """The values of the words and Roman numerals of an English text."""
    return word_numbers(normalised) | roman_numbers(normalised)


class KnownValues:
    """Every value an English source may stand for (its digits, their dotted parts and scaled
    amounts, its number words and Roman numerals), read as far as a question needs: a
    translation's number is nearly always one of the source's digits, so its words are read only
    when one is not."""

    def __init__(self, source: str, required: list[Requirement] | None = None) -> None:
        self._normalised = halfwidth(source)
        self._required = requirements(self._normalised) if required is None else required
        self._digits: set[float] | None = None
        self._written: set[float] | None = None

    def any_of(self, values: set[float]) -> bool:
        """True when the source may stand for one of ``values``."""
        if self._digits is None:
            self._digits = _digit_values(self._normalised, self._required)
        if not self._digits.isdisjoint(values):
            return True
        if self._written is None:
            self._written = _written_values(self._normalised)
        return not self._written.isdisjoint(values)


def word_numbers(text: str) -> set[float]:
    """Values English words in ``text`` may stand for: single words, spelled-out numbers
    (``twenty - eight``, ``two hundred and five``) and scaled amounts (``a quarter of a million``)."""
    values: set[float] = set()
    words = NUMBER_WORD_RE.findall(text.lower())
    for word in words:
        values.update(WORD_VALUES.get(word, ()))
    values.update(_spelled_out(words))
    return values


def _spelled_out(words: list[str]) -> set[float]:
    """Values of runs of number words; hyphens and "and" inside a run were already dropped by the
    tokenizer, so "twenty - eight" and "twenty-eight" read alike."""
    values: set[float] = set()
    index = 0
    while index < len(words):
        if not (words[index][0].isdigit() or words[index] in NUMBER_STARTS):
            index += 1  # cannot begin a number: _read_number would read nothing
            continue
        total, current, end = _read_number(words, index)
        if end > index:
            values.add(total + current)
            index = end
        else:
            index += 1
    # "a quarter of a million", "half a billion", "a third of a million"
    for i, word in enumerate(words):
        if word in FRACTIONS:
            for j in range(i + 1, min(i + 4, len(words))):
                if words[j] in EN_SCALES and EN_SCALES[words[j]] >= 1000:
                    values.add(FRACTIONS[word] * EN_SCALES[words[j]])
                    break
                if words[j] not in ("of", "a", "an"):
                    break
    return values


def _read_number(words: list[str], start: int) -> tuple[float, float, int]:
    """Reads a spelled-out number from ``words[start]``: (finished part, current part, end)."""
    total = 0.0
    current = 0.0
    index = start
    seen = False
    last = 100  # the last word's value: "twenty" may take "eight", "three" takes only a scale
    while index < len(words):
        word = words[index]
        if word in CARDINALS or word in ORDINALS:
            value = CARDINALS.get(word, ORDINALS.get(word, 0))
            if seen and (last < 20 or (last < 100 and value >= 10)):
                break
            current += value
            last = value
        elif word[0].isdigit() and not seen:  # the tokenizer's digit tokens are whole numbers
            current += _value(word)
            last = 0  # only a scale may follow: "3 million"
        elif word in EN_SCALES and (seen or word == "hundred"):
            scale = EN_SCALES[word]
            last = 100
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0.0
        elif word in ("a", "an") and not seen and index + 1 < len(words) and words[index + 1] in EN_SCALES:
            current = 1.0
            last = 0
        elif word == "and" and seen and index + 1 < len(words) and words[index + 1] in CARDINALS:
            pass
        else:
            break
        seen = True
        index += 1
    return total, current, index if seen else start


def roman_numbers(text: str) -> set[float]:
    """Values of Roman numerals in English (``Henry VIII``, ``Book III``, ``World War II``);
    a lone ``I`` counts only after a capitalised name (``Elizabeth I``), not as the pronoun."""
    values: set[float] = set()
    for match in ROMAN_RE.finditer(text):
        numeral = match.group()
        if not numeral:
            continue
        if len(numeral) == 1:
            before = text[: match.start()].rstrip()
            after = text[match.end() :].lstrip()[:1]
            if numeral != "I" or not re.search(r"\b[A-Z][a-z]+$", before) or (after and after.isalpha()):
                continue
        values.add(float(_roman_value(numeral)))
    return values


def _roman_value(numeral: str) -> int:
    table = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for index, char in enumerate(numeral):
        value = table[char]
        following = table[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


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
