"""The score distribution of a document as a small inline SVG histogram (no script, no assets)."""

from __future__ import annotations

from collections.abc import Sequence

from .template import Safe, fill, join

BINS = 10
WIDTH, HEIGHT, GAP, LABELS = 220, 56, 2, 12

SVG = (
    '<svg class="histogram" role="img" viewBox="0 0 {width} {total}" width="{width}" height="{total}" '
    'aria-label="{label}"><title>{label}</title>{bars}'
    '<line x1="0" y1="{base}" x2="{width}" y2="{base}" class="axis"/>'
    '<text x="0" y="{text_y}">0</text><text x="{width}" y="{text_y}" text-anchor="end">100</text></svg>'
)
BAR = '<rect x="{x}" y="{y}" width="{w}" height="{h}" class="bin {zone}"><title>{tip}</title></rect>'


def counts(scores: Sequence[float]) -> list[int]:
    """Segments per tenth of the 0–100 scale (100 falls in the last bin)."""
    bins = [0] * BINS
    for score in scores:
        bins[min(BINS - 1, max(0, int(score // (100 / BINS))))] += 1
    return bins


def histogram(scores: Sequence[float], review: float, literal: float, metric: str) -> Safe:
    """Bars coloured by the worst verdict a score in the bin would give on its own (thresholds
    ``review``/``literal``)."""
    bins = counts(scores)
    tallest = max(bins) or 1
    step = WIDTH / BINS
    bars = []
    for index, count in enumerate(bins):
        low, high = index * 100 // BINS, (index + 1) * 100 // BINS
        height = round((HEIGHT - 4) * count / tallest, 1) if count else 0
        zone = "literal" if low < literal else "review" if low < review else "ok"
        bars.append(
            fill(
                BAR,
                x=round(index * step + GAP / 2, 1),
                y=round(HEIGHT - 1 - height, 1),
                w=round(step - GAP, 1),
                h=height,
                zone=zone,
                tip=f"{metric} {low}–{high}: {count} segment{'s' if count != 1 else ''}",
            )
        )
    label = f"{metric} of {len(scores)} back-translated segments, 0 (left) to 100 (right)"
    return fill(
        SVG,
        width=WIDTH,
        total=HEIGHT + LABELS,
        base=HEIGHT - 1,
        text_y=HEIGHT + LABELS - 2,
        label=label,
        bars=join(bars),
    )
