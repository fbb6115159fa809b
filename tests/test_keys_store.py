"""The key store's write path: the keys end up only in keys.json, readable by the owner alone,
whatever a leftover temporary file or a planted symlink beside it is."""

from __future__ import annotations

import json
import os
import stat

import pytest


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def set_key(cli_env, value: str = "secret-key-value"):
    result = cli_env.run("keys", "set", "deepl", "--value", value)
    assert result.exit_code == 0, result.output
    return cli_env.tmp / "keys.json"


def test_a_leftover_world_readable_tmp_does_not_make_the_keys_readable(cli_env):
    leftover = cli_env.tmp / "keys.json.tmp"
    leftover.write_text('{"deepl": "old-key"}')
    os.chmod(leftover, 0o644)
    keys = set_key(cli_env)
    assert mode(keys) == 0o600
    assert json.loads(keys.read_text()) == {"deepl": "secret-key-value"}
    assert not leftover.exists()  # it held keys readable by others


def test_a_symlink_planted_as_the_tmp_file_receives_nothing(cli_env):
    elsewhere = cli_env.tmp / "attacker.txt"
    elsewhere.write_text("")
    os.chmod(elsewhere, 0o644)
    (cli_env.tmp / "keys.json.tmp").symlink_to(elsewhere)
    keys = set_key(cli_env)
    assert elsewhere.read_text() == ""
    assert not keys.is_symlink() and mode(keys) == 0o600
    assert "secret-key-value" in keys.read_text()


def test_a_symlink_as_keys_json_is_replaced_not_written_through(cli_env):
    elsewhere = cli_env.tmp / "shared.json"
    elsewhere.write_text("{}")
    os.chmod(elsewhere, 0o644)
    keys = cli_env.tmp / "keys.json"
    keys.symlink_to(elsewhere)
    set_key(cli_env)
    assert elsewhere.read_text() == "{}"
    assert not keys.is_symlink() and mode(keys) == 0o600


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_the_keys_are_private_whatever_the_umask(cli_env, umask):
    old = os.umask(umask)
    try:
        keys = set_key(cli_env)
    finally:
        os.umask(old)
    assert mode(keys) == 0o600
    assert not [p for p in cli_env.tmp.iterdir() if p.name.startswith(".keys.json.")]
