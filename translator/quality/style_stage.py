"""The house style alone, for runs without checks (``--no-check``).

``--style aws`` changes what is written, not what is judged, so a run must write the same text
whether or not the checks run. With checks the quality stage normalises before it judges; without
them this stage stands in its place and only normalises.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Settings
from ..errors import ConfigError
from ..types import Document, Translation
from .style import STYLES, normalise


def effective_style(settings: Settings) -> str:
    """Style normalisation is Japanese-specific: other targets are left as translated."""
    if settings.style not in STYLES:
        raise ConfigError(f"style must be one of {', '.join(STYLES)}, not '{settings.style}'")
    return settings.style if settings.target.split("-")[0].lower() == "ja" else "none"


@dataclass
class StyleOnlyStage:
    """A ``pipeline.QualityStage`` that rewrites translations in the house style and judges nothing."""

    style: str

    async def assess(self, document: Document, translations: dict[str, Translation]) -> None:
        if self.style == "none":
            return
        segments = {s.id: s for s in document.segments}
        for seg_id, translation in translations.items():
            if translation.origin == "untranslated" or seg_id not in segments:
                continue
            translation.text = normalise(translation.text, segments[seg_id].spans, self.style)


def style_only_stage(settings: Settings) -> StyleOnlyStage | None:
    """The stage a ``--no-check`` run gets, or None when there is no style to apply."""
    style = effective_style(settings)
    return StyleOnlyStage(style) if style != "none" else None
