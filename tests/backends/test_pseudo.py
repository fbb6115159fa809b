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
