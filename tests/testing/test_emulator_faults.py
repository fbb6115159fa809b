"""The shared LoopbackServer machinery: recording, redaction, faults, lifecycle."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from translator.testing import DeepLEmulator, LoopbackServer, Request, Response
from translator.testing.server import json_response

AUTH = {"Authorization": "DeepL-Auth-Key test-key"}
Usage = Callable[..., httpx.Response]


@pytest.fixture
def usage(deepl: DeepLEmulator, http: httpx.Client) -> Usage:
    """GET /v2/usage: the cheapest authorised request to hang faults on."""
    return lambda **kwargs: http.get(deepl.url + "/v2/usage", headers=AUTH, **kwargs)


def test_records_requests_with_lowercase_headers_raw_body_and_redacted_key(
    deepl: DeepLEmulator, http: httpx.Client
) -> None:
    http.post(
        deepl.url + "/v2/translate?x=1",
        data={"text": ["a", "b"], "target_lang": "JA"},
        headers={**AUTH, "X-Custom": "yes"},
    )
    (record,) = deepl.requests
    assert (record.method, record.path, record.query) == ("POST", "/v2/translate", {"x": ["1"]})
    assert record.headers["x-custom"] == "yes"
    assert record.headers["authorization"] == "DeepL-Auth-Key ***"
    assert "test-key" not in repr(record)
    assert record.body == b"text=a&text=b&target_lang=JA"
    assert record.form == {"text": ["a", "b"], "target_lang": ["JA"]}
    assert (record.fault, record.status, record.error) == (None, 200, None)


def test_429_carries_retry_after(deepl: DeepLEmulator, usage: Usage) -> None:
    deepl.faults.queue("429")
    deepl.faults.queue(429, retry_after=1.5)
    deepl.faults.queue("429", retry_after=None)
    first, second, third = usage(), usage(), usage()
    assert [r.status_code for r in (first, second, third)] == [429, 429, 429]
    assert first.headers["retry-after"] == "0"
    assert second.headers["retry-after"] == "1.5"
    assert "retry-after" not in third.headers
    assert usage().status_code == 200


@pytest.mark.parametrize("kind", ["500", "503"])
def test_server_errors_use_the_service_error_format(deepl: DeepLEmulator, kind: str, usage: Usage) -> None:
    deepl.faults.queue(kind)
    response = usage()
    assert response.status_code == int(kind)
    assert "message" in response.json()


def test_502_looks_like_a_gateway_page(deepl: DeepLEmulator, usage: Usage) -> None:
    deepl.faults.queue("502")
    response = usage()
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")


def test_quota_and_auth_faults(deepl: DeepLEmulator, usage: Usage) -> None:
    deepl.faults.queue("quota")
    deepl.faults.queue("auth")
    assert usage().status_code == 456
    assert usage().status_code == 403
    assert [r.fault for r in deepl.requests] == ["quota", "auth"]


def test_slow_triggers_client_timeout_then_recovers(deepl: DeepLEmulator, usage: Usage) -> None:
    deepl.faults.queue("slow", seconds=2)
    with pytest.raises(httpx.TimeoutException):
        usage(timeout=0.2)
    assert usage().status_code == 200
    assert deepl.requests[0].fault == "slow"


def test_slow_answers_normally_when_client_waits(deepl: DeepLEmulator, usage: Usage) -> None:
    deepl.faults.queue("slow", seconds=0.1)
    assert usage(timeout=5).status_code == 200


def test_drop_closes_the_connection_without_response(deepl: DeepLEmulator, usage: Usage, http: httpx.Client) -> None:
    deepl.faults.queue("drop")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        http.post(deepl.url + "/v2/translate", data={"text": "a", "target_lang": "JA"}, headers=AUTH)
    record = deepl.requests[0]
    assert (record.fault, record.status, record.form["text"]) == ("drop", None, ["a"])
    assert usage().status_code == 200


def test_queue_count_and_path_filter(deepl: DeepLEmulator, usage: Usage, http: httpx.Client) -> None:
    deepl.faults.queue("500", count=2, path="/v2/translate")
    assert deepl.faults.pending == 2
    assert usage().status_code == 200
    statuses = [
        http.post(deepl.url + "/v2/translate", data={"text": "a", "target_lang": "JA"}, headers=AUTH).status_code
        for _ in range(3)
    ]
    assert statuses == [500, 500, 200]
    assert deepl.faults.pending == 0


def test_random_faults_are_reproducible_with_a_seed(deepl: DeepLEmulator, usage: Usage) -> None:
    def run(seed: int) -> list[int]:
        deepl.reset()
        deepl.faults.random(0.3, kinds=["500", "429"], seed=seed)
        return [usage().status_code for _ in range(40)]

    first = run(7)
    assert first == run(7)
    assert 0 < sum(s != 200 for s in first) < 40
    assert set(first) <= {200, 429, 500}
    assert run(8) != first


def test_invalid_fault_plans_are_rejected(deepl: DeepLEmulator) -> None:
    with pytest.raises(ValueError):
        deepl.faults.queue("418")
    with pytest.raises(ValueError):
        deepl.faults.random(1.5)


def test_reset_forgets_requests_and_faults(deepl: DeepLEmulator, usage: Usage) -> None:
    usage()
    deepl.faults.queue("500")
    deepl.reset()
    assert deepl.requests == []
    assert deepl.faults.pending == 0
    assert usage().status_code == 200


class _Broken(LoopbackServer):
    def handle(self, request: Request) -> Response:
        raise RuntimeError("boom")

    def error_response(self, status: int, message: str, **extra: str) -> Response:
        return json_response(status, {"message": message})

    def quota_response(self) -> Response:
        return self.error_response(429, "quota")


def test_an_emulator_bug_is_a_500_with_the_traceback_recorded() -> None:
    with _Broken() as emu:
        assert httpx.get(emu.url + "/").status_code == 500
        assert "RuntimeError: boom" in (emu.requests[0].error or "")


def test_url_requires_a_running_server() -> None:
    emu = DeepLEmulator()
    with pytest.raises(RuntimeError):
        _ = emu.url
    emu.start()
    try:
        assert emu.url.startswith("http://127.0.0.1:")
    finally:
        emu.stop()


def test_keep_alive_answers_a_client_s_requests_on_one_connection_and_a_cut_still_closes_it(
    deepl: DeepLEmulator,
) -> None:
    import http.client
    from urllib.parse import urlsplit

    deepl.keep_alive = True
    url = urlsplit(deepl.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    try:
        connection.request("GET", "/v2/usage", headers=AUTH)
        first = connection.getresponse()
        assert (first.status, first.getheader("Connection"), first.will_close) == (200, None, False)
        first.read()
        sock = connection.sock
        connection.request("GET", "/v2/usage", headers=AUTH)
        second = connection.getresponse()
        second.read()
        assert second.status == 200 and connection.sock is sock  # the same connection, not a new one
        deepl.faults.queue("cut", path="/v2/usage")
        connection.request("GET", "/v2/usage", headers=AUTH)
        cut = connection.getresponse()
        assert cut.getheader("Connection") == "close"
    finally:
        connection.close()
    assert len(deepl.requests) == 3
