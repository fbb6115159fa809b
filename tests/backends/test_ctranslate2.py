"""The local CTranslate2 backend, on a tiny random Transformer built here (no weights are downloaded).

A random model translates into gibberish, so these tests check what does not depend on quality:
the real loading code runs, texts come back in order, and every code and protected word survives
because it never reaches the model.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends.contract import BackendContract, Subject, contract_settings

SKIP_REASON = "the local extra is not installed: pip install 'translator[local]'"
ctranslate2 = pytest.importorskip("ctranslate2", reason=SKIP_REASON)
spm = pytest.importorskip("sentencepiece", reason=SKIP_REASON)
np = pytest.importorskip("numpy", reason="numpy comes with ctranslate2")

from translator.backends.base import TranslateRequest  # noqa: E402
from translator.backends.local import CTranslate2Backend, split_placeholders  # noqa: E402
from translator.config import load_settings  # noqa: E402
from translator.testing.model_index import tiny_model as make_tiny_model  # noqa: E402


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("ct2"))


def configure(cli_env, model: Path | str, **extra: str) -> None:
    lines = [f'model = "{model}"', "beam_size = 1", "max_decoding_length = 8", 'compute_type = "default"']
    lines += [f"{key} = {value}" for key, value in extra.items()]
    config = cli_env.config.read_text(encoding="utf-8")
    cli_env.config.write_text(config + "[backends.ctranslate2]\n" + "\n".join(lines) + "\n", encoding="utf-8")


def test_a_document_is_translated_in_order_with_every_code_intact(cli_env, tiny_model):
    configure(cli_env, tiny_model)
    source = cli_env.tmp / "doc.md"
    paragraphs = [
        f"Amazon **SageMaker** trains model {i} on `data_{i}` at https://example.com/doc{i} for {{name}}."
        for i in range(12)
    ]
    source.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    out = cli_env.tmp / "doc.ja.md"
    result = cli_env.run(
        "translate", str(source), "-b", "ctranslate2", "-o", str(out), "--no-cache", "--no-check", "--no-glossary"
    )
    assert result.exit_code == 0, result.output
    translated = [p for p in out.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    assert len(translated) == len(paragraphs)
    for i, paragraph in enumerate(translated):
        assert f"`data_{i}`" in paragraph and f"https://example.com/doc{i}" in paragraph
        assert "{name}" in paragraph and paragraph.count("**") == 2
        assert paragraph != paragraphs[i]  # the model did produce something


def test_placeholders_never_reach_the_model_and_come_back_in_order(cli_env, tiny_model):
    configure(cli_env, tiny_model)
    settings = load_settings(env=cli_env.env, config_file=cli_env.config)
    backend = CTranslate2Backend.from_settings(settings)
    texts = ["Run ⟦1⟧ on ⟦2⟧spot instances⟦/2⟧ to save cost.", "⟦3⟧", "The model trains.", "42 ⟦4⟧ %"]
    first = asyncio.run(backend.translate(TranslateRequest(texts, "en", "ja")))
    again = asyncio.run(backend.translate(TranslateRequest(texts, "en", "ja")))
    assert first == again  # deterministic
    assert [t.count("⟦") for t in first] == [3, 1, 0, 1]
    assert first[0].index("⟦1⟧") < first[0].index("⟦2⟧") < first[0].index("⟦/2⟧")
    assert first[1] == "⟦3⟧" and first[3] == "42 ⟦4⟧ %"


def test_split_placeholders_keeps_spacing_around_codes():
    parts = split_placeholders("Save ⟦1⟧ cost, ⟦2⟧ 42.")
    assert parts == [
        ("text", "", "Save", " "),
        ("keep", "", "⟦1⟧", ""),
        ("text", " ", "cost,", " "),
        ("keep", "", "⟦2⟧", ""),
        ("keep", "", " 42.", ""),
    ]


def test_a_missing_model_folder_is_one_line_naming_the_setting(cli_env, tmp_path):
    configure(cli_env, tmp_path / "no-such-model")
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    result = cli_env.run("translate", str(source), "-b", "ctranslate2", "-o", "-")
    assert result.exit_code == 1
    assert "[backends.ctranslate2] model" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_sentencepiece_file_is_one_line_naming_the_setting(cli_env, tiny_model, tmp_path):
    bare = tmp_path / "bare"
    shutil.copytree(tiny_model, bare, ignore=shutil.ignore_patterns("*.model"))
    configure(cli_env, bare)
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    result = cli_env.run("translate", str(source), "-b", "ctranslate2", "-o", "-")
    assert result.exit_code == 1
    assert "[backends.ctranslate2] source_spm" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_backends_offline_shows_the_local_engine(cli_env, tiny_model):
    configure(cli_env, tiny_model)
    result = cli_env.run("backends", "--offline")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if "ctranslate2" in line)
    assert "configured" in row


class TestCTranslate2Contract(BackendContract):
    no_faults = "the local engine has no service: nothing to fail with 429 or 5xx, no quota, no key"
    echoes_words = False  # a random model's words cannot be predicted; codes and order still can

    @pytest.fixture
    def subject(self, tiny_model: Path, tmp_path: Path) -> Iterator[Subject]:
        settings = contract_settings(
            tmp_path, "ctranslate2", model=str(tiny_model), beam_size=1, max_decoding_length=8, compute_type="default"
        )
        yield Subject(CTranslate2Backend.from_settings(settings))
