"""LibreTranslateEmulator: the /translate and /languages wire format, errors and faults."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from translator.testing import LibreTranslateEmulator


def translate(emu: LibreTranslateEmulator, http: httpx.Client, **body: Any) -> httpx.Response:
    return http.post(emu.url + "/translate", json=body)


def test_single_q_gives_a_string(libre: LibreTranslateEmulator, http: httpx.Client) -> None:
    response = translate(libre, http, q="Hello", source="en", target="ja")
    assert response.json() == {"translatedText": "こんにちは"}


def test_list_q_gives_a_list_in_order(libre: LibreTranslateEmulator, http: httpx.Client) -> None:
    response = translate(libre, http, q=["Hello", "Good night", "42"], source="en", target="ja")
    assert response.json() == {"translatedText": ["こんにちは", "[ja] Good night", "42"]}


def test_html_format_keeps_tags_but_entities_come_back_decoded(
    libre: LibreTranslateEmulator, http: httpx.Client
) -> None:
    response = translate(
        libre, http, q=['Press <b class="k">Save</b> &amp; exit'], source="en", target="ja", format="html"
    )
    assert response.json()["translatedText"] == ['[ja] Press <b class="k">Save</b> & exit']


def test_form_body_reads_one_q_and_normalises_newlines(libre: LibreTranslateEmulator, http: httpx.Client) -> None:
    response = http.post(
        libre.url + "/translate", data={"q": ["Line one\r\nline two", "ignored"], "source": "en", "target": "de"}
    )
    assert response.json() == {"translatedText": "[de] Line one\nline two"}


def test_auto_source_and_alternatives(libre: LibreTranslateEmulator, http: httpx.Client) -> None:
    single = translate(libre, http, q="Hi", source="auto", target="ja", alternatives=2).json()
    assert single == {
        "translatedText": "[ja] Hi",
        "detectedLanguage": {"confidence": 90.0, "language": "en"},
        "alternatives": [],
    }
    batch = translate(libre, http, q=["Hi", "Yo"], source="auto", target="ja").json()
    assert batch["detectedLanguage"] == [{"confidence": 90.0, "language": "en"}] * 2


def test_languages(libre: LibreTranslateEmulator, http: httpx.Client) -> None:
    languages = http.get(libre.url + "/languages").json()
    english = next(lang for lang in languages if lang["code"] == "en")
    assert english["name"] == "English"
    assert "ja" in english["targets"] and "en" not in english["targets"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"source": "en", "target": "ja"}, "Invalid request: missing q parameter"),
        ({"q": "a", "target": "ja"}, "Invalid request: missing source parameter"),
        ({"q": "a", "source": "en"}, "Invalid request: missing target parameter"),
        ({"q": "a", "source": "en", "target": "xx"}, "xx is not supported"),
        ({"q": "a", "source": "en", "target": "ja", "format": "markdown"}, "markdown format is not supported"),
        (
            {"q": "a", "source": "en", "target": "ja", "alternatives": 4},
            "Invalid request: alternatives parameter must be <= 3",
        ),
    ],
)
def test_bad_parameters_are_400(
    libre: LibreTranslateEmulator, http: httpx.Client, body: dict[str, Any], message: str
) -> None:
    response = translate(libre, http, **body)
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_invalid_json_is_400(libre: LibreTranslateEmulator, http: httpx.Client) -> None:
    response = http.post(libre.url + "/translate", content=b"[1, 2]", headers={"Content-Type": "application/json"})
    assert response.json() == {"error": "Invalid JSON format"}


def test_char_and_batch_limits(http: httpx.Client) -> None:
    with LibreTranslateEmulator(char_limit=5, batch_limit=2) as emu:
        too_long = translate(emu, http, q="abcdef", source="en", target="ja")
        too_many = translate(emu, http, q=["a", "b", "c"], source="en", target="ja")
    assert too_long.json() == {"error": "Invalid request: request (6) exceeds text limit (5)"}
    assert too_many.json() == {"error": "Invalid request: request (3) exceeds text limit (2)"}


def test_api_keys(http: httpx.Client) -> None:
    with LibreTranslateEmulator(api_keys=["secret-1"]) as emu:
        ok = translate(emu, http, q="Hi", source="en", target="ja", api_key="secret-1")
        wrong = translate(emu, http, q="Hi", source="en", target="ja", api_key="nope")
        missing = translate(emu, http, q="Hi", source="en", target="ja")
        form = http.post(
            emu.url + "/translate", data={"q": "Hi", "source": "en", "target": "ja", "api_key": "secret-1"}
        )
        records = emu.requests
    assert (ok.status_code, form.status_code) == (200, 200)
    assert (wrong.status_code, wrong.json()) == (403, {"error": "Invalid API key"})
    assert missing.status_code == 400
    assert all(b"secret-1" not in r.body and "secret-1" not in repr(r) for r in records)
    assert records[0].json["api_key"] == "***"
    assert records[3].form["api_key"] == ["***"]


def test_open_server_ignores_api_key(libre: LibreTranslateEmulator, http: httpx.Client) -> None:
    assert translate(libre, http, q="Hi", source="en", target="ja", api_key="anything").status_code == 200


def test_fault_bodies_follow_libretranslate(libre: LibreTranslateEmulator, http: httpx.Client) -> None:
    libre.faults.queue("429")
    libre.faults.queue("quota")
    libre.faults.queue("auth")
    libre.faults.queue("500")
    rate, quota, auth, error = (translate(libre, http, q="Hi", source="en", target="ja") for _ in range(4))
    assert (rate.status_code, rate.headers["retry-after"]) == (429, "0")
    assert rate.json()["error"].startswith("Slowdown: ")
    assert (quota.status_code, quota.json()) == (429, {"error": "Slowdown: 100 per 1 day"})
    assert "retry-after" not in quota.headers
    assert (auth.status_code, auth.json()) == (403, {"error": "Invalid API key"})
    assert error.status_code == 500 and "error" in error.json()
