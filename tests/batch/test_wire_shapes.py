"""The emulators' batch APIs answer in the shapes of botocore's own service models (which botocore
ships): every member known to the model, every required member present, enums within their values."""

from __future__ import annotations

import json
import time

import boto3
import botocore.session
from botocore.config import Config

from tests.backends.aws import ACCESS_KEY, SECRET
from tests.batch.conftest import ROLE


def check(value, shape, where: str) -> None:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(value, dict), where
        assert set(value) <= set(shape.members), f"{where}: {set(value) - set(shape.members)} not in the model"
        assert set(shape.required_members) <= set(value), f"{where}: missing {set(shape.required_members) - set(value)}"
        for name, item in value.items():
            check(item, shape.members[name], f"{where}.{name}")
    elif kind == "list":
        assert isinstance(value, list), where
        for index, item in enumerate(value):
            check(item, shape.member, f"{where}[{index}]")
    elif kind == "string":
        assert isinstance(value, str), where
        if shape.enum:
            assert value in shape.enum, f"{where}: {value!r} not in {shape.enum}"
    elif kind in ("integer", "long"):
        assert isinstance(value, int), where
    elif kind == "timestamp":
        assert isinstance(value, (int, float, str)), where


def raw_answers(client) -> dict[str, list[dict]]:
    seen: dict[str, list[dict]] = {}

    def keep(http_response, model, **_):
        seen.setdefault(model.name, []).append(json.loads(http_response.content or b"{}"))

    client.meta.events.register("after-call", keep)
    return seen


def client(service: str, url: str):
    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET,
        config=Config(retries={"total_max_attempts": 1}),
    )


def wait(get, done: set[str]) -> dict:
    for _ in range(200):
        answer = get()
        if answer in done:
            return answer
        time.sleep(0.02)
    raise AssertionError("the job never ended")


def test_translate_batch_answers_follow_the_translate_model(translate_emu, bucket, s3_server):
    s3 = s3_server.client(ACCESS_KEY, SECRET)
    s3.put_object(Bucket=bucket, Key="in/a.html", Body=b'<html><body><div id="t0">Hello world.</div></body></html>')
    translate = client("translate", translate_emu.url)
    seen = raw_answers(translate)
    job = translate.start_text_translation_job(
        JobName="shapes",
        InputDataConfig={"S3Uri": f"s3://{bucket}/in/", "ContentType": "text/html"},
        OutputDataConfig={"S3Uri": f"s3://{bucket}/out/"},
        DataAccessRoleArn=ROLE,
        SourceLanguageCode="en",
        TargetLanguageCodes=["ja"],
        ClientToken="shapes-0",
    )
    wait(
        lambda: translate.describe_text_translation_job(JobId=job["JobId"])["TextTranslationJobProperties"][
            "JobStatus"
        ],
        {"COMPLETED"},
    )
    s3.put_object(Bucket=bucket, Key="pairs.tsv", Body="en\tja\nHello world.\tこんにちは、世界。\n".encode())
    translate.create_parallel_data(
        Name="pairs", ParallelDataConfig={"S3Uri": f"s3://{bucket}/pairs.tsv", "Format": "TSV"}, ClientToken="pairs"
    )
    wait(lambda: translate.get_parallel_data(Name="pairs")["ParallelDataProperties"]["Status"], {"ACTIVE"})
    model = botocore.session.get_session().get_service_model("translate")
    for operation, answers in seen.items():
        for answer in answers:
            check(answer, model.operation_model(operation).output_shape, operation)
    assert set(seen) == {
        "StartTextTranslationJob",
        "DescribeTextTranslationJob",
        "CreateParallelData",
        "GetParallelData",
    }
    out = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="out/")["Contents"]]
    assert out == [f"out/123456789012-TranslateText-{job['JobId']}/ja.a.html"]
    again = translate.start_text_translation_job(  # the same client token is the same job
        JobName="shapes",
        InputDataConfig={"S3Uri": f"s3://{bucket}/in/", "ContentType": "text/html"},
        OutputDataConfig={"S3Uri": f"s3://{bucket}/out/"},
        DataAccessRoleArn=ROLE,
        SourceLanguageCode="en",
        TargetLanguageCodes=["ja"],
        ClientToken="shapes-0",
    )
    assert again["JobId"] == job["JobId"]


def test_bedrock_batch_answers_follow_the_bedrock_model(bedrock_emu, bucket, s3_server):
    s3 = s3_server.client(ACCESS_KEY, SECRET)
    record = {
        "recordId": "r1",
        "modelInput": {
            "system": [{"text": "x"}],
            "messages": [
                {
                    "role": "user",
                    "content": [{"text": json.dumps({"source_lang": "en", "target_lang": "ja", "texts": ["Hi."]})}],
                }
            ],
        },
    }
    s3.put_object(Bucket=bucket, Key="in/records.jsonl", Body=(json.dumps(record) + "\n").encode())
    bedrock = client("bedrock", bedrock_emu.url)
    seen = raw_answers(bedrock)
    job = bedrock.create_model_invocation_job(
        jobName="shapes",
        roleArn=ROLE,
        modelId="us.amazon.nova-lite-v1:0",
        clientRequestToken="shapes-0",
        inputDataConfig={"s3InputDataConfig": {"s3Uri": f"s3://{bucket}/in/records.jsonl"}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"s3://{bucket}/out/"}},
    )
    wait(lambda: bedrock.get_model_invocation_job(jobIdentifier=job["jobArn"])["status"], {"Completed"})
    model = botocore.session.get_session().get_service_model("bedrock")
    for operation, answers in seen.items():
        for answer in answers:
            check(answer, model.operation_model(operation).output_shape, operation)
    assert set(seen) == {"CreateModelInvocationJob", "GetModelInvocationJob"}
    job_id = job["jobArn"].rsplit("/", 1)[-1]
    body = s3.get_object(Bucket=bucket, Key=f"out/{job_id}/records.jsonl.out")["Body"].read().decode()
    line = json.loads(body.splitlines()[0])
    assert line["recordId"] == "r1" and "modelOutput" in line
