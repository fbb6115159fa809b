"""Prices, token estimates and budgets."""

from __future__ import annotations

import pytest

from translator.errors import ConfigError
from translator.runs.cost import Budget, cost_of, parse_budget, prices_from_config


@pytest.mark.parametrize(
    ("text", "budget"),
    [
        ("500000", Budget(characters=500_000)),
        ("500,000 chars", Budget(characters=500_000)),
        ("10 EUR", Budget(amount=10.0, currency="EUR")),
        ("USD 2.5", Budget(amount=2.5, currency="USD")),
        ("$5", Budget(amount=5.0, currency="USD")),
    ],
)
def test_budgets_are_characters_or_money(text: str, budget: Budget) -> None:
    assert parse_budget(text) == budget


def test_a_budget_without_a_number_is_one_clear_error() -> None:
    with pytest.raises(ConfigError, match="--budget 'lots'"):
        parse_budget("lots")


def test_character_services_are_priced_by_characters_and_llms_by_tokens() -> None:
    prices = prices_from_config({})
    deepl = cost_of("deepl", prices, requests=1, characters=1_000_000)
    assert deepl.price == pytest.approx(25.0) and deepl.currency == "EUR"
    llm = cost_of("openai", prices, requests=1, characters=4_000, target_lang="ja")
    assert llm.input_tokens == 1_000 and llm.output_tokens > llm.input_tokens  # Japanese costs more tokens
    assert llm.price > 0


def test_prices_can_be_overridden_and_mistakes_are_errors() -> None:
    prices = prices_from_config({"deepl": {"per_million_characters": 20, "currency": "USD"}})
    assert cost_of("deepl", prices, requests=1, characters=500_000).price == pytest.approx(10.0)
    with pytest.raises(ConfigError, match="unknown key"):
        prices_from_config({"deepl": {"per_million_chars": 20}})
