"""translate --batch with amazon-translate: the run's texts go through one StartTextTranslationJob
whose documents sit in a real S3 server, and come back into the same documents."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.backends.aws import ACCESS_KEY, SECRET
from tests.batch.conftest import ROLE, configure

GLOSSARY = """\
version: 1
language: en
entries:
  - term: inference
    targets:
      ja:
        preferred: 推論
"""

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
    configure(
        cli_env,
        "amazon-translate",
        f'batch_bucket = "s3://{bucket}/jobs"\nbatch_role_arn = "{ROLE}"\nbatch_poll_interval = 0.05',
    )


def run(cli_env, emulator, *args: str):
    return cli_env.run(
        "translate", *args, "-b", "amazon-translate", "--backend-url", emulator.url, "--no-check", "--no-glossary"
    )


def outputs(folder: Path) -> dict[str, str]:
    """The translated documents (not the record of what the run wrote)."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


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


def test_a_run_killed_while_polling_resumes_the_same_job(cli_env, translate_emu, bucket):
    write_folder(cli_env.tmp / "course", 30)
    batch_config(cli_env, bucket)
    reference = run(cli_env, translate_emu, "course", "-o", "sync", "--no-cache")
    assert reference.exit_code == 0, reference.output

    translate_emu.hold_jobs()  # the job stays SUBMITTED: the run keeps polling
    args = [
        sys.executable,
        "-m",
        "translator",
        "--config",
        str(cli_env.config),
        "translate",
        "course",
        "-o",
        "batch",
        "-b",
        "amazon-translate",
        "--backend-url",
        translate_emu.url,
        "--no-check",
        "--no-glossary",
        "--batch",
    ]
    process = subprocess.Popen(
        args, cwd=cli_env.tmp, env={**os.environ, **cli_env.env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        states = cli_env.tmp / "cache" / "batch-jobs"
        deadline = time.monotonic() + 60
        while not (list(states.glob("*.json")) and translate_emu.operations("DescribeTextTranslationJob")):
            assert process.poll() is None, "the run ended before the job was polled"
            assert time.monotonic() < deadline, "the job was never submitted and polled"
            time.sleep(0.05)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert not (cli_env.tmp / "batch").exists()  # nothing written before the job's answers
    assert len(translate_emu.operations("StartTextTranslationJob")) == 1

    translate_emu.release_jobs()
    rerun = run(cli_env, translate_emu, "course", "-o", "batch", "--batch")
    assert rerun.exit_code == 0, rerun.output
    assert "resuming Amazon Translate batch job" in rerun.output
    assert len(translate_emu.operations("StartTextTranslationJob")) == 1  # no second submission
    assert outputs(cli_env.tmp / "batch") == outputs(cli_env.tmp / "sync")


def test_a_failed_job_stops_the_run_with_the_services_message_and_is_not_resumed(cli_env, translate_emu, bucket):
    write_folder(cli_env.tmp / "course", 3)
    batch_config(cli_env, bucket)
    translate_emu.fail_jobs("The input documents could not be read.")
    result = run(cli_env, translate_emu, "course", "-o", "batch", "--batch", "--no-cache")
    assert result.exit_code == 1, result.output
    assert "batch job" in result.output and "ended FAILED" in result.output
    assert "The input documents could not be read." in result.output
    assert not (cli_env.tmp / "batch").exists()
    translate_emu.fail_jobs(None)
    again = run(cli_env, translate_emu, "course", "-o", "batch", "--batch", "--no-cache")
    assert again.exit_code == 0, again.output
    assert len(translate_emu.operations("StartTextTranslationJob")) == 2  # a failed job is submitted anew


def test_missing_batch_settings_and_other_backends_are_one_clear_line(cli_env, translate_emu, deepl):
    write_folder(cli_env.tmp / "course", 2)
    result = run(cli_env, translate_emu, "course", "-o", "batch", "--batch")
    assert result.exit_code == 1
    assert "batch_bucket" in result.output and "batch_role_arn" in result.output
    assert "Traceback" not in result.output
    other = cli_env.run("translate", "course", "-o", "batch", "--backend-url", deepl.url, "--batch", "--no-check")
    assert other.exit_code == 1
    assert "--batch works with amazon-translate and bedrock, not deepl" in other.output
    configure(
        cli_env,
        "amazon-translate",
        'batch_bucket = "bucket-without-scheme"\nbatch_role_arn = "arn:aws:iam::123456789012:role/R"',
    )
    bad = run(cli_env, translate_emu, "course", "-o", "batch", "--batch")
    assert bad.exit_code == 1 and "must be an S3 location" in bad.output
    assert not (cli_env.tmp / "batch").exists()
    assert not translate_emu.operations("TranslateText")


def test_the_glossary_goes_to_the_job_as_the_same_custom_terminology(cli_env, translate_emu, bucket):
    write_folder(cli_env.tmp / "course", 4)
    batch_config(cli_env, bucket)
    glossary = cli_env.tmp / "team.yaml"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    common = (
        "translate",
        "course",
        "-b",
        "amazon-translate",
        "--backend-url",
        translate_emu.url,
        "--no-check",
        "--no-cache",
        "--glossary",
        str(glossary),
    )
    assert cli_env.run(*common, "-o", "sync").exit_code == 0
    result = cli_env.run(*common, "-o", "batch", "--batch")
    assert result.exit_code == 0, result.output
    start = json.loads(translate_emu.operations("StartTextTranslationJob")[0].body)
    assert start["TerminologyNames"] and start["TerminologyNames"][0].startswith("translator-")
    assert translate_emu.imports == 1  # imported once, used by both runs
    assert outputs(cli_env.tmp / "batch") == outputs(cli_env.tmp / "sync")
    assert "推論" in "".join(outputs(cli_env.tmp / "batch").values())


def test_the_memory_answers_first_and_a_budget_is_checked_before_the_job_is_submitted(cli_env, translate_emu, bucket):
    write_folder(cli_env.tmp / "course", 6)
    batch_config(cli_env, bucket)
    over = run(cli_env, translate_emu, "course", "-o", "batch", "--batch", "--budget", "100")
    assert over.exit_code == 4, over.output
    assert "nothing was submitted" in over.output
    assert not translate_emu.operations("StartTextTranslationJob")

    (cli_env.tmp / "course" / "lecture-000.md").rename(cli_env.tmp / "first.md")
    assert run(cli_env, translate_emu, "first.md", "-o", "first.ja.md").exit_code == 0  # fills the memory
    remembered = {json.loads(r.body)["Text"] for r in translate_emu.operations("TranslateText")}
    result = run(cli_env, translate_emu, "course", "-o", "batch", "--batch")
    assert result.exit_code == 0, result.output
    page = "".join(s3_text(translate_emu, bucket, key) for key in s3_keys(translate_emu, bucket) if "/input/" in key)
    assert page and not any(f">{text}</div>" in page for text in remembered)  # not paid twice


def s3_keys(emulator, bucket: str) -> list[str]:
    from translator.testing.s3 import list_keys, s3_client

    return list_keys(s3_client(emulator.s3_endpoint, ACCESS_KEY, SECRET), bucket, "")


def s3_text(emulator, bucket: str, key: str) -> str:
    from translator.testing.s3 import s3_client

    client = s3_client(emulator.s3_endpoint, ACCESS_KEY, SECRET)
    return client.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")


def test_the_memory_goes_to_the_job_as_parallel_data_when_asked(cli_env, translate_emu, bucket):
    write_folder(cli_env.tmp / "course", 6)
    batch_config(cli_env, bucket)
    configure(cli_env, "amazon-translate", "batch_memory_parallel_data = true")
    (cli_env.tmp / "course" / "lecture-000.md").rename(cli_env.tmp / "first.md")
    assert run(cli_env, translate_emu, "first.md", "-o", "first.ja.md").exit_code == 0  # fills the memory
    remembered = {json.loads(r.body)["Text"] for r in translate_emu.operations("TranslateText")}
    reference = run(cli_env, translate_emu, "course", "-o", "sync", "--no-cache")
    assert reference.exit_code == 0

    result = run(cli_env, translate_emu, "course", "-o", "batch", "--batch")
    assert result.exit_code == 0, result.output
    assert outputs(cli_env.tmp / "batch") == outputs(cli_env.tmp / "sync")
    created = [json.loads(r.body) for r in translate_emu.operations("CreateParallelData")]
    assert len(created) == 1 and created[0]["ParallelDataConfig"]["Format"] == "TSV"
    name = created[0]["Name"]
    assert set(translate_emu.parallel_data[name]["pairs"]) == remembered
    start = json.loads(translate_emu.operations("StartTextTranslationJob")[0].body)
    assert start["ParallelDataNames"] == [name]
