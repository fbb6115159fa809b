"""``[backends.NAME]`` options are declared on each backend and checked in one place."""

from __future__ import annotations

import pytest

from translator.backends.deepl import DeepLOptions
from translator.errors import ConfigError


def configure(cli_env, text: str) -> None:
    cli_env.config.write_text(cli_env.config.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_mistyped_value_names_the_file_and_the_key(cli_env) -> None:
    cli_env.config.write_text('[backends.libretranslate]\ntimeout = "soon"\n', encoding="utf-8")
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    result = cli_env.run("translate", str(source), "-b", "libretranslate", "--no-check")
    assert result.exit_code == 1
    assert f"{cli_env.config}: [backends.libretranslate] timeout must be a number, not 'soon'" in result.output
    assert "Traceback" not in result.output


def test_a_misspelt_option_is_an_error_not_ignored(cli_env, deepl) -> None:
    configure(cli_env, '\n[backends.pseudo]\nformalty = "more"\n')
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--no-check")
    assert result.exit_code == 1
    assert "[backends.pseudo] unknown option 'formalty'" in result.output
    assert not (cli_env.tmp / "a.ja.txt").exists()


def test_choices_are_checked() -> None:
    with pytest.raises(ConfigError, match="formality must be one of default, more, less"):
        DeepLOptions.parse("deepl", {"formality": "polite"})


def test_integers_are_accepted_where_numbers_are_expected_but_not_booleans() -> None:
    assert DeepLOptions.parse("deepl", {"timeout": 5}).timeout == 5.0
    with pytest.raises(ConfigError, match="max_retries must be an integer"):
        DeepLOptions.parse("deepl", {"max_retries": True})


def test_every_builtin_backend_declares_its_options() -> None:
    from translator.backends import load_backend_class, registered

    for name in registered():
        options = load_backend_class(name).Options
        assert "timeout" in options.describe()
