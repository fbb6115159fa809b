"""``translator memory export/import``: the memory moves between tools as TMX."""

from __future__ import annotations

import shutil

from tests.conftest import DEEPL_KEY
from translator.testing import DeepLEmulator


def translate(cli_env, emulator, source):
    return cli_env.run(
        "translate",
        str(source),
        "-b",
        "deepl",
        "--backend-url",
        emulator.url,
        "--no-check",
        "--no-glossary",
        "-o",
        str(cli_env.tmp / "out.txt"),
    )


def sent(emulator) -> list[str]:
    return [t for r in emulator.requests if r.path == "/v2/translate" for t in r.json["text"]]


def test_an_exported_memory_imported_elsewhere_answers_the_same_segments(cli_env) -> None:
    source = cli_env.tmp / "lesson.txt"
    source.write_text("Training uses Spot Instances.\n\nStop the endpoint & save costs.\n", encoding="utf-8")
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        assert translate(cli_env, emulator, source).exit_code == 0
        exported = cli_env.run("memory", "export", "-o", str(cli_env.tmp / "memory.tmx"))
        assert exported.exit_code == 0, exported.output
        tmx = (cli_env.tmp / "memory.tmx").read_text(encoding="utf-8")
        assert 'type="x-translator-scope"' in tmx and 'xml:lang="ja"' in tmx and "save costs" in tmx
        shutil.rmtree(cli_env.tmp / "cache")  # another machine: an empty memory
        imported = cli_env.run("memory", "import", str(cli_env.tmp / "memory.tmx"))
        assert imported.exit_code == 0, imported.output
        emulator.reset()
        assert translate(cli_env, emulator, source).exit_code == 0
        assert sent(emulator) == []


def test_human_translations_from_another_tool_serve_every_backend(cli_env) -> None:
    (cli_env.tmp / "omegat.tmx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="OmegaT" srclang="en-US" '
        'adminlang="EN-US" datatype="plaintext" segtype="sentence" o-tmf="OmegaT TMX"/><body>'
        '<tu><tuv xml:lang="en-US"><seg>Stop the endpoint.</seg></tuv><tuv xml:lang="ja-JP"><seg>エンドポイントを停止します。</seg></tuv></tu>'
        "</body></tmx>\n",
        encoding="utf-8",
    )
    assert cli_env.run("memory", "import", str(cli_env.tmp / "omegat.tmx")).exit_code == 0
    source = cli_env.tmp / "lesson.txt"
    source.write_text("Stop the endpoint.\n\nSomething new.\n", encoding="utf-8")
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        assert translate(cli_env, emulator, source).exit_code == 0
        assert sent(emulator) == ["Something new."]
    assert "エンドポイントを停止します。" in (cli_env.tmp / "out.txt").read_text(encoding="utf-8")


def test_a_tmx_with_an_entity_bomb_is_refused_in_one_line(cli_env) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        '<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>&b;</seg></tuv></tu></body></tmx>\n'
    )
    (cli_env.tmp / "bomb.tmx").write_text(bomb, encoding="utf-8")
    result = cli_env.run("memory", "import", str(cli_env.tmp / "bomb.tmx"))
    assert result.exit_code == 1 and "refused" in result.output and "Traceback" not in result.output
