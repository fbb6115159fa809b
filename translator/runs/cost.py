"""What a run costs: a price table, token estimates for LLM backends, and budgets.

Services bill by what reaches them, so every figure is counted at the backend stack (after the
translation memory and the run's de-duplication): characters for the machine-translation
services, tokens for LLMs (estimated here; the services' own tokenizers differ a little). The
default prices are list prices on the date given; a team overrides any of them in
``translator.toml``::

    [prices]
    deepl = { per_million_characters = 25.0, currency = "EUR" }
    openai = { per_million_input_tokens = 0.15, per_million_output_tokens = 0.60 }
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from ..errors import ConfigError

PRICES_DATED = "2026-12"


@dataclass(frozen=True)
class Price:
    currency: str = "USD"
    per_million_characters: float = 0.0  # machine-translation services bill source characters
    per_million_input_tokens: float = 0.0  # LLMs bill tokens in and out
    per_million_output_tokens: float = 0.0

    @property
    def by_tokens(self) -> bool:
        return bool(self.per_million_input_tokens or self.per_million_output_tokens)


DEFAULT_PRICES: dict[str, Price] = {
    "deepl": Price("EUR", per_million_characters=25.0),  # DeepL API Pro, usage part
    "amazon-translate": Price("USD", per_million_characters=15.0),  # standard real-time translation
    "google": Price("USD", per_million_characters=20.0),  # Cloud Translation NMT, v2 and v3
    "openai": Price("USD", per_million_input_tokens=0.15, per_million_output_tokens=0.60),  # gpt-4o-mini
    "bedrock": Price("USD", per_million_input_tokens=1.0, per_million_output_tokens=5.0),  # Claude Haiku 4.5
    "libretranslate": Price("USD"),  # self-hosted
    "local": Price("USD"),
    "ctranslate2": Price("USD"),
    "pseudo": Price("USD"),
}


def prices_from_config(table: Mapping[str, Any]) -> dict[str, Price]:
    """``[prices]`` merged over the defaults; a mistyped entry is a ``ConfigError``."""
    prices = dict(DEFAULT_PRICES)
    known = {f.name for f in fields(Price)}
    for backend, values in table.items():
        if not isinstance(values, Mapping):
            raise ConfigError(f"[prices] {backend} must be a table, e.g. {{ per_million_characters = 20.0 }}")
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigError(
                f"[prices] {backend}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})"
            )
        base = prices.get(backend, Price())
        try:
            prices[backend] = Price(
                currency=str(values.get("currency", base.currency)),
                per_million_characters=float(values.get("per_million_characters", base.per_million_characters)),
                per_million_input_tokens=float(values.get("per_million_input_tokens", base.per_million_input_tokens)),
                per_million_output_tokens=float(
                    values.get("per_million_output_tokens", base.per_million_output_tokens)
                ),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"[prices] {backend}: prices must be numbers") from exc
    return prices


def estimated_tokens(characters: int, target_lang: str = "en") -> int:
    """Tokens a text of ``characters`` costs: about four characters a token for English, about
    one a token for Japanese, Chinese and Korean (what common BPE tokenizers give)."""
    per_token = 1.1 if target_lang.split("-")[0].lower() in ("ja", "zh", "ko") else 4.0
    return math.ceil(characters / per_token)


@dataclass
class CostFigures:
    """What a run sends (or would send) to one backend, and what that is estimated to cost."""

    backend: str
    requests: int = 0
    characters: int = 0  # the texts' characters, as services bill them
    context_characters: int = 0  # context sent with requests (DeepL does not bill it; LLMs read it)
    input_tokens: int = 0
    output_tokens: int = 0
    price: float = 0.0
    currency: str = "USD"

    def as_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "requests": self.requests,
            "characters": self.characters,
            "context_characters": self.context_characters,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "price": round(self.price, 4),
            "currency": self.currency,
            "prices_dated": PRICES_DATED,
        }


def cost_of(
    backend: str,
    prices: Mapping[str, Price],
    *,
    requests: int,
    characters: int,
    context_characters: int = 0,
    prompt_characters: int = 0,
    source_lang: str = "en",
    target_lang: str = "ja",
) -> CostFigures:
    price = prices.get(backend, Price())
    figures = CostFigures(backend, requests, characters, context_characters, currency=price.currency)
    if price.by_tokens:
        figures.input_tokens = estimated_tokens(characters, source_lang) + estimated_tokens(
            context_characters + prompt_characters, "en"
        )
        figures.output_tokens = estimated_tokens(characters, target_lang)
        figures.price = (
            figures.input_tokens * price.per_million_input_tokens
            + figures.output_tokens * price.per_million_output_tokens
        ) / 1e6
    else:
        figures.price = characters * price.per_million_characters / 1e6
    return figures


@dataclass(frozen=True)
class Budget:
    """A limit on what a run may send: characters, or an amount of money in a currency."""

    characters: int | None = None
    amount: float | None = None
    currency: str | None = None

    def describe(self) -> str:
        if self.characters is not None:
            return f"{self.characters:,} characters"
        return f"{self.amount:g} {self.currency}"


BUDGET_RE = re.compile(
    r"^\s*(?:(?P<cur1>[A-Za-z]{3}|\$|€)\s*)?(?P<number>\d[\d_,]*(?:\.\d+)?)\s*(?P<cur2>[A-Za-z]{3}|\$|€|chars?|characters)?\s*$"
)
SYMBOLS = {"$": "USD", "€": "EUR"}


def parse_budget(text: str) -> Budget:
    """``500000`` or ``500000 chars``: characters; ``10 EUR``, ``USD 5``, ``$5``: money."""
    match = BUDGET_RE.match(text)
    if not match:
        raise ConfigError(f"--budget {text!r}: give characters (500000) or an amount with its currency (10 EUR, $5)")
    number = float(match["number"].replace(",", "").replace("_", ""))
    unit = match["cur1"] or match["cur2"]
    if unit is None or unit.lower().startswith("char"):
        return Budget(characters=int(number))
    return Budget(amount=number, currency=SYMBOLS.get(unit, unit.upper()))
