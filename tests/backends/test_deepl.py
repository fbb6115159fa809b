"""The DeepL backend end to end: the real CLI against the DeepL emulator over loopback sockets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends.contract import BackendContract, Subject, contract_settings
from tests.conftest import DEEPL_KEY
from translator.backends.deepl import DeepLBackend
from translator.testing import DeepLEmulator


def big_text(count: int) -> str:
    return (
        "\n\n".join(
            f"Paragraph {i}: Amazon SageMaker trains model number {i} on managed Spot Instances to save cost."
            for i in range(count)
        )
        + "\n"
    )


def translate_requests(emulator):
    return [r for r in emulator.requests if r.path == "/v2/translate"]


def run_deepl(cli_env, emulator, *args):
    return cli_env.run(
        "translate", *args, "-b", "deepl", "--backend-url", emulator.url, "--no-cache", "--no-check", "--no-glossary"
    )


def test_two_thousand_segments_go_in_at_most_forty_requests_under_128_kib(cli_env, deepl):
    source = cli_env.tmp / "big.txt"
    source.write_text(big_text(2000), encoding="utf-8")
    result = run_deepl(cli_env, deepl, str(source), "-o", str(cli_env.tmp / "big.ja.txt"))
    assert result.exit_code == 0, result.output
    requests = translate_requests(deepl)
    assert len(requests) <= 40
    assert all(len(r.body) < 128 * 1024 for r in requests)
    assert sum(len(r.json["text"]) for r in requests) == 2000
    output = (cli_env.tmp / "big.ja.txt").read_text(encoding="utf-8")
    assert output.count("[ja] Paragraph") == 2000


def test_request_shape_follows_the_deepl_api(cli_env, deepl):
    source = cli_env.tmp / "a.txt"
    source.write_text("See https://aws.amazon.com/sagemaker/ for {name}.\n", encoding="utf-8")
    result = run_deepl(cli_env, deepl, str(source), "-o", "-")
    assert result.exit_code == 0, result.output
    (request,) = translate_requests(deepl)
    body = request.json
    assert request.headers["authorization"] == "DeepL-Auth-Key ***"  # recorded redacted
    assert body["source_lang"] == "EN" and body["target_lang"] == "JA"
    assert body["tag_handling"] == "xml" and body["ignore_tags"] == ["x"]
    assert "https://aws.amazon.com" not in json.dumps(body)  # protected, never sent as text
    assert "https://aws.amazon.com/sagemaker/ for {name}." in result.stdout


def test_faults_on_thirty_percent_of_requests_do_not_change_the_output(cli_env, deepl):
    source = cli_env.tmp / "doc.txt"
    source.write_text(big_text(300), encoding="utf-8")
    clean = cli_env.tmp / "clean.txt"
    faulty = cli_env.tmp / "faulty.txt"
    args = ["--concurrency", "4"]
    assert run_deepl(cli_env, deepl, str(source), "-o", str(clean), *args).exit_code == 0
    deepl.reset()
    deepl.faults.random(0.3, kinds=["429", "500", "502", "503", "drop"], seed=7, path="/v2/translate")
    result = run_deepl(cli_env, deepl, str(source), "-o", str(faulty), *args)
    assert result.exit_code == 0, result.output
    faults = [r.fault for r in translate_requests(deepl) if r.fault]
    assert len(faults) >= 2
    assert faulty.read_bytes() == clean.read_bytes()


def test_retry_after_is_honoured_and_a_slow_answer_is_retried(cli_env, deepl):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello there.\n", encoding="utf-8")
    deepl.faults.queue("429", retry_after=1, path="/v2/translate")
    deepl.faults.queue("slow", seconds=3.0, path="/v2/translate")
    result = run_deepl(cli_env, deepl, str(source), "-o", "-")
    assert result.exit_code == 0, result.output
    assert [r.fault for r in translate_requests(deepl)] == ["429", "slow", None]
    assert result.stdout.strip() == "[ja] Hello there."


def test_quota_exceeded_stops_at_once_and_names_the_quota(cli_env, deepl):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello there.\n", encoding="utf-8")
    out = cli_env.tmp / "a.ja.txt"
    out.write_text("previous translation\n", encoding="utf-8")
    deepl.faults.queue("quota", count=5, path="/v2/translate")
    result = run_deepl(cli_env, deepl, str(source), "-o", str(out))
    assert result.exit_code == 4
    assert "quota" in result.stderr.lower()
    assert len(result.stderr.strip().splitlines()) == 1
    assert len(translate_requests(deepl)) == 1  # not retried
    assert out.read_text(encoding="utf-8") == "previous translation\n"


def test_a_refused_key_is_reported_without_showing_it(cli_env, deepl):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello there.\n", encoding="utf-8")
    secret = "sk-do-not-show-0123456789"
    result = cli_env.run(
        "translate",
        str(source),
        "-b",
        "deepl",
        "--backend-url",
        deepl.url,
        "-o",
        "-",
        "--no-check",
        env={"DEEPL_AUTH_KEY": secret},
    )
    assert result.exit_code == 3
    assert "DEEPL_AUTH_KEY" in result.stderr
    assert secret not in result.output + result.stderr
    assert not (cli_env.tmp / "a.ja.txt").exists()
    for path in (cli_env.tmp / "cache").rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes()


def test_missing_key_names_the_fix(cli_env, deepl):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    result = cli_env.run("translate", str(source), "-b", "deepl", "-o", "-", env={"DEEPL_AUTH_KEY": ""})
    assert result.exit_code == 1
    assert "set DEEPL_AUTH_KEY or run 'translator keys set deepl'" in result.stderr


def test_free_keys_use_the_free_host():
    from translator.config import load_settings

    settings = load_settings(env={"DEEPL_AUTH_KEY": "abc:fx", "TRANSLATOR_NO_USER_CONFIG": "1"}, user_config=False)
    assert DeepLBackend.from_settings(settings).http.base_url == "https://api-free.deepl.com"
    settings = load_settings(env={"DEEPL_AUTH_KEY": "abc", "TRANSLATOR_NO_USER_CONFIG": "1"}, user_config=False)
    assert DeepLBackend.from_settings(settings).http.base_url == "https://api.deepl.com"
    settings = load_settings(
        env={"DEEPL_AUTH_KEY": "abc", "DEEPL_SERVER_URL": "http://127.0.0.1:9", "TRANSLATOR_NO_USER_CONFIG": "1"},
        user_config=False,
    )
    assert DeepLBackend.from_settings(settings).http.base_url == "http://127.0.0.1:9"


def test_memory_skips_the_backend_on_the_second_run(cli_env, deepl):
    source = cli_env.tmp / "a.txt"
    source.write_text("First paragraph.\n\nSecond paragraph.\n", encoding="utf-8")
    args = [
        "translate",
        str(source),
        "-b",
        "deepl",
        "--backend-url",
        deepl.url,
        "-o",
        "-",
        "--no-check",
        "--no-glossary",
    ]
    first = cli_env.run(*args)
    second = cli_env.run(*args)
    assert first.stdout == second.stdout
    assert len(translate_requests(deepl)) == 1


def test_concurrent_first_batches_create_the_glossary_once(cli_env, deepl):
    source = cli_env.tmp / "doc.txt"
    source.write_text(big_text(300), encoding="utf-8")  # several batches in flight at once
    result = cli_env.run(
        "translate",
        str(source),
        "-b",
        "deepl",
        "--backend-url",
        deepl.url,
        "--no-cache",
        "--no-check",
        "--concurrency",
        "4",
        "-o",
        str(cli_env.tmp / "out.txt"),
    )
    assert result.exit_code == 0, result.output
    assert len(translate_requests(deepl)) > 4
    assert deepl.glossary_creations == 1
    assert len({r.json.get("glossary_id") for r in translate_requests(deepl)}) == 1


def test_the_glossarys_content_hash_naming_it_is_worked_out_once_not_per_request(monkeypatch) -> None:
    # Every request looks its glossary up by this name: 856 pairs hashed again each time.
    import hashlib

    from translator.backends.base import GlossaryPairs

    pairs = GlossaryPairs("en", "ja", (("endpoint", "エンドポイント"), ("training job", "トレーニングジョブ")))
    first = pairs.content_hash
    hashed: list[object] = []
    monkeypatch.setattr(hashlib, "sha256", lambda *args: hashed.append(args) or pytest.fail("hashed again"))
    assert [pairs.content_hash for _ in range(3)] == [first] * 3
    assert hashed == []
    assert GlossaryPairs("en", "ja", pairs.entries) == pairs  # still compared by its entries


def test_backends_reports_deepl_ready_with_its_usage_and_a_dead_server_quickly(cli_env, deepl):
    ready = cli_env.run("backends", env={"DEEPL_SERVER_URL": deepl.url, "LIBRETRANSLATE_URL": "http://127.0.0.1:9"})
    assert ready.exit_code == 0
    deepl_row = next(line for line in ready.stdout.splitlines() if "deepl" in line)
    assert "ready" in deepl_row and "not ready" not in deepl_row and "characters used" in deepl_row
    libre_row = next(line for line in ready.stdout.splitlines() if "libretranslate" in line)
    assert "not ready" in libre_row and "cannot reach" in libre_row
    assert [r.path for r in deepl.requests] == ["/v2/usage"]
    assert DEEPL_KEY not in ready.stdout


def test_a_paragraph_larger_than_one_request_is_sent_in_sentence_pieces(cli_env, deepl):
    sentences = [
        f"Sentence {i} explains how `Spot` training saves money on **managed** instances." for i in range(2500)
    ]
    source = cli_env.tmp / "transcript.txt"
    source.write_text(" ".join(sentences) + "\n", encoding="utf-8")  # one paragraph, about 200 KB
    assert len(source.read_bytes()) > 128 * 1024
    out = cli_env.tmp / "transcript.ja.txt"
    result = run_deepl(cli_env, deepl, str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    requests = translate_requests(deepl)
    assert len(requests) >= 2 and all(len(r.body) < 128 * 1024 for r in requests)
    translated = out.read_text(encoding="utf-8")
    assert translated.count("`Spot`") == 2500 and translated.count("**managed**") == 2500
    assert "Sentence 0 " in translated and "Sentence 2499 " in translated


def test_a_text_that_cannot_be_cut_small_enough_is_refused_before_sending(cli_env, deepl):
    source = cli_env.tmp / "blob.txt"
    source.write_text("x" * (200 * 1024) + "\n", encoding="utf-8")
    result = run_deepl(cli_env, deepl, str(source), "-o", str(cli_env.tmp / "blob.ja.txt"))
    assert result.exit_code == 1
    assert "no place to cut it" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert translate_requests(deepl) == []


class TestDeepLContract(BackendContract):
    @pytest.fixture
    def subject(self, tmp_path: Path) -> Iterator[Subject]:
        with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
            settings = contract_settings(
                tmp_path, "deepl", {"DEEPL_AUTH_KEY": DEEPL_KEY}, url=emulator.url, timeout=self.timeout
            )
            yield Subject(
                DeepLBackend.from_settings(settings),
                emulator,
                path="/v2/translate",
                secrets=(DEEPL_KEY,),
                refuse_credentials=lambda: setattr(emulator, "auth_keys", frozenset()),
            )


def test_requests_do_not_search_for_modules(cli_env, deepl):
    """Each request of a run must not look for a module on disk: httpx's transport imports
    `sniffio` per request, and without it installed every request searched the whole path."""
    import importlib.abc
    import sys

    searched: list[str] = []

    class Recorder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            searched.append(name)
            return None

    source = cli_env.tmp / "some.txt"
    source.write_text(big_text(3), encoding="utf-8")
    run_deepl(cli_env, deepl, str(source), "-o", str(cli_env.tmp / "warm.ja.txt"))  # imports done once
    source.write_text(big_text(400), encoding="utf-8")
    recorder = Recorder()
    sys.meta_path.insert(0, recorder)
    try:
        result = run_deepl(cli_env, deepl, str(source), "-o", str(cli_env.tmp / "some.ja.txt"))
    finally:
        sys.meta_path.remove(recorder)
    assert result.exit_code == 0, result.output
    assert len(translate_requests(deepl)) >= 1 + 8
    assert "sniffio" not in searched
