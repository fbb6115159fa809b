"""What every backend must do, reused by subclassing (Translate Toolkit style).

A backend's test module subclasses ``BackendContract`` and provides one fixture, ``subject``, that
yields the plugin built against its loopback emulator (and the emulator, so that the contract can
inject faults)::

    class TestMyServiceContract(BackendContract):
        @pytest.fixture
        def subject(self, tmp_path):
            with MyServiceEmulator(api_keys=("k",)) as emulator:
                settings = contract_settings(tmp_path, "myservice", {"MYSERVICE_KEY": "k"},
                                             url=emulator.url, timeout=self.timeout)
                yield Subject(MyServiceBackend.from_settings(settings), emulator, path="/translate",
                              secrets=("k",), refuse_credentials=lambda: setattr(emulator, "api_keys", frozenset()))

The checks go through the stack a run uses (``translator.backends.stack.compose``: limiter →
retry → answer check → plugin) with the texts as the pipeline sends them (``markup.to_backend``
in the markup the backend declares), so a plugin author learns here what the pipeline relies on:
order kept, inline codes round-trip, blank texts answered, context never coming back in an
answer, the answer check, retries of transient failures (a 429's Retry-After honoured), quota and
auth stopping at once with one line and no key, and concurrent use within the request limit. A
check that cannot apply to a backend (an offline engine has no faults) is skipped by the
subclass saying why (``no_faults``).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import pytest

from translator import markup
from translator.backends._http import RetryPolicy
from translator.backends.base import Backend, Capabilities, TranslateRequest
from translator.backends.stack import Checked, Limited, Retrying, Stack, Usage, compose
from translator.config import Settings, load_settings
from translator.errors import AuthError, BackendError, MalformedAnswer, QuotaExceeded, TransientError
from translator.testing import LoopbackServer
from translator.types import Span

T = TypeVar("T")

# Tiny delays: the policy (backoff, Retry-After, attempts) is what is exercised, not the clock.
FAST_RETRY = RetryPolicy(max_retries=3, base_delay=0.001, max_delay=0.01)


@dataclass
class Subject:
    """A plugin built against its emulator, and what the contract needs to know about it."""

    plugin: Backend
    emulator: LoopbackServer | None = None  # None: nothing to inject faults into (offline engines)
    path: str | None = None  # path prefix of the translation requests (faults go there only)
    secrets: tuple[str, ...] = ()  # keys and tokens the plugin holds: never in an error message
    refuse_credentials: Callable[[], None] | None = None  # makes the emulator refuse them for real

    def translation_requests(self) -> list[Any]:
        assert self.emulator is not None
        return [r for r in self.emulator.requests if self.path is None or r.path.startswith(self.path)]


def contract_settings(folder: Path, name: str, env: dict[str, str] | None = None, **options: Any) -> Settings:
    """Settings with ``[backends.NAME]`` options and an environment of nothing but ``env``."""
    config = folder / "contract.toml"
    lines = [f"[backends.{name}]", *(f"{key} = {json.dumps(value)}" for key, value in options.items())]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    base = {
        "TRANSLATOR_NO_USER_CONFIG": "1",
        "TRANSLATOR_CACHE_DIR": str(folder / "cache"),
        "TRANSLATOR_KEYS_FILE": str(folder / "keys.json"),
    }
    return load_settings(env={**base, **(env or {})}, config_file=config, user_config=False)


@dataclass(frozen=True)
class Source:
    """One text as a reader made it (tagged, with its spans) and as the backend receives it."""

    tagged: str
    spans: dict[str, Span]
    sent: str


class Wrapper(Backend):
    """A plugin around another: what a test puts between the stack and the real plugin."""

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.name = inner.name  # type: ignore[misc]
        self.capabilities = inner.capabilities
        self.calls = 0

    @classmethod
    def from_settings(cls, settings: Settings, *, url: str | None = None) -> Backend:
        raise NotImplementedError("built around a plugin, not from settings")

    def signature(self) -> str:
        return self.inner.signature()

    async def translate(self, request: TranslateRequest) -> list[str]:
        self.calls += 1
        return await self.inner.translate(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class DropsLastAnswer(Wrapper):
    async def translate(self, request: TranslateRequest) -> list[str]:
        return (await super().translate(request))[:-1]


class BlanksFirstAnswer(Wrapper):
    async def translate(self, request: TranslateRequest) -> list[str]:
        return ["", *(await super().translate(request))[1:]]


class CountsInFlight(Wrapper):
    """Counts requests inside the plugin at once; holds each a moment so that overlaps show."""

    def __init__(self, inner: Backend, hold: float) -> None:
        super().__init__(inner)
        self.hold = hold
        self.in_flight = self.max_in_flight = 0

    async def translate(self, request: TranslateRequest) -> list[str]:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.hold)
            return await super().translate(request)
        finally:
            self.in_flight -= 1


class BackendContract:
    """Subclass and provide a ``subject`` fixture; every ``test_`` below then runs for the backend."""

    # Seconds per request the subject's plugin is built with: what the "slow" fault outlasts, and
    # long enough for a loaded machine (2 cores under a whole suite) not to time out elsewhere.
    timeout: ClassVar[float] = 1.0
    no_faults: ClassVar[str | None] = None  # why fault injection does not apply (no service)
    echoes_words: ClassVar[bool] = True  # the emulator's answer carries the source words, marked
    source_lang: ClassVar[str] = "en"
    target_lang: ClassVar[str] = "ja"

    @pytest.fixture
    def subject(self) -> Iterator[Subject]:
        raise NotImplementedError("a backend's contract test provides the 'subject' fixture")

    # -- helpers a subclass may reuse ------------------------------------------------------------

    def stack(self, plugin: Backend, *, limit: int = 4, usage: Usage | None = None) -> Stack:
        return compose(plugin, limit=asyncio.Semaphore(limit), retry=FAST_RETRY, usage=usage)

    @staticmethod
    def stack_noting_waits(plugin: Backend, usage: Usage, waits: list[float]) -> Stack:
        """``compose``'s layers, with the retry layer noting each wait instead of sleeping, so that a
        test can see which delay a backend's error asked for without spending it."""

        async def note(delay: float) -> None:
            waits.append(delay)

        retrying = Retrying(Checked(plugin, usage), FAST_RETRY, usage, sleep=note)
        return Stack(Limited(retrying, asyncio.Semaphore(4)), plugin, None, usage)

    def run(self, subject: Subject, scenario: Callable[[], Awaitable[T]]) -> T:
        """Run one scenario in its own event loop, closing the plugin in that loop afterwards."""

        async def main() -> T:
            try:
                return await scenario()
            finally:
                await subject.plugin.aclose()

        return asyncio.run(main())

    def request(self, texts: Sequence[str]) -> TranslateRequest:
        return TranslateRequest(list(texts), self.source_lang, self.target_lang)

    @staticmethod
    def batches(
        capabilities: Capabilities, sources: Sequence[Source], per_request: int | None = None
    ) -> list[list[Source]]:
        """Requests as the pipeline makes them: never more texts than the backend takes at once."""
        size = min(capabilities.max_texts, per_request or capabilities.max_texts)
        return [list(sources[i : i + size]) for i in range(0, len(sources), size)]

    async def translate_all(self, stack: Stack, sources: Sequence[Source], per_request: int | None = None) -> list[str]:
        """Every text translated, requests side by side, answers in the order of ``sources``."""
        batches = self.batches(stack.capabilities, sources, per_request)
        answers = await asyncio.gather(*(stack.translate(self.request([s.sent for s in batch])) for batch in batches))
        return [answer for batch_answers in answers for answer in batch_answers]

    def numbered(self, count: int, mode: markup.BackendMarkup) -> list[Source]:
        """Texts that each carry their own number and their own inline codes (ids unique per text)."""
        sources = []
        for index in range(count):
            builder = markup.TaggedTextBuilder(id_prefix=f"{index + 1}00")
            builder.text(f"Step {index} trains the ")
            builder.open("strong", "**", "**")
            builder.text("model")
            builder.close()
            builder.text(" with ")
            builder.protect(f"`job_{index}`", "code")
            builder.text(" and logs to ")
            builder.protect(f"https://example.com/runs/{index}", "url")
            builder.text(".")
            sources.append(self.source(*builder.build(), mode))
        return sources

    @staticmethod
    def source(tagged: str, spans: dict[str, Span], mode: markup.BackendMarkup) -> Source:
        return Source(tagged, spans, markup.to_backend(tagged, spans, mode))

    def assert_answers(self, sources: Sequence[Source], answers: Sequence[str], mode: markup.BackendMarkup) -> None:
        """Each answer belongs to its own text: same inline codes in the same order, the protected
        text back verbatim, and (where the emulator echoes them) the text's own words, translated."""
        assert len(answers) == len(sources)
        for index, (source, answer) in enumerate(zip(sources, answers, strict=True)):
            restored = markup.from_backend(answer, mode)
            assert codes(restored) == codes(source.tagged), f"text {index}: codes changed in {answer!r}"
            rendered = markup.render(restored, source.spans)
            for span in source.spans.values():
                assert span.opening in rendered, f"text {index}: {span.opening!r} lost in {answer!r}"
            self.assert_translated(source, restored)

    def assert_translated(self, source: Source, restored: str) -> None:
        """The answer is a translation of this very text (override for engines whose output
        cannot be predicted)."""
        before = squeeze(markup.plain(source.tagged, source.spans))
        after = squeeze(markup.plain(restored, source.spans))
        if self.echoes_words:
            # The emulators mark a translation ("[ja] ") and keep every word of the text, in order.
            assert after != before and in_order(words(before), words(after)), f"{after!r} is not from {before!r}"
        else:
            assert after.strip(), f"no translation of {before!r}"

    def needs_faults(self, subject: Subject) -> LoopbackServer:
        if self.no_faults:
            pytest.skip(self.no_faults)
        assert subject.emulator is not None, "set no_faults to say why this backend has no emulator"
        return subject.emulator

    # -- the contract: answers -------------------------------------------------------------------

    def test_many_texts_in_one_request_come_back_in_order(self, subject: Subject) -> None:
        mode = subject.plugin.capabilities.markup
        sources = self.numbered(min(subject.plugin.capabilities.max_texts, 12), mode)
        stack = self.stack(subject.plugin)
        answers = self.run(subject, lambda: stack.translate(self.request([s.sent for s in sources])))
        self.assert_answers(sources, answers, mode)

    def test_texts_over_several_requests_at_once_come_back_in_order(self, subject: Subject) -> None:
        mode = subject.plugin.capabilities.markup
        per_request = min(subject.plugin.capabilities.max_texts, 3)
        sources = self.numbered(per_request * 4, mode)
        stack = self.stack(subject.plugin)
        answers = self.run(subject, lambda: self.translate_all(stack, sources, per_request))
        self.assert_answers(sources, answers, mode)
        assert stack.usage.requests == 4

    def test_context_and_roles_shape_nothing_but_the_translation(self, subject: Subject) -> None:
        """Context is source text around the request, to translate as part of a whole: whether a
        backend uses it or not, it never comes back in an answer, and answers keep their order."""
        mode = subject.plugin.capabilities.markup
        sources = self.numbered(min(subject.plugin.capabilities.max_texts, 3), mode)
        request = replace(
            self.request([s.sent for s in sources]),
            context="Quizzlewick course, lesson two. The previous paragraph explained Zorbit checkpoints.",
            roles=["paragraph"] * len(sources),
        )
        stack = self.stack(subject.plugin)
        answers = self.run(subject, lambda: stack.translate(request))
        self.assert_answers(sources, answers, mode)
        for answer in answers:
            assert "Quizzlewick" not in answer and "Zorbit" not in answer, answer
        assert stack.usage.context_characters == len(request.context or "")

    def test_inline_codes_round_trip(self, subject: Subject) -> None:
        mode = subject.plugin.capabilities.markup
        sources = [self.source(*built, mode) for built in code_layouts()]
        stack = self.stack(subject.plugin)
        answers = self.run(subject, lambda: self.translate_all(stack, sources))
        self.assert_answers(sources, answers, mode)

    def test_empty_and_whitespace_texts_come_back_blank_in_their_place(self, subject: Subject) -> None:
        mode = subject.plugin.capabilities.markup
        words = self.numbered(2, mode)
        blanks = [self.source(text, {}, mode) for text in ("", " ", "\n", " \t ")]
        sources = [blanks[0], words[0], blanks[1], blanks[2], words[1], blanks[3]]
        stack = self.stack(subject.plugin)
        answers = self.run(subject, lambda: self.translate_all(stack, sources))
        assert len(answers) == len(sources)
        for source, answer in zip(sources, answers, strict=True):
            if source in blanks:
                assert isinstance(answer, str) and not answer.strip(), f"{source.sent!r} came back as {answer!r}"
        self.assert_answers([words[0], words[1]], [answers[1], answers[4]], mode)

    # -- the contract: the answer check ----------------------------------------------------------

    def test_an_answer_missing_a_text_is_malformed_and_asked_once_more(self, subject: Subject) -> None:
        plugin = DropsLastAnswer(subject.plugin)
        sources = self.numbered(min(plugin.capabilities.max_texts, 2), plugin.capabilities.markup)
        stack = self.stack(plugin)
        with pytest.raises(MalformedAnswer) as caught:
            self.run(subject, lambda: stack.translate(self.request([s.sent for s in sources])))
        expected = f"{plugin.name} answered {len(sources) - 1} translations for {len(sources)} texts sent"
        assert str(caught.value) == expected
        assert plugin.calls == 2

    def test_an_empty_answer_for_a_text_with_words_is_malformed(self, subject: Subject) -> None:
        plugin = BlanksFirstAnswer(subject.plugin)
        sources = self.numbered(1, plugin.capabilities.markup)
        stack = self.stack(plugin)
        with pytest.raises(MalformedAnswer, match=r"answered an empty translation for text 1 of 1"):
            self.run(subject, lambda: stack.translate(self.request([s.sent for s in sources])))
        assert plugin.calls == 2

    # -- the contract: faults --------------------------------------------------------------------

    @pytest.mark.parametrize("kind", ["429", "500", "503", "drop", "slow"])
    def test_a_transient_failure_is_retried_through_the_stack(self, subject: Subject, kind: str) -> None:
        emulator = self.needs_faults(subject)
        # "slow" outlasts the plugin's timeout (the emulator lets go when it stops); 429 says when.
        faults: dict[str, dict[str, Any]] = {"429": {"retry_after": 7}, "slow": {"seconds": self.timeout * 20}}
        options = faults.get(kind, {})
        emulator.faults.queue(kind, path=subject.path, **options)
        mode = subject.plugin.capabilities.markup
        sources = self.numbered(1, mode)
        usage, waits = Usage(), list[float]()
        stack = self.stack_noting_waits(subject.plugin, usage, waits)
        answers = self.run(subject, lambda: stack.translate(self.request([s.sent for s in sources])))
        self.assert_answers(sources, answers, mode)
        assert [r.fault for r in subject.translation_requests()] == [kind, None]
        assert usage.retries == 1
        if kind == "429":
            assert waits == [7.0]  # the server's Retry-After, not the client's own backoff
        else:
            assert len(waits) == 1 and 0 < waits[0] <= FAST_RETRY.max_delay

    @pytest.mark.parametrize(("kind", "error"), [("quota", QuotaExceeded), ("auth", AuthError)])
    def test_quota_and_auth_stop_at_once_with_one_line_and_no_key(
        self, subject: Subject, kind: str, error: type[BackendError]
    ) -> None:
        emulator = self.needs_faults(subject)
        emulator.faults.queue(kind, count=3, path=subject.path)
        self.assert_stops_at_once(subject, error)

    def test_refused_credentials_stop_at_once_with_one_line_and_no_key(self, subject: Subject) -> None:
        self.needs_faults(subject)
        if subject.refuse_credentials is None:
            pytest.skip("the emulator cannot refuse this backend's credentials")
        subject.refuse_credentials()
        self.assert_stops_at_once(subject, AuthError)

    def assert_stops_at_once(self, subject: Subject, error: type[BackendError]) -> None:
        usage = Usage()
        stack = self.stack(subject.plugin, usage=usage)
        sources = self.numbered(1, subject.plugin.capabilities.markup)
        with pytest.raises(BackendError) as caught:
            self.run(subject, lambda: stack.translate(self.request([s.sent for s in sources])))
        assert isinstance(caught.value, error) and not isinstance(caught.value, TransientError), repr(caught.value)
        message = str(caught.value)
        assert message.strip() and "\n" not in message
        for secret in subject.secrets:
            assert secret not in message
        assert len(subject.translation_requests()) == 1  # never retried
        assert usage.retries == 0

    # -- the contract: concurrent use ------------------------------------------------------------

    def test_concurrent_requests_through_one_stack_stay_within_the_limit(self, subject: Subject) -> None:
        limit = 3
        if subject.emulator is not None:
            subject.emulator.latency = 0.05  # a round trip long enough for requests to overlap
        plugin = CountsInFlight(subject.plugin, hold=0.02)
        mode = plugin.capabilities.markup
        per_request = min(plugin.capabilities.max_texts, 2)
        sources = self.numbered(per_request * 12, mode)
        usage = Usage()
        stack = self.stack(plugin, limit=limit, usage=usage)
        answers = self.run(subject, lambda: self.translate_all(stack, sources, per_request))
        self.assert_answers(sources, answers, mode)
        assert plugin.calls == 12 + usage.retries  # a retry, if the machine is slow, holds its slot too
        assert 1 < plugin.max_in_flight <= limit
        if subject.emulator is not None:
            assert 1 < subject.emulator.max_in_flight <= limit


def codes(tagged: str) -> list[str]:
    return [markup.code_markup(token) for token in markup.tokens(tagged) if token.kind != "text"]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def in_order(wanted: Sequence[str], found: Sequence[str]) -> bool:
    """``wanted`` is a subsequence of ``found``."""
    remaining = iter(found)
    return all(word in remaining for word in wanted)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def code_layouts() -> list[tuple[str, dict[str, Span]]]:
    """Inline codes where engines most often break them: first, last, nested, side by side."""
    layouts = []

    first = markup.TaggedTextBuilder()
    first.protect("{name}", "placeholder")
    first.text(" starts the training job.")
    layouts.append(first.build())

    last = markup.TaggedTextBuilder()
    last.text("Read the guide at ")
    last.protect("https://docs.aws.amazon.com/sagemaker/", "url")
    layouts.append(last.build())

    nested = markup.TaggedTextBuilder()
    nested.text("Use ")
    nested.open("link", "[", "](https://aws.amazon.com/)")
    nested.text("the ")
    nested.open("strong", "**", "**")
    nested.text("managed")
    nested.close()
    nested.text(" Spot training")
    nested.close()
    nested.text(" to save cost.")
    layouts.append(nested.build())

    side_by_side = markup.TaggedTextBuilder()
    side_by_side.text("Set ")
    side_by_side.protect("`MaxWaitTimeInSeconds`", "code")
    side_by_side.protect("<br>", "br")
    side_by_side.open("em", "_", "_")
    side_by_side.text("before")
    side_by_side.close()
    side_by_side.text(" you start & stop < 5 jobs.")
    layouts.append(side_by_side.build())

    return layouts
