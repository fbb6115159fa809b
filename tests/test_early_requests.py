"""A large document's first requests leave while the rest of it is still being prepared.

Protecting 20,000 paragraphs with the glossary and planning their batches took seconds before
anything was sent; the forward pass now prepares a chunk of segments at a time and sends each
full batch at once. What is sent must not change: the same batches, each with the same context.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.conftest import DEEPL_KEY
from translator import pipeline
from translator.glossary.enforce import GlossaryStage
from translator.testing import DeepLEmulator, LibreTranslateEmulator
from translator.testing.server import Request, Response

PARAGRAPHS = 600


def long_lesson(folder: Path) -> Path:
    source = folder / "lesson.md"
    # Every tenth paragraph is the same: a text met again in a later chunk is sent once.
    paragraphs = [
        f"Amazon SageMaker trains model {n} on data in Amazon S3. Deploy it to an endpoint, part {n % 7}."
        if n % 10
        else "Stop the endpoint when you finish the lab."
        for n in range(PARAGRAPHS)
    ]
    source.write_text("# Training on SageMaker\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return source


class Watching(LibreTranslateEmulator):
    """Says when its first translation request arrives (a service that needs no glossary set up
    first: DeepL's is created by the first request, which the test below would hold up)."""

    def __init__(self) -> None:
        super().__init__()
        self.first_request = threading.Event()

    def handle(self, request: Request) -> Response:
        if request.path == "/translate":
            self.first_request.set()
        return super().handle(request)


def test_the_first_request_reaches_the_service_before_the_last_segment_is_protected(
    cli_env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "CHUNK_SEGMENTS", 20, raising=False)
    source = long_lesson(cli_env.tmp)
    protected = 0
    seen_before_the_last: list[bool] = []
    protect = GlossaryStage.protect

    with Watching() as emulator:

        def protect_and_count(self, segment):
            nonlocal protected
            protected += 1
            if protected == PARAGRAPHS + 1:  # the heading and every paragraph: this is the last one
                # Protecting is on the event loop: the requests already started were sent while
                # the chunks before this one were prepared, so the service has one by now.
                seen_before_the_last.append(emulator.first_request.wait(timeout=10))
            return protect(self, segment)

        monkeypatch.setattr(GlossaryStage, "protect", protect_and_count)
        result = cli_env.run(
            "translate",
            str(source),
            "-o",
            "out.md",
            "-b",
            "libretranslate",
            "--no-check",
            env={"LIBRETRANSLATE_URL": emulator.url},
        )
    assert result.exit_code == 0, result.output
    assert seen_before_the_last == [True]


def test_a_document_prepared_chunk_by_chunk_sends_the_batches_and_contexts_of_one_prepared_at_once(
    cli_env, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = long_lesson(cli_env.tmp)
    sent: dict[int, list[tuple[tuple[str, ...], str]]] = {}
    summaries: dict[int, str] = {}
    for chunk in (7, 10**6):
        monkeypatch.setattr(pipeline, "CHUNK_SEGMENTS", chunk, raising=False)
        with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
            result = cli_env.run(
                "translate",
                str(source),
                "-o",
                f"out-{chunk}.md",
                "-b",
                "deepl",
                "--backend-url",
                emulator.url,
                "--no-cache",
            )
            assert result.exit_code == 0, result.output
            summaries[chunk] = next(line for line in result.stderr.splitlines() if line.startswith("wrote "))
            sent[chunk] = sorted(
                (tuple(params["text"]), params.get("context", ""))
                for request in emulator.requests
                if request.path == "/v2/translate"
                and (params := request.params(multi=("text",)))
                and params["target_lang"] == "JA"  # forward: back-translations group as batches return
            )
    assert len(sent[7]) > 1  # several batches, each planned across chunk boundaries
    assert sent[7] == sent[10**6]
    assert summaries[7].replace("-7.md", "") == summaries[10**6].replace(f"-{10**6}.md", "")
    assert "542 translated" in summaries[7]  # the heading, 540 paragraphs and the repeated one sent once
    assert (cli_env.tmp / "out-7.md").read_bytes() == (cli_env.tmp / f"out-{10**6}.md").read_bytes()
