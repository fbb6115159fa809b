"""Fixtures for the emulator tests: running emulators and DeepL's OpenAPI schemas.

The schema check is a deliberately small validator for the JSON-Schema subset
the DeepL spec uses in its responses (type, required, properties, items, enum,
minItems, allOf, $ref), so the tests need no extra dependency.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from translator.testing import DeepLEmulator, LibreTranslateEmulator

SPEC_PATH = Path(__file__).resolve().parents[1] / "fixtures" / "specs" / "deepl-openapi.yaml"

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


class OpenApiSchemas:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def component(self, name: str) -> dict[str, Any]:
        return self.spec["components"]["schemas"][name]

    def response(self, path: str, method: str, status: int) -> dict[str, Any]:
        responses = self.spec["paths"][path][method]["responses"]
        response = responses.get(status, responses.get(str(status)))
        return response["content"]["application/json"]["schema"]

    def errors(self, instance: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
        """All violations of ``schema`` by ``instance``; empty when valid."""
        if "$ref" in schema:
            name = schema["$ref"].removeprefix("#/components/schemas/")
            return self.errors(instance, self.component(name), where)
        problems = [p for sub in schema.get("allOf", []) for p in self.errors(instance, sub, where)]
        expected = schema.get("type")
        if expected is not None:
            if isinstance(instance, bool) and expected in ("integer", "number"):
                return [*problems, f"{where}: boolean is not {expected}"]
            if not isinstance(instance, _TYPES[expected]):
                return [*problems, f"{where}: {type(instance).__name__} is not {expected}"]
        if "enum" in schema and instance not in schema["enum"]:
            problems.append(f"{where}: {instance!r} not in {schema['enum']}")
        if isinstance(instance, dict):
            problems += [f"{where}: missing {key!r}" for key in schema.get("required", []) if key not in instance]
            for key, sub in schema.get("properties", {}).items():
                if key in instance:
                    problems += self.errors(instance[key], sub, f"{where}.{key}")
        if isinstance(instance, list):
            if len(instance) < schema.get("minItems", 0):
                problems.append(f"{where}: fewer than {schema['minItems']} items")
            if "items" in schema:
                for i, item in enumerate(instance):
                    problems += self.errors(item, schema["items"], f"{where}[{i}]")
        return problems

    def assert_valid(self, instance: Any, schema: dict[str, Any]) -> None:
        assert self.errors(instance, schema) == []


@pytest.fixture(scope="session")
def deepl_spec() -> OpenApiSchemas:
    return OpenApiSchemas(yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8")))


@pytest.fixture
def deepl() -> Iterator[DeepLEmulator]:
    with DeepLEmulator(phrase_table={("Hello", "JA"): "こんにちは", "Goodbye": "さようなら"}) as emu:
        yield emu


@pytest.fixture
def libre() -> Iterator[LibreTranslateEmulator]:
    with LibreTranslateEmulator(phrase_table={("Hello", "JA"): "こんにちは"}) as emu:
        yield emu


@pytest.fixture(scope="session")
def http() -> Iterator[httpx.Client]:
    """One shared client: building an SSL context per request or test would dominate run time."""
    with httpx.Client(timeout=5) as client:
        yield client
