"""A run-wide term map: the recurring technical phrases of a run, rendered once, used everywhere.

Before translating, every document of the run is read and the phrases the glossary does not
cover are found (names, products, acronyms, frequent multiword phrases: ``glossary.suggest``),
keeping those that recur. Each is rendered once — in one request through the run's forward
backend, with the shipped glossary's renderings as instructions for LLMs and an example sentence
as context — and the renderings join the run's glossary, so every document gets the same one
(a native glossary entry for DeepL, Amazon and Google; an instruction for LLMs; verified and
repaired after translation like any glossary term). ``--terms-out`` writes them as glossary YAML
for a team to review and approve with ``translator glossary lint``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .. import markup
from ..backends.base import TranslateRequest
from ..backends.stack import Stack
from ..formats import FormatOptions
from ..formats.io import load_document
from ..glossary.enforce import GlossaryStage
from ..glossary.model import Entry, Glossary, Rendering
from ..glossary.suggest import Candidate, suggest
from ..jobs import Job, is_url
from ..writes import STDIO

MAX_TERMS = 60  # one request's worth: the term map's cost stays small and predictable
MIN_OCCURRENCES = 2
BRIEF = (
    "These texts are technical terms that recur across a course. Translate each as the term itself "
    "(no sentence, no explanation), the way it should appear every time in the course; keep product "
    "names and acronyms in English as written."
)


@dataclass
class TermMap:
    entries: list[Entry]
    candidates: list[Candidate]

    def glossary_stage(self, base: GlossaryStage | None, target_lang: str) -> GlossaryStage:
        """The run's glossary with the term map's entries after its own (the glossary wins)."""
        known = Glossary() if base is None else base.glossary
        merged = Glossary((*known.entries, *self.entries), (*known.files, "<term map>"))
        return GlossaryStage(merged, target_lang, repair=base.repair if base is not None else True)


def recurring_phrases(jobs: Sequence[Job], glossary: GlossaryStage | None, options: FormatOptions) -> list[Candidate]:
    """Phrases the glossary lacks that occur at least twice in the run, most frequent first."""
    from ..glossary.matcher import Matcher

    texts: list[str] = []
    for job in jobs:
        if is_url(job.source) or job.source == STDIO:
            continue
        document = load_document(job.source, job.format, options=options)
        texts.extend(markup.plain(s.text, s.spans) for s in document.segments if s.translate)
    matcher = glossary.matcher if glossary is not None else Matcher(Glossary(), "ja")
    return _without_overlaps(suggest(texts, matcher, min_count=MIN_OCCURRENCES))[:MAX_TERMS]


def _without_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Most frequent first, a candidate that shares a word with one already taken is left out:
    "uses gradient" and "uses gradient checkpointing" are fragments around "gradient checkpointing",
    and two overlapping terms would fight over the same words of a sentence."""
    taken: list[Candidate] = []
    taken_words: list[set[str]] = []
    for candidate in candidates:
        words = set(candidate.text.casefold().split())
        if any(words & other for other in taken_words):
            continue
        taken.append(candidate)
        taken_words.append(words)
    return taken


async def build_term_map(
    jobs: Sequence[Job],
    stack: Stack,
    glossary: GlossaryStage | None,
    *,
    source_lang: str,
    target_lang: str,
    format_options: FormatOptions,
) -> TermMap:
    candidates = recurring_phrases(jobs, glossary, format_options)
    to_render = [c for c in candidates if c.kind not in ("product", "acronym")]
    renderings: dict[str, str] = {}
    if to_render:
        texts = [markup.escape(c.text) for c in to_render]
        instructions = BRIEF
        if glossary is not None and stack.capabilities.uses_instructions:
            known = glossary.instructions([c.example for c in to_render], target_lang)
            instructions += f"\n\n{known}" if known else ""
        context = "Examples: " + " ".join(dict.fromkeys(c.example for c in to_render))[:1200]
        request = TranslateRequest(
            texts, source_lang, target_lang, instructions=instructions, context=context, roles=("term",) * len(texts)
        )
        answers = await stack.translate(request)
        renderings = {c.text: markup.unescape(answer).strip() for c, answer in zip(to_render, answers, strict=True)}
    today = dt.date.today().isoformat()
    entries = []
    for candidate in candidates:
        rendering = renderings.get(candidate.text)
        keep = candidate.kind in ("product", "acronym") or not rendering or rendering == candidate.text
        entries.append(
            Entry(
                term=candidate.text,
                case="exact" if candidate.kind in ("product", "name", "acronym") else "insensitive",
                keep=keep,
                pos="proper-noun"
                if candidate.kind in ("product", "name")
                else "acronym"
                if candidate.kind == "acronym"
                else "noun",
                source=f"term map of a translator run on {today} ({stack.name}); review before approving",
                note=f"{candidate.count} occurrences, e.g. “{candidate.example}”",
                targets={} if keep else {target_lang: Rendering(rendering)},
            )
        )
    return TermMap(entries, candidates)
