"""DeepLEmulator: /v2/translate, /v2/usage and /v2/languages against the OpenAPI spec."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest

from translator.testing import DeepLEmulator

if TYPE_CHECKING:
    from conftest import OpenApiSchemas

AUTH = {"Authorization": "DeepL-Auth-Key test-key"}


def translate(emu: DeepLEmulator, http: httpx.Client, **body: Any) -> httpx.Response:
    return http.post(emu.url + "/v2/translate", json=body, headers=AUTH)


def test_form_body_with_repeated_text(deepl: DeepLEmulator, http: httpx.Client, deepl_spec: OpenApiSchemas) -> None:
    response = http.post(
        deepl.url + "/v2/translate",
        data={"text": ["Hello", "Goodbye", "Good morning"], "target_lang": "ja"},
        headers=AUTH,
    )
    assert response.status_code == 200
    body = response.json()
    deepl_spec.assert_valid(body, deepl_spec.response("/v2/translate", "post", 200))
    assert body == {
        "translations": [
            {"detected_source_language": "EN", "text": "こんにちは"},
            {"detected_source_language": "EN", "text": "さようなら"},
            {"detected_source_language": "EN", "text": "[ja] Good morning"},
        ]
    }


def test_json_body_and_optional_response_fields(
    deepl: DeepLEmulator, http: httpx.Client, deepl_spec: OpenApiSchemas
) -> None:
    response = translate(
        deepl,
        http,
        text=["Hi <b>there</b>"],
        source_lang="en",
        target_lang="DE",
        tag_handling="xml",
        show_billed_characters=True,
        model_type="prefer_quality_optimized",
        formality="more",
        split_sentences="nonewlines",
        preserve_formatting=True,
        context="greeting",
    )
    assert response.status_code == 200
    body = response.json()
    deepl_spec.assert_valid(body, deepl_spec.response("/v2/translate", "post", 200))
    assert body["translations"] == [
        {
            "detected_source_language": "EN",
            "text": "[de] Hi <b>there</b>",
            "billed_characters": 15,
            "model_type_used": "quality_optimized",
            "tag_handling_version": "v1",
        }
    ]


def test_schema_validator_is_not_vacuous(deepl_spec: OpenApiSchemas) -> None:
    schema = deepl_spec.response("/v2/translate", "post", 200)
    assert deepl_spec.errors({"translations": [{"text": 1}]}, schema) == ["$.translations[0].text: int is not string"]
    assert deepl_spec.errors({"translations": []}, schema) == ["$.translations: fewer than 1 items"]


def test_phrase_table_keys_by_target_base_language_or_text(http: httpx.Client) -> None:
    table = {("Color", "EN-GB"): "Colour", ("Color", "EN"): "Color!", "OK": "了解"}
    with DeepLEmulator(phrase_table=table) as emu:
        texts = translate(emu, http, text=["Color", "OK"], target_lang="EN-GB").json()["translations"]
        assert [t["text"] for t in texts] == ["Colour", "了解"]
        texts = translate(emu, http, text=["Color"], target_lang="EN-US").json()["translations"]
        assert texts[0]["text"] == "Color!"


def test_ignore_tags_apply_with_xml_tag_handling(http: httpx.Client) -> None:
    text = 'Set <x id="3">MaxWait</x> to <g id="1">True</g> &amp; go'
    with DeepLEmulator(word_table={"MaxWait": "最大待機", "True": "真"}) as emu:
        form = http.post(
            emu.url + "/v2/translate",
            headers=AUTH,
            data={"text": text, "target_lang": "JA", "tag_handling": "xml", "ignore_tags": "x,g"},
        )
        as_json = translate(emu, http, text=[text], target_lang="JA", tag_handling="xml", ignore_tags=["x"])
        plain = translate(emu, http, text=[text], target_lang="JA", ignore_tags=["x"])
    assert form.json()["translations"][0]["text"] == "[ja] " + text
    assert as_json.json()["translations"][0]["text"] == '[ja] Set <x id="3">MaxWait</x> to <g id="1">真</g> &amp; go'
    expected_without_xml_handling = '[ja] Set <x id="3">最大待機</x> to <g id="1">真</g> &amp; go'
    assert plain.json()["translations"][0]["text"] == expected_without_xml_handling


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"target_lang": "JA"}, "Parameter 'text' not specified"),
        ({"text": ["a"]}, "Parameter 'target_lang' not specified"),
        ({"text": "a", "target_lang": "JA"}, "Value for 'text' not supported."),
        ({"text": ["a"], "target_lang": "JP"}, "Value for 'target_lang' not supported."),
        ({"text": ["a"], "target_lang": "JA", "source_lang": "EN-US"}, "Value for 'source_lang' not supported."),
        ({"text": ["a"] * 51, "target_lang": "JA"}, "Too many texts (maximum 50 per request)"),
        (
            {"text": ["a"], "target_lang": "KO", "formality": "more"},
            "'formality' is not supported for given 'target_lang'.",
        ),
        ({"text": ["a"], "target_lang": "JA", "tag_handling": "markdown"}, "Value for 'tag_handling' not supported."),
        (
            {"text": ["a"], "target_lang": "JA", "glossary_id": "4c81d9e3-0a8e-4a4b-9f53-5d0f8e0b1c2d"},
            "Use of a glossary requires the source_lang parameter to be specified",
        ),
    ],
)
def test_invalid_requests_are_400(
    deepl: DeepLEmulator, http: httpx.Client, deepl_spec: OpenApiSchemas, body: dict[str, Any], message: str
) -> None:
    response = translate(deepl, http, **body)
    assert response.status_code == 400
    assert response.json() == {"message": message}
    deepl_spec.assert_valid(response.json(), deepl_spec.component("ErrorResponse"))


def test_fifty_texts_are_fine(deepl: DeepLEmulator, http: httpx.Client) -> None:
    response = translate(deepl, http, text=[f"t{i}" for i in range(50)], target_lang="JA")
    assert len(response.json()["translations"]) == 50


def test_body_over_128_kib_is_413(deepl: DeepLEmulator, http: httpx.Client) -> None:
    response = translate(deepl, http, text=["x" * (128 * 1024)], target_lang="JA")
    assert response.status_code == 413
    assert deepl.character_count == 0


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "DeepL-Auth-Key wrong"}, {"Authorization": "Bearer test-key"}]
)
def test_missing_or_unknown_key_is_403(deepl: DeepLEmulator, http: httpx.Client, headers: dict[str, str]) -> None:
    response = http.post(deepl.url + "/v2/translate", data={"text": "a", "target_lang": "JA"}, headers=headers)
    assert response.status_code == 403
    assert "message" in response.json()


def test_usage_tracks_billed_characters_and_enforces_the_limit(http: httpx.Client, deepl_spec: OpenApiSchemas) -> None:
    with DeepLEmulator(character_limit=10, auth_keys=["k1", "k2"]) as emu:
        headers = {"Authorization": "DeepL-Auth-Key k2"}
        ok = http.post(emu.url + "/v2/translate", data={"text": ["12345", "678"], "target_lang": "JA"}, headers=headers)
        over = http.post(emu.url + "/v2/translate", data={"text": "abc", "target_lang": "JA"}, headers=headers)
        usage = http.post(emu.url + "/v2/usage", headers=headers)
    assert ok.status_code == 200
    assert over.status_code == 456
    deepl_spec.assert_valid(over.json(), deepl_spec.component("ErrorResponse"))
    assert usage.json() == {"character_count": 8, "character_limit": 10}
    deepl_spec.assert_valid(usage.json(), deepl_spec.component("UsageResponse"))


@pytest.mark.parametrize("kind", ["source", "target"])
def test_languages(deepl: DeepLEmulator, http: httpx.Client, deepl_spec: OpenApiSchemas, kind: str) -> None:
    response = http.get(deepl.url + "/v2/languages", params={"type": kind}, headers=AUTH)
    languages = response.json()
    deepl_spec.assert_valid(languages, deepl_spec.response("/v2/languages", "get", 200))
    codes = {item["language"] for item in languages}
    assert ("EN-US" in codes) == (kind == "target")
    assert "JA" in codes


def test_unknown_path_and_method(deepl: DeepLEmulator, http: httpx.Client) -> None:
    assert http.get(deepl.url + "/v2/nope", headers=AUTH).status_code == 404
    assert http.get(deepl.url + "/v2/translate", headers=AUTH).status_code == 405
