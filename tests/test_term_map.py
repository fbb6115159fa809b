"""A run-wide term map: a technical phrase the glossary lacks gets one rendering in every document."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import DEEPL_KEY
from translator.testing import DeepLEmulator

PHRASE = "gradient checkpointing"
# The emulator renders the phrase differently from one text to the next, as engines do when a
# term is new to them, unless a glossary fixes it.
VARIANTS = ["勾配チェックポイント", "グラディエント・チェックポインティング", "勾配の保存"]


def write_course(folder: Path, documents: int = 30) -> Path:
    folder.mkdir()
    for index in range(documents):
        (folder / f"lesson-{index:02d}.txt").write_text(
            f"Lesson {index} uses {PHRASE} to fit a larger model.\n\nWith {PHRASE}, memory use drops.\n",
            encoding="utf-8",
        )
    return folder


def renderings(folder: Path) -> set[str]:
    found: set[str] = set()
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8")
        found.update(variant for variant in VARIANTS if variant in text)
        assert PHRASE not in text
    return found


def run(cli_env, emulator, folder: Path, output: Path, *extra: str):
    return cli_env.run(
        "translate",
        str(folder),
        "-b",
        "deepl",
        "--backend-url",
        emulator.url,
        "--no-check",
        "--no-cache",
        "-o",
        str(output),
        *extra,
    )


def test_without_the_term_map_the_phrase_is_rendered_several_ways(cli_env) -> None:
    folder = write_course(cli_env.tmp / "course")
    with DeepLEmulator(auth_keys=(DEEPL_KEY,), varying={PHRASE: VARIANTS}) as emulator:
        assert run(cli_env, emulator, folder, cli_env.tmp / "plain").exit_code == 0
    assert len(renderings(cli_env.tmp / "plain")) > 1


def test_with_the_term_map_every_occurrence_gets_one_rendering_and_the_proposals_lint_clean(cli_env) -> None:
    folder = write_course(cli_env.tmp / "course")
    terms = cli_env.tmp / "proposed.yaml"
    with DeepLEmulator(auth_keys=(DEEPL_KEY,), varying={PHRASE: VARIANTS}) as emulator:
        result = run(cli_env, emulator, folder, cli_env.tmp / "mapped", "--terms-out", str(terms))
        assert result.exit_code == 0, result.output
        created = [r.json for r in emulator.requests if r.path == "/v3/glossaries" and r.method == "POST"]
    assert len(renderings(cli_env.tmp / "mapped")) == 1
    assert any(PHRASE in d["entries"] for body in created for d in body["dictionaries"])  # a native entry
    proposal = terms.read_text(encoding="utf-8")
    assert re.search(rf"term: {PHRASE}\n", proposal) and "review before approving" in proposal
    lint = cli_env.run("glossary", "lint", str(terms))
    assert lint.exit_code == 0, lint.output
