"""Batch runs over many documents: each distinct segment is paid for once per run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DEEPL_KEY
from translator.testing import DeepLEmulator

LECTURE = [
    "In this lecture we look at how Amazon SageMaker runs a training job.",
    "The model is evaluated with precision and recall.",
    "Next, we deploy the model to a real-time endpoint.",
]


def write_srt(path: Path, sentences: list[str]) -> None:
    blocks = [
        f"{n + 1}\n00:00:{n * 3:02d},000 --> 00:00:{n * 3 + 2:02d},500\n{text}\n" for n, text in enumerate(sentences)
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")


@pytest.mark.parametrize("concurrency", ["1", "4", "8"])
@pytest.mark.parametrize("cache", [True, False], ids=["memory", "no-cache"])
def test_ten_identical_transcripts_send_each_distinct_segment_once(cli_env, concurrency, cache) -> None:
    folder = cli_env.tmp / "course"
    folder.mkdir()
    for index in range(10):
        write_srt(folder / f"same-{index:02d}.srt", LECTURE)
    write_srt(folder / "other-a.srt", ["A different lecture about feature engineering."])
    write_srt(folder / "other-b.srt", ["Stop the endpoint when you finish the lab.", LECTURE[0]])
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        emulator.latency = 0.02
        args = [
            "translate",
            str(folder),
            "-b",
            "deepl",
            "--backend-url",
            emulator.url,
            "--concurrency",
            concurrency,
            "--no-check",
            "--no-glossary",
        ]
        result = cli_env.run(*args, *([] if cache else ["--no-cache"]))
        assert result.exit_code == 0, result.output
        sent = [text for r in emulator.requests if r.path == "/v2/translate" for text in r.json["text"]]
    assert sorted(sent) == sorted(set(sent))  # nothing sent twice
    assert len(sent) == len(LECTURE) + 2  # the distinct segments of the run
    outputs = [(cli_env.tmp / "course.ja" / f"same-{i:02d}.srt").read_text(encoding="utf-8") for i in range(10)]
    assert len(set(outputs)) == 1


def course(folder: Path, documents: int = 6) -> Path:
    folder.mkdir()
    for index in range(documents):
        sentences = [f"Lecture {index} covers topic {n} of model training." for n in range(8)] + LECTURE
        write_srt(folder / f"lecture-{index}.srt", sentences)
    return folder


def test_a_dry_run_sends_nothing_and_counts_what_the_real_run_then_sends(cli_env) -> None:
    folder = course(cli_env.tmp / "course")
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        args = ["translate", str(folder), "-b", "deepl", "--backend-url", emulator.url, "--no-glossary"]
        planned = cli_env.run(*args, "--dry-run")
        assert planned.exit_code == 0, planned.output
        assert emulator.requests == []
        assert not (cli_env.tmp / "course.ja").exists()
        real = cli_env.run(*args, "--back-translate", "none")
        assert real.exit_code == 0, real.output
        sent = [r for r in emulator.requests if r.path == "/v2/translate"]
    characters = sum(len(text) for r in sent for text in r.json["text"])
    assert f"forward (deepl): would send {characters:,} characters" in planned.output, planned.output
    assert f"in {len(sent):,} requests" in planned.output
    assert f"forward (deepl): sent {characters:,} characters" in real.output
    assert real.output.count(f"in {len(sent):,} requests") == 1
    assert "EUR" in planned.output  # priced with the default DeepL price


def test_a_dry_run_counts_what_the_memory_already_answers(cli_env) -> None:
    folder = course(cli_env.tmp / "course", documents=2)
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        args = ["translate", str(folder), "-b", "deepl", "--backend-url", emulator.url, "--no-glossary", "--no-check"]
        assert cli_env.run(*args).exit_code == 0
        emulator.reset()
        planned = cli_env.run(*args, "--dry-run")
        assert emulator.requests == []
    assert "would send 0 characters in 0 requests" in planned.output
    assert "from memory" in planned.output


def test_a_budget_stop_then_a_rerun_sends_only_the_rest_and_matches_one_run(cli_env) -> None:
    folder = course(cli_env.tmp / "course")
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        base = [
            "translate",
            str(folder),
            "-b",
            "deepl",
            "--backend-url",
            emulator.url,
            "--no-glossary",
            "--no-check",
            "--concurrency",
            "1",
        ]
        reference = cli_env.run(*base, "--no-cache", "-o", str(cli_env.tmp / "reference"))
        assert reference.exit_code == 0, reference.output
        total = sum(len(t) for r in emulator.requests if r.path == "/v2/translate" for t in r.json["text"])
        emulator.reset()
        stopped = cli_env.run(*base, "--budget", str(total // 2))
        assert stopped.exit_code != 0
        assert "budget of" in stopped.output and "would be exceeded" in stopped.output
        first = [t for r in emulator.requests if r.path == "/v2/translate" for t in r.json["text"]]
        assert 0 < sum(len(t) for t in first) <= total // 2
        emulator.reset()
        rest = cli_env.run(*base, "--budget", str(total))
        assert rest.exit_code == 0, rest.output
        second = [t for r in emulator.requests if r.path == "/v2/translate" for t in r.json["text"]]
    assert not set(first) & set(second)  # what the first run paid for is not sent again
    assert sum(len(t) for t in first + second) == total
    for path in (cli_env.tmp / "reference").iterdir():
        assert (cli_env.tmp / "course.ja" / path.name).read_bytes() == path.read_bytes()


def test_json_log_has_one_line_per_document_and_a_summary(cli_env) -> None:
    import json

    folder = course(cli_env.tmp / "course", documents=3)
    (folder / "broken.srt").write_text("1\n00:00:0X,000 --> 00:00:02,000\nHello\n", encoding="utf-8")
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        result = cli_env.run(
            "translate",
            str(folder),
            "-b",
            "deepl",
            "--backend-url",
            emulator.url,
            "--no-glossary",
            "--back-translate",
            "none",
            "--log-format",
            "json",
        )
    records = [json.loads(line) for line in result.stderr.splitlines()]
    documents = [r for r in records if r["event"] == "document"]
    assert len(documents) == 4
    assert {d["status"] for d in documents} == {"written", "failed"}
    (summary,) = [r for r in records if r["event"] == "summary"]
    assert summary["exit_code"] == result.exit_code == 1  # one source was bad input; the rest written
    assert summary["costs"][0]["role"] == "forward" and summary["costs"][0]["characters"] > 0


@pytest.mark.parametrize(("fault", "code"), [("quota", 4), ("auth", 3), ("503", 5)])
def test_distinct_exit_codes_tell_a_cron_job_what_stopped_the_run(cli_env, fault, code) -> None:
    import json

    folder = course(cli_env.tmp / "course", documents=1)
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        emulator.faults.queue(fault, count=50, path="/v2/translate")
        result = cli_env.run(
            "translate",
            str(folder),
            "-b",
            "deepl",
            "--backend-url",
            emulator.url,
            "--no-glossary",
            "--no-check",
            "--log-format",
            "json",
        )
    assert result.exit_code == code
    summary = json.loads(result.stderr.splitlines()[-1])
    assert summary["event"] == "summary" and summary["exit_code"] == code and DEEPL_KEY not in result.stderr


def test_the_json_report_and_the_dry_run_count_the_context_a_run_sends(cli_env) -> None:
    import json

    folder = course(cli_env.tmp / "course", documents=2)
    report = cli_env.tmp / "run.json"
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        args = ["translate", str(folder), "-b", "deepl", "--backend-url", emulator.url, "--no-glossary"]
        planned = cli_env.run(*args, "--dry-run")
        assert planned.exit_code == 0, planned.output
        real = cli_env.run(*args, "--back-translate", "none", "--report", str(report))
        assert real.exit_code == 0, real.output
        context = sum(len(r.json.get("context", "")) for r in emulator.requests if r.path == "/v2/translate")
    assert context > 0
    assert f"(+{context:,} context)" in planned.output
    (forward,) = [c for c in json.loads(report.read_text(encoding="utf-8"))["run"]["costs"] if c["role"] == "forward"]
    assert forward["context_characters"] == context and forward["currency"] == "EUR" and forward["requests"] > 0
