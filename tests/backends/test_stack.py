"""The seam every backend meets: what a plugin gets for free from the stack around it.

A plugin implements only "tagged texts in, translations out". Retries of ``TransientError``, the
check that an answer has one non-empty text per text sent, the translation memory and the shared
request limit are applied once, around every backend — built-in or third-party alike. These tests
register small plugins the way a package would (an entry point) and run the real CLI.
"""

from __future__ import annotations

import asyncio
import sqlite3
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

import translator.backends as backends_module
from tests.conftest import DEEPL_KEY
from translator.backends import Backend, Capabilities, TranslateRequest
from translator.backends.pseudo_text import pseudo_translate
from translator.backends.stack import FOLLOW_UP, NEW_WORK, RequestLimit
from translator.config import Settings
from translator.errors import TransientError
from translator.testing import DeepLEmulator


class PluginBase(Backend):
    calls: list[list[str]] = []
    capabilities = Capabilities(max_texts=10, max_bytes=10_000, markup="xml")

    @classmethod
    def from_settings(cls, settings: Settings, *, url: str | None = None) -> Backend:
        return cls()

    def answer(self, request: TranslateRequest) -> list[str]:
        return [pseudo_translate(text, request.target_lang, ignore_tags=("x",)) for text in request.texts]


class FlakyPlugin(PluginBase):
    """Rate-limited on its first call, as a busy service is; fine afterwards."""

    name = "flaky"

    async def translate(self, request: TranslateRequest) -> list[str]:
        type(self).calls.append(list(request.texts))
        if len(type(self).calls) == 1:
            raise TransientError("the service is busy (HTTP 429)", retry_after=0.01)
        return self.answer(request)


class OneShortPlugin(PluginBase):
    """Drops the last translation of a request of several texts."""

    name = "oneshort"

    async def translate(self, request: TranslateRequest) -> list[str]:
        type(self).calls.append(list(request.texts))
        answers = self.answer(request)
        return answers[:-1] if len(answers) > 1 else answers


class EmptyPlugin(PluginBase):
    name = "empty"

    async def translate(self, request: TranslateRequest) -> list[str]:
        type(self).calls.append(list(request.texts))
        return ["" for _ in request.texts]


class NonePlugin(PluginBase):
    name = "nothing"

    async def translate(self, request: TranslateRequest) -> list[str]:
        type(self).calls.append(list(request.texts))
        return [None for _ in request.texts]  # type: ignore[misc]


PLUGINS = {cls.name: cls for cls in (FlakyPlugin, OneShortPlugin, EmptyPlugin, NonePlugin)}


@pytest.fixture(autouse=True)
def plugins(monkeypatch: pytest.MonkeyPatch):
    real = backends_module.registered

    def with_test_plugins() -> dict[str, EntryPoint]:
        found = real()
        for name in PLUGINS:
            found[name] = EntryPoint(name, f"{__name__}:{PLUGINS[name].__name__}", backends_module.GROUP)
        return found

    monkeypatch.setattr(backends_module, "registered", with_test_plugins)
    for cls in PLUGINS.values():
        cls.calls = []


def memory_rows(folder: Path) -> list[tuple[str, str]]:
    path = folder / "cache" / "memory.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        return list(db.execute("SELECT source, target FROM memory"))


def lesson(folder: Path, name: str = "lesson.txt", text: str = "Hello world.\n\nSecond paragraph.\n") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_plugin_that_raises_transient_error_is_retried_and_succeeds(cli_env) -> None:
    source = lesson(cli_env.tmp)
    result = cli_env.run("translate", str(source), "-b", "flaky", "--no-check", "--no-glossary")
    assert result.exit_code == 0, result.output
    assert len(FlakyPlugin.calls) == 2  # the first answer was a 429, the retry went through
    assert "[ja] Hello world." in (cli_env.tmp / "lesson.ja.txt").read_text(encoding="utf-8")


def test_a_plugin_returning_one_text_too_few_fails_its_file_with_one_line(cli_env) -> None:
    source = lesson(cli_env.tmp)
    result = cli_env.run("translate", str(source), "-b", "oneshort", "--no-check", "--no-glossary")
    assert result.exit_code == 1
    assert "oneshort answered 1 translations for 2 texts sent" in result.output
    assert "Traceback" not in result.output
    assert len(OneShortPlugin.calls) == 2  # asked once more, then given up
    assert not (cli_env.tmp / "lesson.ja.txt").exists()


@pytest.mark.parametrize("plugin", ["empty", "nothing"])
def test_an_empty_or_missing_translation_is_an_error_and_never_reaches_the_memory(cli_env, plugin) -> None:
    source = lesson(cli_env.tmp)
    result = cli_env.run("translate", str(source), "-b", plugin, "--no-check", "--no-glossary")
    assert result.exit_code == 1
    assert f"{plugin} answered" in result.output and "for text 1 of 2" in result.output
    assert not (cli_env.tmp / "lesson.ja.txt").exists()
    assert memory_rows(cli_env.tmp) == []


def test_a_bad_answer_fails_only_its_file_in_a_folder(cli_env) -> None:
    """MalformedAnswer is a document's failure: the other documents are still written."""
    folder = cli_env.tmp / "course"
    folder.mkdir()
    lesson(folder, "a.txt", "Hello world.\n")
    lesson(folder, "b.txt", "One.\n\nTwo.\n")
    result = cli_env.run(
        "translate", str(folder), "-b", "oneshort", "--no-check", "--no-glossary", "--concurrency", "1"
    )
    assert result.exit_code == 1
    assert f"{folder / 'b.txt'}: oneshort answered 1 translations for 2 texts sent" in result.output
    assert (cli_env.tmp / "course.ja" / "a.txt").is_file()
    assert not (cli_env.tmp / "course.ja" / "b.txt").exists()


def test_an_invalid_memory_entry_is_ignored_and_replaced(cli_env) -> None:
    source = lesson(cli_env.tmp, text="Hello world.\n")
    first = cli_env.run("translate", str(source), "-b", "pseudo", "--no-check", "--no-glossary")
    assert first.exit_code == 0, first.output
    with sqlite3.connect(cli_env.tmp / "cache" / "memory.sqlite3") as db:
        db.execute("UPDATE memory SET target = ''")  # as a broken earlier version could have stored it
    second = cli_env.run("translate", str(source), "-b", "pseudo", "--no-check", "--no-glossary")
    assert second.exit_code == 0, second.output
    assert "[ja] Hello world." in (cli_env.tmp / "lesson.ja.txt").read_text(encoding="utf-8")
    assert "0 from memory" in second.output


def eight_documents(tmp: Path) -> Path:
    folder = tmp / "course"
    folder.mkdir()
    for index in range(8):
        paragraphs = [f"Document {index} explains topic {n} in detail." for n in range(12)]
        lesson(folder, f"d{index}.md", "\n\n".join(paragraphs) + "\n")
    return folder


def one_long_document(tmp: Path) -> Path:
    """Eight forward batches (DeepL takes 50 texts a request) in one document."""
    paragraphs = [f"Paragraph {n} explains topic {n} in detail." for n in range(400)]
    return lesson(tmp, "long.md", "\n\n".join(paragraphs) + "\n")


@pytest.mark.parametrize(("sources", "concurrency"), [(eight_documents, 4), (one_long_document, 3)])
def test_documents_with_back_translation_never_exceed_the_request_limit(cli_env, sources, concurrency) -> None:
    source = sources(cli_env.tmp)
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        emulator.latency = 0.05
        result = cli_env.run(
            "translate",
            str(source),
            "-o",
            str(cli_env.tmp / "out"),
            "-b",
            "deepl",
            "--backend-url",
            emulator.url,
            "--concurrency",
            str(concurrency),
            "--back-translate",
            "all",
            "--no-glossary",
        )
        assert result.exit_code == 0, result.output
        targets = [r.json["target_lang"] for r in emulator.requests if r.path == "/v2/translate" and r.json]
        assert "EN-US" in targets  # back-translations
        assert 1 < emulator.max_in_flight <= concurrency


def test_a_long_documents_back_translations_go_out_while_its_forward_batches_do(cli_env) -> None:
    """Each forward batch is back-translated as soon as it returns, ahead of forward batches still
    waiting for a slot, not after the whole document's forward pass."""
    source = one_long_document(cli_env.tmp)
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        emulator.latency = 0.02
        result = cli_env.run(
            "translate",
            str(source),
            "-b",
            "deepl",
            "--backend-url",
            emulator.url,
            "--concurrency",
            "2",
            "--back-translate",
            "all",
            "--no-glossary",
        )
        assert result.exit_code == 0, result.output
        targets = [r.json["target_lang"] for r in emulator.requests if r.path == "/v2/translate" and r.json]
    assert targets.count("JA") == 8 and targets.count("EN-US") == 8
    last_forward = len(targets) - 1 - targets[::-1].index("JA")
    assert targets.index("EN-US") < last_forward - 2, targets


def test_the_request_limit_lets_follow_up_work_through_first_and_survives_cancelled_waiters() -> None:
    async def scenario() -> list[str]:
        limit = RequestLimit(1)
        order: list[str] = []
        await limit.acquire()  # the one slot is taken: everything below waits

        async def request(name: str, priority: int) -> None:
            async with limit.slot(priority):
                order.append(name)

        waiting = [
            asyncio.ensure_future(request("forward 1", NEW_WORK)),
            asyncio.ensure_future(request("forward 2", NEW_WORK)),
            asyncio.ensure_future(request("cancelled back", FOLLOW_UP)),
            asyncio.ensure_future(request("back", FOLLOW_UP)),
        ]
        await asyncio.sleep(0)
        waiting[2].cancel()
        await asyncio.sleep(0)
        limit.release()
        await asyncio.gather(*waiting, return_exceptions=True)
        assert limit.free == 1  # every slot came back
        return order

    assert asyncio.run(scenario()) == ["back", "forward 1", "forward 2"]


def test_a_segment_that_no_request_can_hold_fails_only_its_file(cli_env) -> None:
    folder = cli_env.tmp / "course"
    folder.mkdir()
    lesson(folder, "good.md", "A normal paragraph.\n")
    lesson(folder, "huge.md", "Intro.\n\n" + "x" * 130_000 + "\n")
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        result = cli_env.run(
            "translate", str(folder), "-b", "deepl", "--backend-url", emulator.url, "--no-check", "--no-glossary"
        )
    assert result.exit_code == 1
    assert f"{folder / 'huge.md'}:3: a segment of 130,000 characters has no place to cut it" in result.output
    assert (cli_env.tmp / "course.ja" / "good.md").is_file()
    assert not (cli_env.tmp / "course.ja" / "huge.md").exists()


def test_the_runs_answers_kept_for_repeats_are_bounded_and_keep_the_most_recent() -> None:
    """A batch run over hundreds of transcripts must hold as much at its last file as at its first:
    the answers kept for texts that come again are the run's most recent ones, not all of them."""
    from translator.backends._http import RetryPolicy
    from translator.backends.pseudo import PseudoBackend
    from translator.backends.stack import ANSWERED_LIMIT, compose

    async def scenario() -> None:
        stack = compose(PseudoBackend(), limit=asyncio.Semaphore(1), retry=RetryPolicy(max_retries=0))
        texts = [f"sentence {number}" for number in range(ANSWERED_LIMIT + 50)]
        for text in texts:
            mine, _theirs = stack.claim([text], "en", "ja")
            assert mine == [text]
            stack.settle({text: f"訳 {text}"}, "en", "ja")
        mine, theirs = stack.claim([texts[-1], texts[0]], "en", "ja")
        assert mine == [texts[0]]  # the oldest answer was let go: sent again
        assert theirs[texts[-1]].result() == f"訳 {texts[-1]}"  # the newest is answered at once
        assert len(stack._answered) == ANSWERED_LIMIT

    asyncio.run(scenario())
