"""The LLM judge (``--judge-backend``) end to end: the real CLI asks the OpenAI-compatible and the
Bedrock emulators (over loopback HTTP, Bedrock through boto3) for error spans, checks them, and
the verdicts and reports carry what the model found."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.backends.aws import ACCESS_KEY, isolate_aws
from translator.quality.judges.base import Judge, JudgeItem
from translator.quality.judges.llm import AnswerError, LLMJudge, mqm_score, parse_answer
from translator.testing import BedrockEmulator, OpenAIEmulator

OPENAI_KEY = "sk-test"
PAIRS = [
    ("You can change your settings.", "あなたは設定を変更できます。"),
    ("Inference is fast.", "推測は高速です。"),
    ("Stop the training job.", "トレーニングジョブを停止します。"),
]


@pytest.fixture
def openai() -> Iterator[OpenAIEmulator]:
    with OpenAIEmulator(api_keys=(OPENAI_KEY,)) as emulator:
        yield emulator


def write_pairs(cli_env, pairs=PAIRS):
    path = cli_env.tmp / "pairs.tsv"
    path.write_text("".join(f"{en}\t{ja}\n" for en, ja in pairs), encoding="utf-8")
    return path


def check_with_openai(cli_env, openai, path, *extra: str):
    report = cli_env.tmp / "review.json"
    result = cli_env.run(
        "check",
        str(path),
        "--back-translate",
        "none",
        "--judge-backend",
        "openai",
        "--report",
        str(report),
        "--fail-on",
        "never",
        *extra,
        env={"OPENAI_API_KEY": OPENAI_KEY, "OPENAI_BASE_URL": openai.base_url},
    )
    assert result.exit_code == 0, result.output
    segments = json.loads(report.read_text(encoding="utf-8"))["documents"][0]["segments"]
    return result, {s["source"]: s for s in segments}


def llm_findings(segment) -> list[dict]:
    return [
        f
        for f in segment["other_findings"] + segment["rule_hits"] + segment["glossary_findings"]
        if f["check"].startswith("llm.")
    ]


def test_error_spans_become_findings_scores_and_verdicts(cli_env, openai):
    openai.judge.plant("あなたは", "fluency/unnatural", "major", "generic 'you' is not written in Japanese")
    _result, segments = check_with_openai(cli_env, openai, write_pairs(cli_env))

    you = segments["You can change your settings."]
    (finding,) = llm_findings(you)
    assert finding["check"] == "llm.fluency.unnatural" and finding["severity"] == "functional"
    assert finding["found"] == "あなたは" and finding["span"] == [0, 4]
    assert "generic 'you'" in finding["message"]
    assert you["scores"]["judge.llm"] == 80.0  # one major error: 5 of 25 MQM points

    # The shipped glossary's entry for "inference" reached the model, which used it.
    inference = segments["Inference is fast."]
    (term,) = llm_findings(inference)
    assert term["check"] == "llm.terminology" and term["found"] == "推測"
    assert inference["scores"]["judge.llm"] == 80.0 and inference["verdict"] in ("review", "literal")
    prompt = next(r for r in openai.judge.requests if r["source"] == "Inference is fast.")
    assert any(t["term"] == "Inference" and "推論" in t["renderings"] for t in prompt["terms"])

    clean = segments["Stop the training job."]
    assert llm_findings(clean) == [] and clean["scores"]["judge.llm"] == 100.0 and clean["verdict"] == "ok"
    assert len(openai.judge.requests) == 3  # one question per segment, with its neighbours as context
    middle = next(r for r in openai.judge.requests if r["source"] == "Inference is fast.")
    assert "You can change your settings." in middle["context"] and "Stop the training job." in middle["context"]


def test_a_critical_error_makes_the_segment_literal(cli_env, openai):
    openai.judge.plant("設定", "accuracy/mistranslation", "critical")
    _result, segments = check_with_openai(cli_env, openai, write_pairs(cli_env, PAIRS[:1]), "--no-glossary")
    segment = segments["You can change your settings."]
    assert segment["verdict"] == "literal" and segment["scores"]["judge.llm"] == 0.0


@pytest.mark.parametrize("kind", ["not-json", "unknown-category", "span-not-found"])
def test_a_malformed_answer_is_asked_again_once(cli_env, openai, kind):
    openai.judge.plant("あなたは", "fluency/unnatural", "minor")
    openai.judge.malformed(1, kind)
    _result, segments = check_with_openai(cli_env, openai, write_pairs(cli_env, PAIRS[:1]), "--no-glossary")
    segment = segments["You can change your settings."]
    assert len(openai.judge.requests) == 2
    assert [f["check"] for f in llm_findings(segment)] == ["llm.fluency.unnatural"]
    assert segment["scores"]["judge.llm"] == 96.0


def test_two_malformed_answers_leave_the_judge_unavailable_for_that_segment(cli_env, openai):
    openai.judge.malformed(2, "unknown-category")
    result, segments = check_with_openai(cli_env, openai, write_pairs(cli_env, PAIRS[:1]), "--no-glossary")
    segment = segments["You can change your settings."]
    assert len(openai.judge.requests) == 2
    assert "judge.llm" not in segment["scores"] and llm_findings(segment) == []
    notes = [f for f in segment["other_findings"] if f["check"] == "quality.llm-unavailable"]
    assert notes and "no usable answer" in notes[0]["message"]
    assert segment["verdict"] == "review"  # from the rules (あなたは), not from the missing answer


def test_a_used_up_quota_on_the_judge_is_one_clear_line_and_no_key_shown(cli_env, openai):
    openai.faults.queue("quota", count=3, path="/v1/chat/completions")
    path = write_pairs(cli_env, PAIRS[:1])
    result = cli_env.run(
        "check",
        str(path),
        "--back-translate",
        "none",
        "--no-glossary",
        "--judge-backend",
        "openai",
        env={"OPENAI_API_KEY": OPENAI_KEY, "OPENAI_BASE_URL": openai.base_url},
    )
    assert result.exit_code == 4  # quota or budget
    assert "insufficient_quota" in result.output and "Traceback" not in result.output
    assert OPENAI_KEY not in result.output
    assert len(openai.requests) == 1  # a used-up quota is not retried


def test_a_judge_backend_that_is_not_an_llm_is_one_clear_line(cli_env, openai):
    path = write_pairs(cli_env, PAIRS[:1])
    result = cli_env.run("check", str(path), "--back-translate", "none", "--judge-backend", "deepl")
    assert result.exit_code != 0
    assert "judge_backend 'deepl' is not an LLM backend" in result.output
    assert "Traceback" not in result.output


def test_the_judge_backend_can_be_set_in_translator_toml(cli_env, openai):
    openai.judge.plant("あなたは", "style", "minor")
    cli_env.config.write_text(
        cli_env.config.read_text(encoding="utf-8").replace("[backends.", 'judge_backend = "openai"\n\n[backends.', 1),
        encoding="utf-8",
    )
    report = cli_env.tmp / "review.json"
    result = cli_env.run(
        "check",
        str(write_pairs(cli_env, PAIRS[:1])),
        "--back-translate",
        "none",
        "--no-glossary",
        "--report",
        str(report),
        "--fail-on",
        "never",
        env={"OPENAI_API_KEY": OPENAI_KEY, "OPENAI_BASE_URL": openai.base_url},
    )
    assert result.exit_code == 0, result.output
    (segment,) = json.loads(report.read_text(encoding="utf-8"))["documents"][0]["segments"]
    assert [f["check"] for f in llm_findings(segment)] == ["llm.style"]


def test_translate_with_bedrock_judged_by_bedrock_through_boto3(cli_env, monkeypatch):
    isolate_aws(
        cli_env, monkeypatch, region="us-east-1", unset=("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_BEARER_TOKEN_BEDROCK")
    )
    table = {
        ("You can change your settings.", "JA"): "あなたは設定を変更できます。",
        ("Stop the training job.", "JA"): "トレーニングジョブを停止します。",
    }
    with BedrockEmulator(phrase_table=table, access_keys=(ACCESS_KEY,)) as bedrock:
        bedrock.judge.plant("あなたは", "fluency/unnatural", "major", "word-for-word 'you'")
        source = cli_env.tmp / "lesson.txt"
        source.write_text("You can change your settings.\n\nStop the training job.\n", encoding="utf-8")
        report = cli_env.tmp / "review.json"
        result = cli_env.run(
            "translate",
            str(source),
            "-b",
            "bedrock",
            "--judge-backend",
            "bedrock",
            "--back-translate",
            "none",
            "--no-cache",
            "--no-glossary",
            "--report",
            str(report),
            "-o",
            str(cli_env.tmp / "lesson.ja.txt"),
            env={"AWS_ENDPOINT_URL_BEDROCK_RUNTIME": bedrock.url},
        )
        assert result.exit_code == 0, result.output
        assert len(bedrock.judge.requests) == 2
        assert all(s.service == "bedrock" for s in bedrock.signatures)  # signed by botocore
        assert any("MQM" in prompt for prompt in bedrock.prompts)
    segments = {s["source"]: s for s in json.loads(report.read_text(encoding="utf-8"))["documents"][0]["segments"]}
    you = segments["You can change your settings."]
    assert [f["found"] for f in llm_findings(you)] == ["あなたは"] and you["scores"]["judge.llm"] == 80.0
    assert segments["Stop the training job."]["scores"]["judge.llm"] == 100.0


def test_bedrock_judge_survives_a_malformed_answer_and_a_throttled_call(cli_env, monkeypatch):
    isolate_aws(
        cli_env, monkeypatch, region="us-east-1", unset=("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_BEARER_TOKEN_BEDROCK")
    )
    with BedrockEmulator(access_keys=(ACCESS_KEY,)) as bedrock:
        bedrock.judge.malformed(1, "not-json")
        bedrock.fail_next("ThrottlingException")
        path = write_pairs(cli_env, PAIRS[2:])
        report = cli_env.tmp / "review.json"
        result = cli_env.run(
            "check",
            str(path),
            "--back-translate",
            "none",
            "--no-glossary",
            "--judge-backend",
            "bedrock",
            "--report",
            str(report),
            env={"AWS_ENDPOINT_URL_BEDROCK_RUNTIME": bedrock.url},
        )
        assert result.exit_code == 0, result.output
        assert len(bedrock.judge.requests) == 2  # the throttled call was retried by the backend, then asked again once
    (segment,) = json.loads(report.read_text(encoding="utf-8"))["documents"][0]["segments"]
    assert segment["scores"]["judge.llm"] == 100.0


class ScriptedModel:
    """Answers from a list, for the parts of the contract no emulator is needed to show."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)

    async def complete(self, system: str, user: str) -> str:
        return self.answers.pop(0)


def test_the_judge_meets_the_judge_contract():
    import asyncio

    judge = LLMJudge(ScriptedModel('{"errors": []}', "nonsense", "nonsense"))
    assert isinstance(judge, Judge) and judge.name == "llm"
    items = [JudgeItem("a", "Hello.", "こんにちは。"), JudgeItem("b", "Bye.", "さようなら。")]
    first, second = asyncio.run(judge.judge(items))
    assert first.available and first.score == 100.0
    assert not second.available and second.score is None


def test_answers_are_checked_not_trusted():
    source, translation = "Deploy the model to an endpoint.", "モデルをエンドポイントにデプロイします。"
    ok = parse_answer(
        '```json\n{"errors": [{"span": "an endpoint", "category": "accuracy/omission", "severity": "minor"}]}\n```',
        source,
        translation,
    )
    assert ok[0].category == "accuracy/omission"
    for bad in (
        '{"errors": [{"span": "モデル", "category": "grammar", "severity": "minor"}]}',
        '{"errors": [{"span": "モデル", "category": "style", "severity": "fatal"}]}',
        '{"errors": [{"span": "推論", "category": "terminology", "severity": "major"}]}',
        '{"errors": [{"span": "an endpoint", "category": "terminology", "severity": "major"}]}',
        '{"issues": []}',
        "no errors found",
    ):
        with pytest.raises(AnswerError):
            parse_answer(bad, source, translation)


def test_score_follows_the_mqm_weights():
    def errors(*severities: str):
        return parse_answer(
            json.dumps({"errors": [{"span": "a", "category": "style", "severity": s} for s in severities]}), "", "a"
        )

    assert mqm_score(errors()) == 100.0
    assert mqm_score(errors("minor")) == 96.0
    assert mqm_score(errors("major", "minor")) == 76.0
    assert mqm_score(errors("critical")) == 0.0
    assert mqm_score(errors(*["major"] * 6)) == 0.0  # capped at 25 points


def test_fix_candidates_are_judged_by_the_llm_too(cli_env):
    from translator.testing import DeepLEmulator

    english = "You can change your settings."
    literal = "あなたはあなたの設定を変更することができます。"
    natural = "設定を変更できます。"
    with (
        DeepLEmulator(auth_keys=("test-key",), phrase_table={(english, "JA"): literal}) as deepl,
        OpenAIEmulator(api_keys=(OPENAI_KEY,), phrase_table={(english, "JA"): natural}) as openai,
    ):
        openai.judge.plant("あなたは", "fluency/unnatural", "major")
        source = cli_env.tmp / "a.txt"
        source.write_text(english + "\n", encoding="utf-8")
        report = cli_env.tmp / "review.json"
        result = cli_env.run(
            "translate",
            str(source),
            "-b",
            "deepl",
            "--backend-url",
            deepl.url,
            "--fix",
            "--fix-backend",
            "openai",
            "--judge-backend",
            "openai",
            "--back-translate",
            "none",
            "--no-glossary",
            "--no-cache",
            "--report",
            str(report),
            "-o",
            "-",
            env={"OPENAI_API_KEY": OPENAI_KEY, "OPENAI_BASE_URL": openai.base_url},
        )
        assert result.exit_code == 0, result.output
        assert [r["translation"] for r in openai.judge.requests] == [literal, natural]
    assert result.stdout.strip() == natural
    (segment,) = json.loads(report.read_text(encoding="utf-8"))["documents"][0]["segments"]
    assert segment["scores"]["judge.llm"] == 100.0 and segment["verdict"] == "ok"
    assert [a["scores"].get("judge.llm") for a in segment["alternatives"]] == [80.0, 100.0]
