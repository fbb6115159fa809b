"""Shared fixtures: an isolated environment for CLI runs and the loopback emulators."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from translator.cli.main import cli
from translator.testing import DeepLEmulator, LibreTranslateEmulator

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = FIXTURES / "samples"  # real material by others, with its sources and licences (SOURCES.md)
SPECS = FIXTURES / "specs"
DEEPL_KEY = "test-key"

# Retries fast enough for tests; the policy (backoff, Retry-After) is what is exercised.
FAST_CONFIG = """
max_retries = 8
[backends.deepl]
retry_base_delay = 0.005
retry_max_delay = 0.05
timeout = 2.0
[backends.openai]
retry_base_delay = 0.005
retry_max_delay = 0.05
timeout = 2.0
[backends.libretranslate]
retry_base_delay = 0.005
retry_max_delay = 0.05
timeout = 2.0
[backends.google]
retry_base_delay = 0.005
retry_max_delay = 0.05
timeout = 2.0
glossary_poll_interval = 0.01
[backends.amazon-translate]
retry_base_delay = 0.005
retry_max_delay = 0.05
timeout = 2.0
[backends.bedrock]
retry_base_delay = 0.005
retry_max_delay = 0.05
timeout = 2.0
"""


@dataclass
class CliEnv:
    """Runs the real CLI in-process with its own config, cache and key store."""

    tmp: Path
    env: dict[str, str]
    config: Path

    def run(self, *args: str, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(
            cli,
            ["--config", str(self.config), *args],
            input=input,
            env={**self.env, **(env or {})},
            catch_exceptions=False,
        )


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliEnv:
    config = tmp_path / "translator.toml"
    config.write_text(FAST_CONFIG, encoding="utf-8")
    env = {
        "TRANSLATOR_NO_USER_CONFIG": "1",
        "TRANSLATOR_CACHE_DIR": str(tmp_path / "cache"),
        "TRANSLATOR_KEYS_FILE": str(tmp_path / "keys.json"),
        "TRANSLATOR_DATA_DIR": str(tmp_path / "data"),  # installed models: none unless a test installs one
        "DEEPL_AUTH_KEY": DEEPL_KEY,
    }
    for name in ("DEEPL_SERVER_URL", "LIBRETRANSLATE_URL", "TRANSLATOR_BACKEND", "TRANSLATOR_TARGET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return CliEnv(tmp_path, env, config)


@pytest.fixture
def deepl() -> Iterator[DeepLEmulator]:
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        yield emulator


@pytest.fixture
def libretranslate() -> Iterator[LibreTranslateEmulator]:
    with LibreTranslateEmulator() as emulator:
        yield emulator
