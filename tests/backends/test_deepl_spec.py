"""Every request the DeepL backend sends validates against DeepL's own OpenAPI description.

The description (tests/fixtures/specs/deepl-openapi.yaml, DeepLcom/openapi, MIT) is what DeepL's
mock server validates requests with; a request it would reject must fail here first. The run
exercised covers each call the backend makes: translation with a native glossary (the glossary
is listed, then created), back-translation, and the readiness check.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import DEEPL_KEY, SPECS
from translator.testing import DeepLEmulator


@cache
def spec() -> dict[str, Any]:
    return yaml.safe_load((SPECS / "deepl-openapi.yaml").read_text(encoding="utf-8"))


def operation(method: str, path: str) -> dict[str, Any]:
    paths = spec()["paths"]
    assert path in paths, f"{method} {path} is not in DeepL's API description"
    assert method.lower() in paths[path], f"{method} {path} is not an operation DeepL describes"
    return paths[path][method.lower()]


def body_errors(method: str, path: str, body: Any) -> list[str]:
    """What is wrong with a JSON request body, by the operation's requestBody schema."""
    content = operation(method, path).get("requestBody", {}).get("content", {})
    schema = content["application/json"]["schema"]
    # The spec's "#/components/…" references resolve against a root that carries the components.
    root = {"allOf": [schema], "components": spec()["components"]}
    validator = jsonschema.Draft7Validator(root)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}" for e in validator.iter_errors(body)]


def test_the_checker_rejects_what_deepls_mock_server_rejected() -> None:
    """Upper-case glossary language codes, as this backend once sent them, do not validate."""
    body = {
        "name": "g",
        "dictionaries": [{"source_lang": "EN", "target_lang": "JA", "entries": "a\tb", "entries_format": "tsv"}],
    }
    assert any("source_lang" in error for error in body_errors("POST", "/v3/glossaries", body))


def test_every_request_the_deepl_backend_sends_validates(cli_env) -> None:
    source = cli_env.tmp / "lesson.md"
    source.write_text(
        "# Training with Amazon SageMaker\n\nUse fine-tuning to adapt a foundation model for inference.\n\n"
        "- See [the guide](https://docs.aws.amazon.com/sagemaker/) and `model.fit()`.\n",
        encoding="utf-8",
    )
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        result = cli_env.run(
            "translate", str(source), "-b", "deepl", "--backend-url", emulator.url, "--back-translate", "all"
        )
        assert result.exit_code == 0, result.output
        ready = cli_env.run("backends", env={"DEEPL_SERVER_URL": emulator.url})
        assert ready.exit_code == 0, ready.output
        requests = emulator.requests
    seen = {(r.method, r.path) for r in requests}
    assert {
        ("POST", "/v2/translate"),
        ("GET", "/v3/glossaries"),
        ("POST", "/v3/glossaries"),
        ("GET", "/v2/usage"),
    } <= seen
    problems = []
    for request in requests:
        operation(request.method, request.path)
        if request.method == "POST":
            assert request.json is not None, f"{request.path}: the body is not JSON"
            problems += [f"{request.path}: {e}" for e in body_errors(request.method, request.path, request.json)]
    assert problems == []


def test_a_glossary_deepl_refuses_is_a_warning_and_the_glossary_is_still_enforced(cli_env) -> None:
    source = cli_env.tmp / "lesson.txt"
    source.write_text("Run inference on Amazon SageMaker.\n", encoding="utf-8")
    # The engine would render "inference" wrongly; only the glossary's repair can fix it.
    table = {
        (
            'Run inference on <x id="t1">Amazon SageMaker</x>.',
            "JA",
        ): '<x id="t1">Amazon SageMaker</x> で推測を実行します。'
    }
    with DeepLEmulator(auth_keys=(DEEPL_KEY,), phrase_table=table) as emulator:
        emulator.refuse_glossaries = "Unsupported glossary source and target language pair"
        result = cli_env.run(
            "translate", str(source), "-b", "deepl", "--backend-url", emulator.url, "--no-check", "-o", "-"
        )
    assert result.exit_code == 0, result.output
    assert result.output.count("warning: DeepL did not create the glossary") == 1
    assert "推論" in result.stdout and "推測" not in result.stdout


@pytest.mark.parametrize("code", ["en", "ja", "de"])
def test_glossary_language_codes_are_the_lower_case_enumeration(code: str) -> None:
    from translator.backends.deepl import glossary_code

    allowed = spec()["components"]["schemas"]["GlossarySourceLanguage"]["enum"]
    assert glossary_code(code.upper()) in allowed and glossary_code(f"{code}-XX") in allowed


def test_each_request_carries_the_title_and_neighbouring_text_as_deepl_context(cli_env) -> None:
    source = cli_env.tmp / "lesson.md"
    paragraphs = [f"Paragraph {n} explains how a training job reads its data from Amazon S3." for n in range(60)]
    source.write_text("# Managed Spot Training\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        result = cli_env.run(
            "translate",
            str(source),
            "-b",
            "deepl",
            "--backend-url",
            emulator.url,
            "--no-check",
            "--no-glossary",
            "-o",
            "-",
        )
        assert result.exit_code == 0, result.output
        with_context = [r.json for r in emulator.requests if r.path == "/v2/translate"]
        emulator.reset()
        assert (
            cli_env.run(
                "translate",
                str(source),
                "-b",
                "deepl",
                "--backend-url",
                emulator.url,
                "--no-check",
                "--no-glossary",
                "--no-context",
                "--no-cache",
                "-o",
                "-",
            ).exit_code
            == 0
        )
        without = [r.json for r in emulator.requests if r.path == "/v2/translate"]
    assert len(with_context) > 1
    for body in with_context:
        assert body["context"].startswith("Title: Managed Spot Training")
        assert len(body["context"]) <= 2 * 600 + 200  # bounded: the title and a window each side
        assert body_errors("POST", "/v2/translate", body) == []
    for body in with_context:  # neighbours, never the texts themselves
        assert "Paragraph" in body["context"]
        assert all(text not in body["context"] for text in body["text"] if text.startswith("Paragraph"))
    assert all("context" not in body for body in without)
