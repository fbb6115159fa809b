"""DeepLEmulator glossaries: v2 and v3 endpoints, and their use in /v2/translate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest

from translator.testing import DeepLEmulator

if TYPE_CHECKING:
    from conftest import OpenApiSchemas

AUTH = {"Authorization": "DeepL-Auth-Key test-key"}
MISSING_ID = "96ab91fd-e715-41a1-adeb-5d701f84a483"


def create_v2(emu: DeepLEmulator, http: httpx.Client, **overrides: str) -> httpx.Response:
    form = {
        "name": "terms",
        "source_lang": "EN",
        "target_lang": "JA",
        "entries": "button\tボタン\nclick\tクリック\n",
        "entries_format": "tsv",
        **overrides,
    }
    return http.post(emu.url + "/v2/glossaries", data=form, headers=AUTH)


def create_v3(emu: DeepLEmulator, http: httpx.Client, dictionaries: list[dict[str, str]]) -> httpx.Response:
    body = {"name": "multi", "dictionaries": dictionaries}
    return http.post(emu.url + "/v3/glossaries", json=body, headers=AUTH)


EN_JA = {"source_lang": "en", "target_lang": "ja", "entries": "file\tファイル", "entries_format": "tsv"}
EN_DE = {"source_lang": "en", "target_lang": "de", "entries": "file,Datei\nfolder,Ordner", "entries_format": "csv"}


def test_v2_lifecycle(deepl: DeepLEmulator, http: httpx.Client, deepl_spec: OpenApiSchemas) -> None:
    created = create_v2(deepl, http)
    assert created.status_code == 201
    glossary = created.json()
    deepl_spec.assert_valid(glossary, deepl_spec.component("MonolingualGlossary"))
    assert glossary | {"glossary_id": "", "creation_time": ""} == {
        "glossary_id": "",
        "name": "terms",
        "ready": True,
        "source_lang": "en",
        "target_lang": "ja",
        "creation_time": "",
        "entry_count": 2,
    }
    gid = glossary["glossary_id"]
    assert gid in deepl.glossaries and deepl.glossary_creations == 1

    listed = http.get(deepl.url + "/v2/glossaries", headers=AUTH).json()
    deepl_spec.assert_valid(listed, deepl_spec.response("/v2/glossaries", "get", 200))
    assert listed == {"glossaries": [glossary]}
    assert http.get(f"{deepl.url}/v2/glossaries/{gid}", headers=AUTH).json() == glossary

    entries = http.get(
        f"{deepl.url}/v2/glossaries/{gid}/entries", headers={**AUTH, "Accept": "text/tab-separated-values"}
    )
    assert entries.headers["content-type"].startswith("text/tab-separated-values")
    assert entries.text == "button\tボタン\nclick\tクリック"

    assert http.delete(f"{deepl.url}/v2/glossaries/{gid}", headers=AUTH).status_code == 204
    assert http.get(f"{deepl.url}/v2/glossaries/{gid}", headers=AUTH).status_code == 404
    assert deepl.glossaries == {} and deepl.glossary_creations == 1


def test_v2_create_from_json_csv(deepl: DeepLEmulator, http: httpx.Client) -> None:
    body = {
        "name": "csv",
        "source_lang": "en",
        "target_lang": "de",
        "entries": '"Hello, world",Hallo Welt,en,de\nbye,tschüss',
        "entries_format": "csv",
    }
    created = http.post(deepl.url + "/v2/glossaries", json=body, headers=AUTH)
    assert created.status_code == 201
    assert deepl.glossaries[created.json()["glossary_id"]].dictionaries == {
        ("en", "de"): {"Hello, world": "Hallo Welt", "bye": "tschüss"}
    }


@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({"name": ""}, 400, "Missing or invalid argument: name"),
        ({"target_lang": "EN"}, 400, "Unsupported glossary source and target language pair"),
        ({"target_lang": "xx"}, 400, "Unsupported glossary source and target language pair"),
        ({"entries_format": "xlsx"}, 400, "Value for entries_format not supported."),
        ({"entries": "button\tボタン\nbutton\t釦"}, 400, "Invalid glossary entries provided"),
        ({"entries": "no tab here"}, 400, "Invalid glossary entries provided"),
        ({"entries": "\n\n"}, 400, "Missing or invalid argument: entries"),
    ],
)
def test_v2_create_validation(
    deepl: DeepLEmulator, http: httpx.Client, overrides: dict[str, str], status: int, message: str
) -> None:
    response = create_v2(deepl, http, **overrides)
    assert response.status_code == status
    assert response.json()["message"] == message
    assert deepl.glossary_creations == 0


def test_v2_lookups_of_bad_or_missing_ids(deepl: DeepLEmulator, http: httpx.Client) -> None:
    assert http.get(deepl.url + "/v2/glossaries/not-a-uuid", headers=AUTH).status_code == 400
    assert http.get(f"{deepl.url}/v2/glossaries/{MISSING_ID}", headers=AUTH).status_code == 404
    assert http.delete(f"{deepl.url}/v2/glossaries/{MISSING_ID}", headers=AUTH).status_code == 404
    gid = create_v2(deepl, http).json()["glossary_id"]
    refused = http.get(f"{deepl.url}/v2/glossaries/{gid}/entries", headers={**AUTH, "Accept": "application/json"})
    assert refused.status_code == 415


def test_language_pairs(deepl: DeepLEmulator, http: httpx.Client, deepl_spec: OpenApiSchemas) -> None:
    pairs = http.get(deepl.url + "/v2/glossary-language-pairs", headers=AUTH).json()
    deepl_spec.assert_valid(pairs, deepl_spec.response("/v2/glossary-language-pairs", "get", 200))
    assert {"source_lang": "en", "target_lang": "ja"} in pairs["supported_languages"]


def test_v3_lifecycle(deepl: DeepLEmulator, http: httpx.Client, deepl_spec: OpenApiSchemas) -> None:
    created = create_v3(deepl, http, [EN_JA, EN_DE])
    assert created.status_code == 201
    glossary = created.json()
    deepl_spec.assert_valid(glossary, deepl_spec.component("MultilingualGlossary"))
    assert glossary["dictionaries"] == [
        {"source_lang": "en", "target_lang": "ja", "entry_count": 1},
        {"source_lang": "en", "target_lang": "de", "entry_count": 2},
    ]
    url = f"{deepl.url}/v3/glossaries/{glossary['glossary_id']}"

    listed = http.get(deepl.url + "/v3/glossaries", headers=AUTH).json()
    deepl_spec.assert_valid(listed, deepl_spec.response("/v3/glossaries", "get", 200))
    assert listed == {"glossaries": [glossary]}
    assert http.get(url, headers=AUTH).json() == glossary

    entries = http.get(url + "/entries", params={"source_lang": "en", "target_lang": "de"}, headers=AUTH).json()
    assert entries == {
        "dictionaries": [
            {
                "source_lang": "en",
                "target_lang": "de",
                "entries": "file\tDatei\nfolder\tOrdner",
                "entries_format": "tsv",
            }
        ]
    }
    deepl_spec.assert_valid(entries["dictionaries"][0], deepl_spec.component("GlossaryDictionary"))

    patched = http.patch(
        url, headers=AUTH, json={"name": "renamed", "dictionaries": [{**EN_JA, "entries": "folder\tフォルダ"}]}
    ).json()
    deepl_spec.assert_valid(patched, deepl_spec.component("MultilingualGlossary"))
    assert patched["name"] == "renamed"
    assert patched["dictionaries"][0] == {"source_lang": "en", "target_lang": "ja", "entry_count": 2}

    replaced = http.put(url + "/dictionaries", headers=AUTH, json={**EN_JA, "entries": "disk\tディスク"})
    assert replaced.json() == {"source_lang": "en", "target_lang": "ja", "entry_count": 1}
    deepl_spec.assert_valid(replaced.json(), deepl_spec.component("MultilingualGlossaryEntriesInformation"))

    pair = {"source_lang": "en", "target_lang": "de"}
    assert http.delete(url + "/dictionaries", params=pair, headers=AUTH).status_code == 204
    assert http.get(url + "/entries", params=pair, headers=AUTH).status_code == 404
    assert http.delete(url, headers=AUTH).status_code == 204
    assert http.get(url, headers=AUTH).status_code == 404
    assert deepl.glossary_creations == 1


def test_v3_requires_json_and_dictionaries(deepl: DeepLEmulator, http: httpx.Client) -> None:
    assert create_v3(deepl, http, []).status_code == 400
    as_form = http.post(deepl.url + "/v3/glossaries", data={"name": "x"}, headers=AUTH)
    assert as_form.status_code == 415


def test_v2_and_v3_share_one_store(deepl: DeepLEmulator, http: httpx.Client) -> None:
    v2_id = create_v2(deepl, http).json()["glossary_id"]
    multi_id = create_v3(deepl, http, [EN_JA, EN_DE]).json()["glossary_id"]
    single_id = create_v3(deepl, http, [EN_JA]).json()["glossary_id"]
    v3_ids = {g["glossary_id"] for g in http.get(deepl.url + "/v3/glossaries", headers=AUTH).json()["glossaries"]}
    v2_ids = {g["glossary_id"] for g in http.get(deepl.url + "/v2/glossaries", headers=AUTH).json()["glossaries"]}
    assert v3_ids == {v2_id, multi_id, single_id}
    assert v2_ids == {v2_id, single_id}
    assert http.get(f"{deepl.url}/v2/glossaries/{multi_id}", headers=AUTH).status_code == 404


def _translate(emu: DeepLEmulator, http: httpx.Client, **body: Any) -> httpx.Response:
    return http.post(emu.url + "/v2/translate", json=body, headers=AUTH)


def test_translate_applies_v2_and_v3_glossaries(deepl: DeepLEmulator, http: httpx.Client) -> None:
    v2_id = create_v2(deepl, http).json()["glossary_id"]
    v3_id = create_v3(deepl, http, [EN_DE, EN_JA]).json()["glossary_id"]
    text = 'Click the button, then <x id="1">button</x>'
    with_v2 = _translate(
        deepl,
        http,
        text=[text],
        source_lang="EN",
        target_lang="JA",
        glossary_id=v2_id,
        tag_handling="xml",
        ignore_tags=["x"],
    )
    assert with_v2.json()["translations"][0]["text"] == '[ja] Click the ボタン, then <x id="1">button</x>'
    with_v3 = _translate(deepl, http, text=["Open the file"], source_lang="en", target_lang="DE", glossary_id=v3_id)
    assert with_v3.json()["translations"][0]["text"] == "[de] Open the Datei"


def test_glossary_terms_also_rewrite_phrase_table_answers(http: httpx.Client) -> None:
    with DeepLEmulator(phrase_table={("Press OK", "JA"): "OK を押す"}) as emu:
        created = http.post(
            emu.url + "/v2/glossaries",
            headers=AUTH,
            data={
                "name": "g",
                "source_lang": "en",
                "target_lang": "ja",
                "entries": "OK\t了解",
                "entries_format": "tsv",
            },
        )
        response = _translate(
            emu, http, text=["Press OK"], source_lang="EN", target_lang="JA", glossary_id=created.json()["glossary_id"]
        )
    assert response.json()["translations"][0]["text"] == "了解 を押す"


def test_translate_with_unusable_glossaries(deepl: DeepLEmulator, http: httpx.Client) -> None:
    gid = create_v2(deepl, http).json()["glossary_id"]
    wrong_pair = _translate(deepl, http, text=["a"], source_lang="EN", target_lang="DE", glossary_id=gid)
    assert wrong_pair.status_code == 400
    assert wrong_pair.json() == {"message": "No dictionary found for language pair en-de in glossary"}
    missing = _translate(deepl, http, text=["a"], source_lang="EN", target_lang="JA", glossary_id=MISSING_ID)
    assert missing.status_code == 404
    malformed = _translate(deepl, http, text=["a"], source_lang="EN", target_lang="JA", glossary_id="nope")
    assert malformed.status_code == 400


def test_reset_forgets_glossaries_and_usage(deepl: DeepLEmulator, http: httpx.Client) -> None:
    create_v2(deepl, http)
    _translate(deepl, http, text=["abc"], target_lang="JA")
    deepl.reset()
    assert deepl.glossaries == {} and deepl.glossary_creations == 0
    assert http.get(deepl.url + "/v2/usage", headers=AUTH).json()["character_count"] == 0
