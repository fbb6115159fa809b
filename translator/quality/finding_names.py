"""Each kind of finding named in plain words, for learners rather than for rule authors.

A finding's ``check`` is a stable id (``rule.ja.anata``, ``glossary.forbidden``) that teams
configure and search for; a learner reading a review page or an Anki card needs to know what is
wrong in a few words ("“you” written as あなた"). The id stays beside the name, smaller.
A check without a name here (a team's own rule) is named from its id.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..types import Finding
from .verdict import counted

NAMES = {
    "rule.ja.anata": "“you” written as あなた, word for word",
    "rule.ja.sore-wa": "sentence opens with それは/これは, as in English",
    "rule.ja.suru-koto-ga-dekiru": "“can” written as することができます, word for word",
    "rule.ja.niyotte-passive": "English-style passive (によって〜される)",
    "rule.ja.no-chain": "a long chain of の",
    "rule.ja.katakana-term": "term in katakana where Japanese documentation uses kanji",
    "rule.ja.untranslated-english": "English words left untranslated",
    "rule.ja.numbers": "numbers differ from the English",
    "rule.ja.units": "units differ from the English",
    "rule.ja.placeholders": "a placeholder was lost or changed",
    "rule.ja.option-letters": "an answer letter is missing",
    "rule.ja.length-ratio": "much shorter or longer than the English",
    "rule.ja.mixed-style": "mixes です/ます and だ/である",
    "rule.ja.dropped-sentence": "a sentence seems to be missing",
    "rule.ja.lost-codes": "a link, URL or code was lost",
    "rule.ja.back-translation-length": "translated back, much shorter or longer than the English",
    "glossary.forbidden": "a term rendered the way the glossary forbids",
    "glossary.missing": "a term not rendered as the glossary says",
    "tags.missing": "formatting or code lost in translation",
    "quality.round-trip": "translated back, it no longer says what the English says",
    "quality.back-translation-unusable": "the back-translation could not be used",
    "quality.llm-unavailable": "the LLM judge gave no usable answer",
    "llm.accuracy.mistranslation": "mistranslation (LLM judge)",
    "llm.accuracy.omission": "something left out (LLM judge)",
    "llm.terminology": "wrong term (LLM judge)",
    "llm.fluency.unnatural": "unnatural or word-for-word Japanese (LLM judge)",
    "llm.style": "unsuitable style (LLM judge)",
}
PREFIXES = {
    "style.": "house style (spacing, half-width letters, punctuation)",
    "glossary.": "glossary",
    "llm.": "LLM judge",
}


def plain_name(check: str) -> str:
    """A few plain words for a check id."""
    if check in NAMES:
        return NAMES[check]
    for prefix, name in PREFIXES.items():
        if check.startswith(prefix):
            return name
    words = check.removeprefix("rule.").split(".")[-1].replace("-", " ").replace("_", " ")
    return words or check


def reasons(findings: Iterable[Finding]) -> list[str]:
    """The plain names of what speaks against a translation, each once, most severe first: the
    findings that count toward its verdict, and a low round-trip score."""
    severity_rank = {"critical": 0, "functional": 1, "cosmetic": 2}
    findings = list(findings)
    relevant = [*counted(findings), *(f for f in findings if f.check == "quality.round-trip")]
    relevant.sort(key=lambda f: severity_rank[f.severity])
    return list(dict.fromkeys(plain_name(f.check) for f in relevant))
