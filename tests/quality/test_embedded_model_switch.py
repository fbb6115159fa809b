"""Turning the embedded quality-estimation model off: a batch run that must keep up with a fast
service judges from the other signals, never loads the encoder, and says the model was turned off
(not missing) in the summary and the JSON report."""

from __future__ import annotations

import json

import pytest

from translator.quality.qe import encoder as encoder_module

PAIRS = (
    "Amazon S3 stores data as objects within buckets.\tAmazon S3 は、データをバケット内のオブジェクトとして保存します。\n"
    "You can change your settings.\tあなたは設定を変更することができます。\n"
)


@pytest.fixture
def encoder_must_not_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("the encoder was loaded although the embedded model is turned off")

    monkeypatch.setattr(encoder_module, "_loaded", {})
    monkeypatch.setattr(encoder_module, "load_encoder", refuse)
    monkeypatch.setattr("translator.quality.qe.model.load_encoder", refuse)


def prepend_to_config(cli_env, line: str) -> None:
    """A top-level key goes before the config's first [table], or TOML reads it as that table's."""
    cli_env.config.write_text(line + "\n" + cli_env.config.read_text(encoding="utf-8"), encoding="utf-8")


def judged(report_path) -> dict:
    return json.loads(report_path.read_text(encoding="utf-8"))["documents"][0]


def test_check_with_no_embedded_model_judges_from_the_rules_and_says_it_was_turned_off(cli_env, encoder_must_not_load):
    pairs = cli_env.tmp / "p.tsv"
    pairs.write_text(PAIRS, encoding="utf-8")
    report = cli_env.tmp / "r.json"
    result = cli_env.run(
        "check",
        str(pairs),
        "--back-translate",
        "none",
        "--fail-on",
        "never",
        "--no-embedded-model",
        "--report",
        str(report),
    )
    assert result.exit_code == 0, result.output
    assert "judged from: rules, glossary, numbers; no embedded model (turned off" in " ".join(result.output.split())
    document = judged(report)
    assert "embedded model" not in document["judges"]["ran"]
    assert any("turned off" in reason for reason in document["judges"]["not_run"])
    right, literal = document["segments"]
    assert "qe" not in right["scores"]
    assert right["verdict"] == "ok" and literal["verdict"] == "literal"  # the rules still judge


def test_embedded_model_false_in_the_config_turns_it_off_for_translate(cli_env, encoder_must_not_load):
    prepend_to_config(cli_env, "embedded_model = false")
    lesson = cli_env.tmp / "lesson.md"
    lesson.write_text("# Lesson\n\nAmazon S3 stores data as objects within buckets.\n", encoding="utf-8")
    report = cli_env.tmp / "r.json"
    result = cli_env.run("translate", str(lesson), "-b", "pseudo", "--no-cache", "--report", str(report))
    assert result.exit_code == 0, result.output
    assert (cli_env.tmp / "lesson.ja.md").exists()
    assert "embedded model" not in judged(report)["judges"]["ran"]


def test_embedded_model_must_be_true_or_false(cli_env):
    prepend_to_config(cli_env, 'embedded_model = "off"')
    pairs = cli_env.tmp / "p.tsv"
    pairs.write_text(PAIRS, encoding="utf-8")
    result = cli_env.run("check", str(pairs), "--back-translate", "none")
    assert result.exit_code != 0
    assert "embedded_model" in result.output and "true or false" in result.output
