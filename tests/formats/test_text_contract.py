"""Plain text runs the format contract: notes written for the tests, real AWS documentation read
as plain text, and a corpus file of one sentence per line."""

from __future__ import annotations

from tests.conftest import FIXTURES, SAMPLES
from tests.formats.contract import FormatContract


class TestTextContract(FormatContract):
    format_name = "text"
    samples = [
        FIXTURES / "text" / "spot-training-notes.txt",
        SAMPLES / "awsdocs" / "sagemaker__how-it-works-training.md",
        SAMPLES / "corpus" / "small_parallel_enja.dev.en",
    ]
