"""A tiny CTranslate2 model made once per session, and packages and an index built from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from translator.testing.model_index import ModelIndexServer, argos_package, tiny_model

SKIP_REASON = "the local extra is not installed: pip install 'translator[local]'"

# Quick decoding: a random model's output is gibberish anyway, only its shape is checked.
ENGINE_CONFIG = """
[backends.local]
beam_size = 1
max_decoding_length = 8
"""


@pytest.fixture(scope="session")
def model_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("ctranslate2", reason=SKIP_REASON)
    pytest.importorskip("sentencepiece", reason=SKIP_REASON)
    return tiny_model(tmp_path_factory.mktemp("tiny-ct2"))


@pytest.fixture(scope="session")
def package(model_folder: Path):
    """``package(source, target, **options)`` → the bytes of a ``.argosmodel``."""
    cache: dict[tuple, bytes] = {}

    def build(source: str, target: str, **options) -> bytes:
        key = (source, target, repr(sorted(options.items())))
        if key not in cache:
            cache[key] = argos_package(model_folder, source, target, **options)
        return cache[key]

    return build


@pytest.fixture
def index(package) -> Iterator[ModelIndexServer]:
    """An index offering en-ja and ja-en (with checksums) and de-en (without, like Argos's own)."""
    with ModelIndexServer() as server:
        server.add(package("en", "ja"), "en", "ja", license="CC-BY-4.0")
        server.add(package("ja", "en"), "ja", "en")
        server.add(package("de", "en"), "de", "en", sha256=False)
        yield server


@pytest.fixture
def models_env(cli_env):
    """The CLI environment with fast decoding settings for the local engine."""
    config = cli_env.config.read_text(encoding="utf-8")
    cli_env.config.write_text(config + ENGINE_CONFIG, encoding="utf-8")
    return cli_env


def data_dir(cli_env) -> Path:
    return Path(cli_env.env["TRANSLATOR_DATA_DIR"])


def installed_names(cli_env) -> list[str]:
    models = data_dir(cli_env) / "models"
    return sorted(p.name for p in models.iterdir() if not p.name.startswith(".")) if models.is_dir() else []
