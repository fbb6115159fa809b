"""translate --batch with bedrock: the run's requests as JSONL records of one batch-inference job
(CreateModelInvocationJob) in a real S3 server, each with the Converse call's own prompt."""

from __future__ import annotations

import json

from tests.batch.conftest import ROLE, configure
from tests.batch.test_translate_batch import outputs, write_folder
from translator.backends.bedrock import DEFAULT_MODEL

NOVA = "us.amazon.nova-lite-v1:0"


def run(cli_env, emulator, *args: str):
    env = {"AWS_ENDPOINT_URL_BEDROCK": emulator.url}
    return cli_env.run(
        "translate", *args, "-b", "bedrock", "--backend-url", emulator.url, "--no-check", "--no-cache", env=env
    )


def batch_config(cli_env, bucket: str, extra: str = "") -> None:
    configure(
        cli_env,
        "bedrock",
        f'batch_bucket = "s3://{bucket}/bedrock"\nbatch_role_arn = "{ROLE}"\nbatch_poll_interval = 0.05\n{extra}',
    )


def test_two_hundred_documents_in_one_inference_job_match_the_converse_run(cli_env, bedrock_emu, bucket):
    write_folder(cli_env.tmp / "course", 200)
    batch_config(cli_env, bucket)
    glossary = cli_env.tmp / "team.yaml"
    glossary.write_text(
        "version: 1\nlanguage: en\nentries:\n  - term: inference\n    targets:\n      ja:\n        preferred: 推論\n",
        encoding="utf-8",
    )

    synchronous = run(cli_env, bedrock_emu, "course", "-o", "sync", "--glossary", str(glossary))
    assert synchronous.exit_code == 0, synchronous.output
    converse_calls = len(bedrock_emu.converse_requests())
    sync_prompts = set(bedrock_emu.prompts)

    batch = run(cli_env, bedrock_emu, "course", "-o", "batch", "--glossary", str(glossary), "--batch")
    assert batch.exit_code == 0, batch.output
    assert outputs(cli_env.tmp / "batch") == outputs(cli_env.tmp / "sync")
    assert len(bedrock_emu.converse_requests()) == converse_calls  # every answer came from the job
    creates = [r.json for r in bedrock_emu.job_requests("POST")]
    assert len(creates) == 1
    assert creates[0]["modelId"] == DEFAULT_MODEL and creates[0]["roleArn"] == ROLE
    assert creates[0]["inputDataConfig"]["s3InputDataConfig"]["s3InputFormat"] == "JSONL"
    assert bedrock_emu.job_requests("GET")
    # The records carry the synchronous call's prompts (glossary instructions included).
    assert bedrock_emu.batch_prompts and set(bedrock_emu.batch_prompts) <= sync_prompts
    assert any("推論" in prompt for prompt in bedrock_emu.batch_prompts)


def test_a_converse_style_model_and_a_record_the_model_got_wrong(cli_env, bedrock_emu, bucket, s3_server):
    """Nova takes a Converse-style body; a record whose answer lacks a translation is sent again
    through Converse, which asks again and splits as usual."""
    write_folder(cli_env.tmp / "course", 5)
    batch_config(cli_env, bucket, f'model = "{NOVA}"')
    reference = run(cli_env, bedrock_emu, "course", "-o", "sync")
    assert reference.exit_code == 0
    before = len(bedrock_emu.converse_requests())
    original = bedrock_emu._record_output
    spoiled = []

    def spoil_first(model_input):
        output = original(model_input)
        if not spoiled:
            spoiled.append(True)
            output["output"]["message"]["content"][0]["text"] = '{"translations": []}'
        return output

    bedrock_emu._record_output = spoil_first
    batch = run(cli_env, bedrock_emu, "course", "-o", "batch", "--batch")
    assert batch.exit_code == 0, batch.output
    assert outputs(cli_env.tmp / "batch") == outputs(cli_env.tmp / "sync")
    record = bedrock_emu.job_requests("POST")[0].json
    assert record["modelId"] == NOVA
    assert len(bedrock_emu.converse_requests()) == before + 1  # only the spoiled record's texts
    s3 = s3_server.client()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    inputs = [k for k in keys if k.endswith(".jsonl")]
    line = json.loads(s3.get_object(Bucket=bucket, Key=inputs[0])["Body"].read().decode().splitlines()[0])
    assert set(line["modelInput"]) == {"system", "messages", "inferenceConfig"}
    assert any(k.endswith("manifest.json.out") for k in keys)
