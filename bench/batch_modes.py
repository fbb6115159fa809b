"""Synchronous vs batch mode: a large folder through Amazon Translate, one text per request, or
one StartTextTranslationJob whose documents sit in S3.

Both runs use the same emulator (Translate's wire format, every answer delayed by ``--latency``
like a real round trip) and a real S3-compatible server (moto's server mode), side by side in one
run. It prints, for each mode, the HTTP requests to Translate and to S3, the characters the
service translated, and the wall time, with batch/synchronous ratios. The outputs of both runs
are compared and must be identical. Needs ``moto[server]`` (in the ``test`` extra).
Run ``python bench/batch_modes.py [--quick] [--latency 0.05]``.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lectures import write_course  # bench/lectures.py, beside this script

from translator.testing import AmazonTranslateEmulator
from translator.testing.s3 import S3Server

ACCESS_KEY = "AKIAEMULATOR0000TEST"


def run(config: Path, course: Path, out: Path, url: str, env: dict[str, str], *extra: str) -> float:
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "translator",
            "--config",
            str(config),
            "translate",
            str(course),
            "-o",
            str(out),
            "-b",
            "amazon-translate",
            "--backend-url",
            url,
            "--no-check",
            "--no-glossary",
            "--no-cache",
            *extra,
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return elapsed


def same_tree(left: Path, right: Path) -> bool:
    names = sorted(p.name for p in left.iterdir())
    if names != sorted(p.name for p in right.iterdir()):
        return False
    _, mismatch, errors = filecmp.cmpfiles(left, right, names, shallow=False)
    return not mismatch and not errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small folder, for a smoke run")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the emulator waits per request")
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between job status checks")
    args = parser.parse_args()
    transcripts, cues = (10, 20) if args.quick else (300, 60)
    with tempfile.TemporaryDirectory() as tmp, S3Server() as s3:
        root = Path(tmp)
        course = root / "course"
        write_course(course, transcripts, cues)
        s3.client(ACCESS_KEY).create_bucket(Bucket="bench")
        config = root / "translator.toml"
        config.write_text(
            f'[backends.amazon-translate]\nbatch_bucket = "s3://bench/jobs"\n'
            f'batch_role_arn = "arn:aws:iam::123456789012:role/TranslateBatch"\nbatch_poll_interval = {args.poll}\n',
            encoding="utf-8",
        )
        env = {
            **os.environ,
            "TRANSLATOR_NO_USER_CONFIG": "1",
            "TRANSLATOR_CACHE_DIR": str(root / "cache"),
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": "bench-secret",
            "AWS_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": str(root / "none"),
            "AWS_SHARED_CREDENTIALS_FILE": str(root / "none"),
            "AWS_ENDPOINT_URL_S3": s3.url,
        }
        figures: dict[str, dict[str, float]] = {}
        with AmazonTranslateEmulator(access_keys=(ACCESS_KEY,), s3_endpoint=s3.url) as emulator:
            emulator.latency = args.latency
            seconds = run(config, course, root / "sync", emulator.url, env)
            texts = [json.loads(r.body)["Text"] for r in emulator.operations("TranslateText")]
            figures["synchronous"] = {
                "translate requests": len(emulator.requests),
                "s3 requests": s3.requests,
                "characters": sum(map(len, texts)),
                "seconds": seconds,
            }
            before_translate, before_s3 = len(emulator.requests), s3.requests
            seconds = run(config, course, root / "batch", emulator.url, env, "--batch")
            figures["batch"] = {
                "translate requests": len(emulator.requests) - before_translate,
                "s3 requests": s3.requests - before_s3,
                "characters": sum(job.counts.get("characters", 0) for job in emulator.jobs.jobs.values()),
                "seconds": seconds,
            }
        identical = same_tree(root / "sync", root / "batch")
    print(
        f"{transcripts} transcripts x {cues} cues, {args.latency * 1000:.0f} ms per Translate request, "
        f"job polled every {args.poll:g} s"
    )
    print(f"{'mode':<12} {'translate requests':>18} {'s3 requests':>11} {'characters':>10} {'seconds':>8}")
    for mode, row in figures.items():
        print(
            f"{mode:<12} {row['translate requests']:18.0f} {row['s3 requests']:11.0f} {row['characters']:10.0f} "
            f"{row['seconds']:8.2f}"
        )
    sync, batch = figures["synchronous"], figures["batch"]
    print(
        f"batch/synchronous: requests {(batch['translate requests'] + batch['s3 requests']) / max(1, sync['translate requests'] + sync['s3 requests']):.3f}x, "
        f"characters {batch['characters'] / max(1, sync['characters']):.2f}x, time {batch['seconds'] / sync['seconds']:.2f}x; "
        f"outputs identical: {'yes' if identical else 'NO'}"
    )
    if not identical:
        raise SystemExit("the batch run's outputs differ from the synchronous run's")


if __name__ == "__main__":
    main()
