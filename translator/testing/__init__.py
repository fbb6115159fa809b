"""Loopback emulators of translation services, for testing HTTP backends offline.

Each emulator is a real HTTP server on ``127.0.0.1`` (ephemeral port) speaking
one service's wire format, so a backend is tested through its real transport::

    import asyncio

    from translator.backends import TranslateRequest
    from translator.testing import DeepLEmulator

    def test_my_backend_translates():
        with DeepLEmulator(phrase_table={("Hello", "JA"): "こんにちは"}) as emu:
            backend = MyDeepLBackend(base_url=emu.url, api_key="test-key")
            request = TranslateRequest(["Hello", "Bye"], "en", "ja")
            assert asyncio.run(backend.translate(request)) == ["こんにちは", "[ja] Bye"]
            assert emu.requests[-1].json["target_lang"] == "JA"

A plugin author can also run the project's backend contract suite (``tests/backends/contract.py``
in the source tree) against their backend and one of these emulators.

Texts missing from ``phrase_table`` get :func:`pseudo_translate`: deterministic,
prefixed with ``[<lang>] ``, tags/entities untouched.

Every emulator offers the same tools for failure paths:

* ``emu.faults.queue(kind, count=1, path=None, **opts)`` fails the next
  ``count`` requests; ``emu.faults.random(ratio, kinds, seed=0)`` fails a
  reproducible fraction. Kinds: ``"429"`` (``retry_after=``), ``"500"``,
  ``"502"``, ``"503"``, ``"quota"``, ``"auth"``, ``"slow"`` (``seconds=``) and
  ``"drop"`` (connection closed without a response).
* ``emu.requests``: redacted :class:`Request` records (``fault`` and
  ``status`` say what happened); ``emu.reset()`` starts over.

To emulate another service, subclass :class:`LoopbackServer` and implement
``handle``, ``error_response`` and ``quota_response``.
"""

from translator.backends.pseudo_text import pseudo_translate
from translator.testing.aws_translate import AmazonTranslateEmulator
from translator.testing.bedrock import BedrockEmulator
from translator.testing.deepl import DeepLEmulator
from translator.testing.engine import FakeEngine, PhraseTable
from translator.testing.faults import FAULT_KINDS, Fault, FaultInjector
from translator.testing.google import GoogleTranslateEmulator
from translator.testing.libretranslate import LibreTranslateEmulator
from translator.testing.openai import OpenAIEmulator
from translator.testing.server import ApiError, LoopbackServer, Request, Response

__all__ = [
    "FAULT_KINDS",
    "AmazonTranslateEmulator",
    "ApiError",
    "BedrockEmulator",
    "DeepLEmulator",
    "FakeEngine",
    "Fault",
    "FaultInjector",
    "GoogleTranslateEmulator",
    "LibreTranslateEmulator",
    "LoopbackServer",
    "OpenAIEmulator",
    "PhraseTable",
    "Request",
    "Response",
    "pseudo_translate",
]
