"""``translator calibrate`` fits thresholds to labelled pairs and prints TOML that loads back."""

from __future__ import annotations

import tomllib

from translator.config import load_settings
from translator.quality.verdict import Thresholds

ROWS = [
    ("You can stop the job.", "ジョブを停止できます。", "You can stop the job.", "ok"),
    ("Open the console.", "コンソールを開きます。", "Open the console.", "ok"),
    (
        "You can change your settings.",
        "あなたはあなたの設定を変更することができます。",
        "You can change your settings.",
        "review",
    ),
    ("It is a managed service.", "それはマネージドサービスです。", "It is a managed service.", "ok"),
    (
        "Use 5 GB of storage for the job.",
        "7 GB のストレージをジョブに使います。",
        "Use 7 GB of storage for the job.",
        "literal",
    ),
    (
        "The model is trained quickly by the service.",
        "モデルはサービスによって速くトレーニングされます。",
        "Model is trained by service fast.",
        "review",
    ),
    (
        "Delete the bucket when you are done.",
        "あなたが終わったとき、バケットを削除することができます。",
        "When you finished, you can delete bucket.",
        "literal",
    ),
]


def test_calibrate_prints_precision_recall_and_loadable_thresholds(cli_env):
    labelled = cli_env.tmp / "labelled.tsv"
    lines = ["source\ttranslation\tback\tlabel"] + ["\t".join(row) for row in ROWS]
    labelled.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli_env.run("calibrate", str(labelled))
    assert result.exit_code == 0, result.output
    assert "precision" in result.output and "recall" in result.output
    toml_text = result.stdout  # only the TOML, so it can be appended to translator.toml
    assert toml_text.startswith("[thresholds]\n") and "precision" not in toml_text
    assert "7 labelled pairs are few" in result.stderr
    values = tomllib.loads(toml_text)["thresholds"]
    assert Thresholds.from_config(values).literal_weight > Thresholds.from_config(values).review_weight
    config = cli_env.tmp / "fitted.toml"
    config.write_text(toml_text, encoding="utf-8")
    assert load_settings(config_file=config).thresholds == values


def test_a_bad_label_is_reported_with_its_line(cli_env):
    labelled = cli_env.tmp / "bad.tsv"
    labelled.write_text("a\tb\tok\nc\td\tmaybe\n", encoding="utf-8")
    result = cli_env.run("calibrate", str(labelled))
    assert result.exit_code == 1
    assert f"{labelled}:2:" in result.output


def test_calibrate_refits_the_head_and_a_run_uses_it(cli_env):
    from translator.quality.qe.head import load_head

    labelled = cli_env.tmp / "labelled.tsv"
    labelled.write_text("\n".join("\t".join((s, t, label)) for s, t, _back, label in ROWS) + "\n", encoding="utf-8")
    head = cli_env.tmp / "team-head.json"
    result = cli_env.run("calibrate", str(labelled), "--head", str(head))
    assert result.exit_code == 0, result.output
    fitted = load_head(head)
    assert fitted.provenance["data"] == "7 labelled pairs"
    assert fitted.format == "translator.qe-head/3" and fitted.uses_coverage
    assert fitted.provenance["blend"] == load_head().provenance["blend"]  # too few pairs to choose one
    assert fitted.weights != load_head().weights
    values = tomllib.loads(result.stdout)
    assert values["qe_head"] == str(head.resolve())
    assert "review_qe" in values["thresholds"]
    config = cli_env.tmp / "fitted.toml"
    config.write_text(result.stdout, encoding="utf-8")
    pairs = cli_env.tmp / "p.tsv"
    pairs.write_text("Open the console.\tコンソールを開きます。\n", encoding="utf-8")
    checked = cli_env.run(
        "--config", str(config), "check", str(pairs), "--back-translate", "none", "--fail-on", "never"
    )
    assert checked.exit_code == 0, checked.output
    head.write_text("{broken", encoding="utf-8")
    refused = cli_env.run("--config", str(config), "check", str(pairs), "--back-translate", "none")
    assert refused.exit_code != 0
    assert f"{head}" in refused.output and "not a quality-estimation head" in refused.output
