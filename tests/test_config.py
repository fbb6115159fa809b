"""Settings precedence and configuration errors."""

from pathlib import Path

import pytest

from translator.config import load_settings
from translator.errors import ConfigError


def test_flags_beat_env_beat_file(tmp_path: Path):
    (tmp_path / "translator.toml").write_text('backend = "libretranslate"\ntarget = "ko"\nconcurrency = 2\n')
    env = {"TRANSLATOR_TARGET": "zh", "TRANSLATOR_NO_USER_CONFIG": "1"}
    settings = load_settings(cwd=tmp_path, env=env, concurrency=8)
    assert settings.backend == "libretranslate"  # file
    assert settings.target == "zh"  # env over file
    assert settings.concurrency == 8  # flag over all


def test_backend_tables_merge(tmp_path: Path):
    (tmp_path / "translator.toml").write_text('[backends.libretranslate]\nurl = "http://127.0.0.1:5000"\n')
    settings = load_settings(cwd=tmp_path, env={"TRANSLATOR_NO_USER_CONFIG": "1"})
    assert settings.backend_options("libretranslate") == {"url": "http://127.0.0.1:5000"}


def test_invalid_toml_names_file_and_line(tmp_path: Path):
    (tmp_path / "translator.toml").write_text('backend = "deepl"\ntarget = \n')
    with pytest.raises(ConfigError) as caught:
        load_settings(cwd=tmp_path, env={"TRANSLATOR_NO_USER_CONFIG": "1"})
    assert str(caught.value).startswith(f"{tmp_path / 'translator.toml'}:2: ")


def test_unknown_setting_is_refused(tmp_path: Path):
    (tmp_path / "translator.toml").write_text('bakend = "deepl"\n')
    with pytest.raises(ConfigError, match="unknown setting 'bakend'"):
        load_settings(cwd=tmp_path, env={"TRANSLATOR_NO_USER_CONFIG": "1"})


def test_wrong_type_is_refused(tmp_path: Path):
    (tmp_path / "translator.toml").write_text('concurrency = "many"\n')
    with pytest.raises(ConfigError, match="'concurrency' must be an integer"):
        load_settings(cwd=tmp_path, env={"TRANSLATOR_NO_USER_CONFIG": "1"})
