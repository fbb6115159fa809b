"""The cost lines of ``translate``: what the run sent (or, with ``--dry-run``, would send)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console

from ..runs.cost import PRICES_DATED, CostFigures

# Japanese runs about half as many characters as the English it translates: what back-translating
# it would send, before the translations exist to count.
BACK_TRANSLATION_SHARE = {"all": 0.55, "suspect": 0.55, "none": 0.0}


def print_costs(
    console: Console, costs: Sequence[tuple[str, CostFigures]], *, dry_run: bool, back_translate: str
) -> None:
    verb = "would send" if dry_run else "sent"
    for role, figures in costs:
        if dry_run and role != "forward":
            continue  # back-translation and fix depend on the translations; estimated below
        if not dry_run and not figures.requests:
            continue
        tokens = (
            f", ≈{figures.input_tokens:,} tokens in / {figures.output_tokens:,} out" if figures.input_tokens else ""
        )
        context = f" (+{figures.context_characters:,} context)" if figures.context_characters else ""
        console.print(
            f"{role} ({figures.backend}): {verb} {figures.characters:,} characters{context} in "
            f"{figures.requests:,} requests{tokens}; ≈{figures.price:,.2f} {figures.currency} "
            f"(list prices of {PRICES_DATED}; [prices] in translator.toml overrides them)",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    if dry_run:
        forward = next((f for role, f in costs if role == "forward"), None)
        share = BACK_TRANSLATION_SHARE.get(back_translate, 0.0)
        if forward is not None and share:
            estimate = int(forward.characters * share)
            scope = "every segment" if back_translate == "all" else "at most, if every segment were suspect"
            console.print(
                f"back-translation ({back_translate}): about {estimate:,} more characters ({scope})",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
