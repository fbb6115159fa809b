"""Practice-question sets: JSON, JSON Lines, CSV and Markdown practice exams, plus Anki decks.

Every reader produces the same segments (stem, options, explanation) and the same
``QuestionRef`` records (``model``), so bilingual output and ``--anki`` work for all of them.
Option letters, answer keys, numbering, URLs and code are never part of translatable text; the
multi-select marker ("(Select TWO.)") is written in the target language's phrase (``phrases``).
"""

from .markdown_format import looks_like_practice_exam

__all__ = ["looks_like_practice_exam"]
