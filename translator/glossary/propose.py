"""Candidate terms as YAML glossary entries a person approves, renderings proposed by a backend.

``suggest`` finds what the glossary lacks; this turns the candidates into entries in the
canonical format (``fmt``), each with its count and an example in ``source``/``note`` so a
reviewer can judge it. Product names, other capitalised names and acronyms are proposed as kept
in English (AWS keeps its names in its Japanese documentation). Phrases get the rendering a
translation backend proposes (an LLM backend, asked for the term as AWS's Japanese
documentation would write it, with the example as context); without one, or where it gave
nothing usable, ``preferred`` is left empty so that ``glossary lint`` points at each line a
person still has to fill in.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..backends.base import TranslateRequest
from ..backends.stack import Translator
from ..markup import escape, unescape
from .interchange.yaml_out import dump
from .model import Entry, Rendering
from .suggest import Candidate

LLM_BACKENDS = ("openai", "bedrock")
TO_FILL = "TO-BE-FILLED-IN"  # a placeholder YAML writes plainly, replaced after formatting
KEPT_KINDS = ("product", "name", "acronym")
BATCH = 40
INSTRUCTIONS = """The texts are glossary terms taken from AWS and machine-learning study material, \
not sentences. Translate each as a term, the way AWS's Japanese documentation writes it (for \
example "inference" as 推論, "foundation model" as 基盤モデル): no sentence, no explanation, no \
quotes; keep names and acronyms in English. Where each term was seen:"""


def _source(candidate: Candidate, proposer: str | None) -> str:
    found = f"found {candidate.count} times by 'translator glossary suggest'"
    return f"{found}; rendering proposed by {proposer}, check before approving" if proposer else found


def proposed_entries(
    candidates: Sequence[Candidate], renderings: dict[str, str], lang: str, proposer: str | None
) -> list[Entry]:
    entries: list[Entry] = []
    for candidate in candidates:
        note = f"Example: {candidate.example}"
        if candidate.kind in KEPT_KINDS:
            entries.append(Entry(
                term=candidate.text, case="exact", keep=True, pos="proper-noun" if candidate.kind != "acronym" else "acronym",
                source=_source(candidate, None), note=note,
            ))  # fmt: skip
            continue
        rendering = renderings.get(candidate.text)
        entries.append(Entry(
            term=candidate.text, pos="noun", source=_source(candidate, proposer if rendering else None), note=note,
            targets={lang: Rendering(rendering or TO_FILL)},
        ))  # fmt: skip
    return entries


def proposals_yaml(entries: Sequence[Entry], comment: str) -> str:
    """Canonical YAML for ``entries``; a missing rendering is an empty ``preferred`` to fill in."""
    text = dump(entries, "<proposals>", comment=comment)
    return text.replace(f"preferred: {TO_FILL}", 'preferred: ""  # fill in, or delete the entry')


def _usable(term: str, answer: str) -> str | None:
    """The backend's answer as a rendering, or None when it is not one (empty, a sentence, the
    term sent back unchanged, or the tool's own pseudo-translation marks)."""
    answer = unescape(answer).strip().strip("「」\"'")
    if (
        not answer
        or answer == term
        or "\n" in answer
        or len(answer) > 3 * len(term) + 10
        or answer.endswith(("。", "."))
    ):
        return None
    return answer


async def propose_renderings(
    backend: Translator, candidates: Sequence[Candidate], source: str, target: str
) -> dict[str, str]:
    """Renderings the backend proposes for the phrase candidates (names stay in English)."""
    phrases = [c for c in candidates if c.kind not in KEPT_KINDS]
    found: dict[str, str] = {}
    for start in range(0, len(phrases), BATCH):
        batch = phrases[start : start + BATCH]
        context = "\n".join(f"- {c.text}: {c.example}" for c in batch)
        request = TranslateRequest(
            [escape(c.text) for c in batch], source, target, instructions=f"{INSTRUCTIONS}\n{context}"
        )
        answers = await backend.translate(request)
        for candidate, answer in zip(batch, answers, strict=True):
            usable = _usable(candidate.text, answer)
            if usable is not None:
                found[candidate.text] = usable
    return found
