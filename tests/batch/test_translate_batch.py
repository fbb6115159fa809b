"""translate --batch with amazon-translate: the run's texts go through one StartTextTranslationJob
whose documents sit in a real S3 server, and come back into the same documents."""

from __future__ import annotations

import json
from pathlib import Path

from tests.backends.aws import ACCESS_KEY, SECRET
from tests.batch.conftest import ROLE, configure

SENTENCES = [
    "Amazon SageMaker trains the model on managed Spot Instances.",
    "The endpoint serves **real-time** inference with `InvokeEndpoint`.",
    "Stop the endpoint when you finish the lab.",
    "Precision and recall are measured on the validation set.",
]


def write_folder(folder: Path, documents: int) -> None:
    folder.mkdir()
    for number in range(documents):
        lines = [f"# Lecture {number % 37}", ""]
        lines += [SENTENCES[(number + i) % len(SENTENCES)] for i in range(3)]
        lines += ["", f"Lesson {number} covers [the console](https://console.aws.amazon.com/) step by step."]
        (folder / f"lecture-{number:03d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def batch_config(cli_env, bucket: str) -> None:
    configure(cli_env, "amazon-translate",
              f'batch_bucket = "s3://{bucket}/jobs"\nbatch_role_arn = "{ROLE}"\nbatch_poll_interval = 0.05')


def run(cli_env, emulator, *args: str):
    return cli_env.run("translate", *args, "-b", "amazon-translate", "--backend-url", emulator.url,
                       "--no-check", "--no-glossary")


def outputs(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_two_hundred_documents_in_one_job_match_the_synchronous_run(cli_env, translate_emu, bucket, s3_server):
    write_folder(cli_env.tmp / "course", 200)
    batch_config(cli_env, bucket)

    synchronous = run(cli_env, translate_emu, "course", "-o", "sync", "--no-cache")
    assert synchronous.exit_code == 0, synchronous.output
    sent_one_by_one = len(translate_emu.operations("TranslateText"))
    assert sent_one_by_one > 0

    batch = run(cli_env, translate_emu, "course", "-o", "batch", "--no-cache", "--batch")
    assert batch.exit_code == 0, batch.output
    assert outputs(cli_env.tmp / "batch") == outputs(cli_env.tmp / "sync")
    assert len(outputs(cli_env.tmp / "batch")) == 200
    assert len(translate_emu.operations("TranslateText")) == sent_one_by_one  # nothing sent one by one
    starts = [json.loads(r.body) for r in translate_emu.operations("StartTextTranslationJob")]
    assert len(starts) == 1
    start = starts[0]
    assert start["DataAccessRoleArn"] == ROLE
    assert start["InputDataConfig"]["ContentType"] == "text/html"
    assert start["InputDataConfig"]["S3Uri"].startswith(f"s3://{bucket}/jobs/")
    assert len(translate_emu.operations("DescribeTextTranslationJob")) >= 1
    # The job really read its documents from S3 and wrote its output there.
    s3 = s3_server.client(ACCESS_KEY, SECRET)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert any("/input/part-" in k for k in keys)
    assert any("-TranslateText-" in k and k.rsplit("/", 1)[-1].startswith("ja.part-") for k in keys)
    assert "submitted Amazon Translate batch job" in batch.output
    assert not list((cli_env.tmp / "cache" / "batch-jobs").glob("*.json"))  # merged: nothing left to resume
