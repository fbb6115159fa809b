"""``translator keys``: stored keys are added, listed and removed without ever being shown."""

from __future__ import annotations

import json
import stat


def test_remove_forgets_only_that_key_and_keeps_the_store_private(cli_env):
    assert cli_env.run("keys", "set", "deepl", "--value", "secret-deepl").exit_code == 0
    assert cli_env.run("keys", "set", "openai", "--value", "secret-openai").exit_code == 0
    result = cli_env.run("keys", "remove", "deepl")
    assert result.exit_code == 0, result.output
    assert "secret" not in result.output
    store = cli_env.tmp / "keys.json"
    assert json.loads(store.read_text(encoding="utf-8")) == {"openai": "secret-openai"}
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert cli_env.run("keys", "list").output.split() == ["openai"]


def test_removing_a_key_that_is_not_stored_is_one_error_line(cli_env):
    cli_env.run("keys", "set", "openai", "--value", "secret-openai")
    result = cli_env.run("keys", "remove", "deepel")
    assert result.exit_code == 1
    assert "no stored key for 'deepel' (stored: openai)" in result.output
    assert "secret" not in result.output
    assert json.loads((cli_env.tmp / "keys.json").read_text(encoding="utf-8")) == {"openai": "secret-openai"}
