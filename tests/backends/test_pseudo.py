"""The pseudo backend holds to the backend contract too: it is the reference plugin authors copy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.backends.contract import BackendContract, Subject
from translator.backends.pseudo import PseudoBackend


class TestPseudoContract(BackendContract):
    no_faults = "the pseudo backend runs offline: no service to fail, nothing to refuse a key"

    @pytest.fixture
    def subject(self) -> Iterator[Subject]:
        yield Subject(PseudoBackend())


def test_the_word_table_takes_the_longest_key_at_a_word_start_whatever_its_first_word() -> None:
    from translator.backends.pseudo_text import apply_word_table

    table = {"Amazon": "アマゾン", "Amazon S3": "S3!", "A/B": "AB", "A/B testing": "ABテスト", "C++": "シープラプラ"}
    text = "Amazon S3, Amazon S35, Amazon, A/B testing, A/B tests, C++ and C+ and xAmazon"
    assert apply_word_table(text, table) == (
        "S3!, アマゾン S35, アマゾン, ABテスト, AB tests, シープラプラ and C+ and xAmazon"
    )
