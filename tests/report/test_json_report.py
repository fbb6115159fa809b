"""The JSON report: schema ``translator.report/1``, validated against the shipped JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.report.helpers import CHRF_SIGNATURE, make_result, make_run
from tests.report.schema_check import errors
from translator.config import Settings
from translator.errors import ConfigError
from translator.report import SCHEMA, load_schema, write_reports
from translator.testing import DeepLEmulator

SAMPLE = SAMPLES / "awsdocs" / "sagemaker__how-it-works-training.md"


def write_json(folder: Path, run=None) -> dict:
    path = folder / "report.json"
    write_reports(run or make_run(), [str(path)], Settings())
    return json.loads(path.read_text(encoding="utf-8"))


def test_report_validates_against_the_shipped_schema(tmp_path: Path) -> None:
    report = write_json(tmp_path)
    assert report["schema"] == SCHEMA
    assert errors(report, load_schema()) == []


def test_schema_checker_rejects_a_report_that_breaks_the_schema(tmp_path: Path) -> None:
    report = write_json(tmp_path)
    report["documents"][0]["segments"][0]["verdict"] = "fine"
    del report["run"]["created"]
    found = errors(report, load_schema())
    assert any("verdict" in e for e in found) and any("missing created" in e for e in found)


def test_report_carries_run_metadata_documents_and_segments(tmp_path: Path) -> None:
    report = write_json(tmp_path)
    run = report["run"]
    assert run["backend"] == "pseudo" and run["source_lang"] == "en" and run["target_lang"] == "ja"
    assert run["glossary_hash"] == "abc123" and run["tool_version"] == "0.1.0"
    assert run["created"].endswith("Z")
    assert run["signatures"]["chrf.sentence"] == CHRF_SIGNATURE
    document = report["documents"][0]
    assert document["verdicts"] == {"ok": 3, "review": 2, "literal": 1, "unchecked": 0}
    assert document["metric"] == "chrf" and document["score"] == 71.3
    segment = document["segments"][3]
    assert segment["id"] == "s4" and segment["line"] == 7 and segment["kind"] == "paragraph"
    assert segment["source"] == "You can change your settings."
    assert segment["translation"] == "あなたはあなたの設定を変更することができます。"
    assert segment["back_translation"] == "You can change your settings."
    assert segment["scores"] == {"chrf": 60.0} and segment["verdict"] == "review" and segment["origin"] == "backend"
    assert [f["check"] for f in segment["rule_hits"]] == ["rule.ja.anata"]
    assert report["documents"][0]["segments"][4]["glossary_findings"][0]["expected"] == "推論"


def test_unchecked_run_reports_translations_without_verdicts(tmp_path: Path) -> None:
    report = write_json(tmp_path, make_run(make_result(checked=False)))
    assert errors(report, load_schema()) == []
    document = report["documents"][0]
    assert document["verdicts"]["unchecked"] == 6 and document["metric"] is None and document["score"] is None
    assert all(s["verdict"] is None and s["translation"] for s in document["segments"])


def test_unknown_report_suffix_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="must end in .json or .html"):
        write_reports(make_run(), [str(tmp_path / "report.txt")], Settings())


def test_report_is_written_without_leaving_temporary_files(tmp_path: Path) -> None:
    write_json(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_translate_cli_report_never_contains_the_key(cli_env, tmp_path: Path) -> None:
    secret = "dl-9f8e7d6c5b4a-secret"
    source = tmp_path / "page.md"
    source.write_text("# Training\n\nYou can stop the training job at any time.\n", encoding="utf-8")
    with DeepLEmulator(auth_keys=(secret,)) as deepl:
        result = cli_env.run(
            "translate",
            str(source),
            "-b",
            "deepl",
            "--backend-url",
            deepl.url,
            "-o",
            str(tmp_path / "page.ja.md"),
            "--back-translate",
            "all",
            "--report",
            str(tmp_path / "r.json"),
            "--report",
            str(tmp_path / "r.html"),
            env={"DEEPL_AUTH_KEY": secret, "OPENAI_API_KEY": secret},
        )
    assert result.exit_code == 0, result.output
    for name in ("r.json", "r.html"):
        assert secret not in (tmp_path / name).read_text(encoding="utf-8")
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert errors(report, load_schema()) == []
    assert report["run"]["backend"] == "deepl"
    assert [s["source"] for s in report["documents"][0]["segments"]] == [
        "Training",
        "You can stop the training job at any time.",
    ]


def test_translate_cli_writes_both_reports_for_a_sample(cli_env, tmp_path: Path) -> None:
    result = cli_env.run(
        "translate",
        str(SAMPLE),
        "-b",
        "pseudo",
        "--no-cache",
        "-o",
        str(tmp_path / "out.md"),
        "--report",
        str(tmp_path / "r.json"),
        "--report",
        str(tmp_path / "r.html"),
    )
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert errors(report, load_schema()) == []
    document = report["documents"][0]
    assert sum(document["verdicts"].values()) == len(document["segments"]) > 10
    assert report["run"]["signatures"]
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!doctype html>")


def test_no_check_run_still_writes_the_report(cli_env, tmp_path: Path) -> None:
    result = cli_env.run(
        "translate",
        str(SAMPLE),
        "-b",
        "pseudo",
        "--no-check",
        "-o",
        str(tmp_path / "out.md"),
        "--report",
        str(tmp_path / "r.json"),
    )
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert errors(report, load_schema()) == []
    document = report["documents"][0]
    assert document["verdicts"]["unchecked"] == len(document["segments"]) > 10
