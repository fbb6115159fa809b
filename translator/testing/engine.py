"""The fake MT engine behind every emulator: phrase table first, pseudo-translation otherwise.

Why shared: backend tests for different services should be able to use the same
phrase table and expect the same answers, so the lookup rules live in one place.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from translator.backends.pseudo_text import apply_word_table, pseudo_translate

__all__ = ["PhraseTable", "FakeEngine"]

PhraseTable = Mapping[str | tuple[str, str], str]
"""Exact source text -> translation. Keys are either ``text`` (any target) or
``(text, TARGET)`` with the target upper-cased, e.g. ``("Hello", "JA")``."""


class FakeEngine:
    """Translate one text the way every emulator does.

    Lookup order: ``(text, "EN-US")``, then the base language ``(text, "EN")``,
    then plain ``text``; if nothing matches, :func:`pseudo_translate`.
    """

    def __init__(
        self,
        phrase_table: PhraseTable | None = None,
        word_table: Mapping[str, str] | None = None,
        varying: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.phrase_table: PhraseTable = dict(phrase_table or {})
        self.word_table: dict[str, str] = dict(word_table or {})
        # Words a real engine renders inconsistently: each text gets the next rendering in turn,
        # unless a glossary (``extra_words``) fixes it.
        self.varying: dict[str, list[str]] = {word: list(options) for word, options in (varying or {}).items()}
        self._turn = 0

    def lookup(self, text: str, target_lang: str) -> str | None:
        target = target_lang.upper()
        for key in ((text, target), (text, target.split("-")[0]), text):
            if key in self.phrase_table:
                return self.phrase_table[key]
        return None

    def translate(
        self,
        text: str,
        target_lang: str,
        *,
        ignore_tags: Collection[str] = (),
        extra_words: Mapping[str, str] | None = None,
    ) -> str:
        """Translate ``text``; ``extra_words`` are terms that must win (e.g. a glossary).

        ``extra_words`` take precedence over the word table in pseudo
        translations, and are also substituted into phrase-table answers: an
        approximation of a glossary, which can only rewrite source terms that
        are still visible in the output.
        """
        found = self.lookup(text, target_lang)
        if found is not None:
            return apply_word_table(found, extra_words or {}, ignore_tags=ignore_tags)
        self._turn += 1
        turn = {word: options[self._turn % len(options)] for word, options in self.varying.items() if options}
        words = {**self.word_table, **turn, **(extra_words or {})}
        return pseudo_translate(text, target_lang, word_table=words, ignore_tags=ignore_tags)
