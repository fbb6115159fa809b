"""Pseudo-translation, offline: marks every text as translated and keeps every code.

Useful to see how a file will come out (structure, codes, bilingual layout) before spending a
paid quota, and as a reference backend for plugin authors.
"""

from __future__ import annotations

from ..config import Settings
from .base import Backend, BackendSpec, Capabilities, TranslateRequest
from .pseudo_text import pseudo_translate


class PseudoBackend(Backend):
    name = "pseudo"
    description = "offline pseudo-translation: '[ja] …' markers, codes kept; for trying formats"
    spec = BackendSpec(needs="nothing (runs offline)")
    capabilities = Capabilities(max_texts=100, max_bytes=1 << 20, markup="xml")

    @classmethod
    def from_settings(cls, settings: Settings, *, url: str | None = None) -> PseudoBackend:
        return cls()

    async def translate(self, request: TranslateRequest) -> list[str]:
        return [pseudo_translate(text, request.target_lang, ignore_tags=("x",)) for text in request.texts]
