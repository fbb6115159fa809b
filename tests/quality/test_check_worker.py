"""The per-segment rules and round-trip scores in a second process (``quality/offload.py``).

The worker changes where the checks run, never what they find: the same documents translated
with it forced on, forced off, and started half-way give the same bytes and the same report. A
worker that dies stops the run with one line and writes nothing half-judged; Ctrl-C ends the
run as without a worker, with no traceback from the worker."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DEEPL_KEY, FIXTURES
from translator.config import load_settings
from translator.glossary.enforce import build_glossary_stage
from translator.quality import offload
from translator.quality.stage import build_quality_stage
from translator.runs.translate import TranslateOptions, translate_sources
from translator.testing import DeepLEmulator

NEVER = 10**9


def course(tmp: Path) -> Path:
    """Real AWS documentation pages (tests/fixtures, see their ATTRIBUTION.txt / README.md)."""
    folder = tmp / "course"
    folder.mkdir()
    for path in sorted((FIXTURES / "markdown").glob("*.md")):
        shutil.copy(path, folder / path.name)
    shutil.copy(FIXTURES / "html" / "aws-docs-page.html", folder / "aws-docs-page.html")
    # A glossary term whose sense is told by a word that protect turns into a code ("bias" is
    # the ML term next to "SageMaker"): the checks must read the matches protect found, which
    # matching the protected text again would not give.
    (folder / "context.md").write_text(
        "# Bias\n\nAmazon SageMaker reduces bias in the results.\n\n"
        "Amazon SageMaker Clarify measures bias before and after training.\n",
        encoding="utf-8",
    )
    return folder


def run(
    cli_env,
    monkeypatch,
    folder: Path,
    name: str,
    start_after: int,
    *,
    worker: bool | None = None,
    switch: str | None = None,
    **settings: object,
) -> tuple[dict, bytes]:
    """Translate ``folder``; returns every output's bytes and the JSON report's bytes, and checks
    that the worker was used (``worker``; by default: when ``start_after`` lets it start).
    ``switch``: the value of TRANSLATOR_CHECK_WORKER (None: unset)."""
    monkeypatch.setattr(offload, "START_AFTER", start_after)
    if switch is None:  # a tester's own setting does not count
        monkeypatch.delenv("TRANSLATOR_CHECK_WORKER", raising=False)
    else:
        monkeypatch.setenv("TRANSLATOR_CHECK_WORKER", switch)
    calls: list[str] = []
    call = offload.CheckOffload._call

    async def counted(self, function, batch):  # type: ignore[no-untyped-def]
        calls.append(function.__name__)
        return await call(self, function, batch)

    monkeypatch.setattr(offload.CheckOffload, "_call", counted)
    config = load_settings(env=cli_env.env, config_file=cli_env.config, backend="pseudo", cache=False, **settings)
    report = cli_env.tmp / f"{name}.json"
    out = cli_env.tmp / name
    options = TranslateOptions(
        output=str(out), reports=[str(report)], glossary=build_glossary_stage(config, [])
    )  # the glossary as the CLI uses it: protect, then check
    result = translate_sources([str(folder)], config, options)
    assert not result.failed
    if worker is None:
        worker = start_after != NEVER and offload.cores_to_spare()
    if worker:
        assert "rule_findings" in calls and "scores" in calls
    else:
        assert calls == []
    outputs = {path.name: path.read_bytes() for path in sorted(out.iterdir()) if not path.name.startswith(".")}
    text = report.read_text(encoding="utf-8")
    created = text.index('"created"')
    text = text[:created] + text[text.index(",", created) :]  # the one field that is a time
    return outputs, text.encode("utf-8")


@pytest.mark.parametrize(
    "settings",
    [
        {"back_translate": "all", "embedded_model": False},
        {},  # the defaults: back-translation of suspect segments, the embedded model
    ],
    ids=["all, rules and scores only", "defaults"],
)
def test_the_worker_changes_nothing_a_user_sees(cli_env, monkeypatch, settings) -> None:
    if not offload.cores_to_spare():
        pytest.skip("one core: the worker never starts")
    folder = course(cli_env.tmp)
    off_outputs, off_report = run(cli_env, monkeypatch, folder, "off", NEVER, **settings)
    on_outputs, on_report = run(cli_env, monkeypatch, folder, "on", 0, **settings)
    late_outputs, late_report = run(cli_env, monkeypatch, folder, "late", 40, **settings)

    assert len(off_outputs) == 7
    assert on_outputs == off_outputs
    assert late_outputs == off_outputs
    assert on_report == off_report
    assert late_report == off_report
    assert b'"literal"' in off_report and b'"chrf"' in off_report  # there were verdicts and scores to compare


def test_one_core_keeps_the_checks_in_process(cli_env, monkeypatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0})
    assert not offload.cores_to_spare()
    folder = course(cli_env.tmp)
    # Asked to start at once, yet on one core nothing goes to a worker (``run`` checks the calls).
    outputs, _report = run(
        cli_env, monkeypatch, folder, "one-core", 0, worker=False, back_translate="all", embedded_model=False
    )
    assert len(outputs) == 7


def test_the_environment_switch_overrides_the_threshold(cli_env, monkeypatch) -> None:
    if not offload.cores_to_spare():
        pytest.skip("one core: the worker never starts")
    folder = course(cli_env.tmp)
    run(cli_env, monkeypatch, folder, "never", 0, worker=False, switch="0", back_translate="all", embedded_model=False)
    run(
        cli_env,
        monkeypatch,
        folder,
        "always",
        NEVER,
        worker=True,
        switch="1",
        back_translate="all",
        embedded_model=False,
    )


def test_no_key_and_no_settings_reach_the_worker(cli_env) -> None:
    secret = "worker-must-not-see-this-key:fx"
    cli_env.config.write_text(f'[backends.deepl]\nkey = "{secret}"\n', encoding="utf-8")
    config = load_settings(env={**cli_env.env, "DEEPL_AUTH_KEY": secret}, config_file=cli_env.config)
    assert secret.encode() in pickle.dumps(config)  # the run's settings hold it
    stage = build_quality_stage(config, glossary=build_glossary_stage(config, []), offload=True)
    assert stage.offload is not None
    payload = stage.offload.payload()
    assert secret.encode() not in payload
    assert b"translator.config" not in payload  # no Settings object at all
    assert b"translator.quality.assess" in payload and b"SageMaker" in payload  # what it does need


# -- the worker as a process: killed, interrupted ---------------------------------------------

SCRIPT = """
import sys

if __name__ == "__main__":  # the spawned worker imports this file as its main module
    from translator.quality import offload

    offload.START_AFTER = 0  # the worker from the first batch on, however small the run
    from translator.cli.main import main

    sys.argv = ["translator", *sys.argv[1:]]
    main()
"""


def paragraphs(path: Path, count: int) -> None:
    text = "\n\n".join(
        f"Amazon SageMaker trains the model in part {n}, and you stop the endpoint when you finish."
        for n in range(count)
    )
    path.write_text(text + "\n", encoding="utf-8")


def worker_of(parent: int, deadline: float) -> int | None:
    """The pid of ``parent``'s check worker (a spawned multiprocessing child), once it exists."""
    while time.monotonic() < deadline:
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            return None
        for child in children:
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"spawn_main" in command:
                return int(child)
        time.sleep(0.02)
    return None


def gone(pid: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def slow_run(cli_env):
    """A translate subprocess against a DeepL emulator slow enough to be caught mid-run."""
    if not Path("/proc/self/task").is_dir() or not offload.cores_to_spare():
        pytest.skip("needs /proc and more than one core")
    source = cli_env.tmp / "lesson.md"
    paragraphs(source, 400)
    script = cli_env.tmp / "run.py"
    script.write_text(SCRIPT, encoding="utf-8")
    output = cli_env.tmp / "lesson.ja.md"
    with DeepLEmulator(auth_keys=(DEEPL_KEY,)) as emulator:
        emulator.latency = 0.25
        process = subprocess.Popen(
            [
                sys.executable,
                str(script),
                "--config",
                str(cli_env.config),
                "translate",
                str(source),
                "-o",
                str(output),
                "-b",
                "deepl",
                "--backend-url",
                emulator.url,
                "--concurrency",
                "1",
                "--no-cache",
                "--no-embedded-model",
                "--back-translate",
                "all",
            ],
            env={**os.environ, **cli_env.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )
        try:
            yield process, output
        finally:
            if process.poll() is None:
                process.kill()
            process.communicate(timeout=30)


def test_a_killed_worker_stops_the_run_with_one_line_and_no_output(slow_run) -> None:
    process, output = slow_run
    worker = worker_of(process.pid, time.monotonic() + 30)
    assert worker is not None, "the check worker never started"
    os.kill(worker, signal.SIGKILL)
    _stdout, stderr = process.communicate(timeout=60)

    assert process.returncode != 0
    assert stderr.strip().splitlines() == [f"error: {offload.DIED}"]
    assert not output.exists()


def test_ctrl_c_ends_the_run_and_its_worker_without_a_traceback(slow_run) -> None:
    process, output = slow_run
    worker = worker_of(process.pid, time.monotonic() + 30)
    assert worker is not None, "the check worker never started"
    time.sleep(0.3)  # the worker is busy with the first batches
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
    _stdout, stderr = process.communicate(timeout=60)

    assert process.returncode == 130
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert stderr.strip().splitlines() == [
        "interrupted; outputs already written are complete, the rest were not written"
    ]
    assert not output.exists()
    assert gone(worker, time.monotonic() + 10)


def test_a_mistyped_worker_switch_stops_the_run_before_anything_is_written(cli_env) -> None:
    source = cli_env.tmp / "page.md"
    source.write_text("# Title\n\nAmazon SageMaker trains the model.\n", encoding="utf-8")
    output = cli_env.tmp / "page.ja.md"
    result = cli_env.run(
        "translate", str(source), "-o", str(output), "-b", "pseudo", env={"TRANSLATOR_CHECK_WORKER": "off"}
    )
    assert result.exit_code != 0
    errors = [line for line in result.output.splitlines() if line.strip()]
    assert errors == [
        "error: TRANSLATOR_CHECK_WORKER='off' is not valid: 0 (never), 1 (from the first batch), or unset"
    ]
    assert not output.exists()


UNGUARDED_SCRIPT = """\
# A library caller's script with no ``if __name__ == "__main__":`` guard.
from pathlib import Path

from translator.config import load_settings
from translator.runs.translate import TranslateOptions, translate_sources

with open("ran.txt", "a", encoding="utf-8") as log:
    log.write("ran\\n")
settings = load_settings(config_file="translator.toml", backend="pseudo", cache=False, embedded_model=False)
run = translate_sources(["lesson.md"], settings, TranslateOptions(output="lesson.ja.md"))
print("failed" if run.failed else "done")
"""


def test_a_library_script_without_a_main_guard_runs_once(cli_env) -> None:
    """The worker is a fresh interpreter; it must not run the caller's script again (which would
    translate the files a second time in the worker, then fail the run)."""
    if not offload.cores_to_spare():
        pytest.skip("the worker starts only with more than one core")
    paragraphs(cli_env.tmp / "lesson.md", 20)
    script = cli_env.tmp / "caller.py"
    script.write_text(UNGUARDED_SCRIPT, encoding="utf-8")
    env = {**os.environ, **cli_env.env, "TRANSLATOR_CHECK_WORKER": "1"}
    finished = subprocess.run(
        [sys.executable, str(script)], cwd=cli_env.tmp, env=env, capture_output=True, text=True, timeout=120
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "done"
    assert (cli_env.tmp / "ran.txt").read_text(encoding="utf-8") == "ran\n"
    assert (cli_env.tmp / "lesson.ja.md").read_text(encoding="utf-8").strip()


def test_the_worker_collects_cyclic_garbage_as_rarely_as_the_run_does() -> None:
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from translator.collector import RUN_GC_THRESHOLDS
    from translator.quality import offload_worker

    pool = ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("spawn"), initializer=offload_worker.ignore_interrupts
    )
    try:
        assert pool.submit(gc.get_threshold).result(timeout=60) == RUN_GC_THRESHOLDS
    finally:
        pool.shutdown()
