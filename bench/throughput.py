"""Throughput at the service's limit and memory flat in the input: the acceptance benchmark.

A batch run should be limited by the translation service, never by this program. The DeepL
emulator runs in a separate process (its request handling must not share our interpreter's lock)
and answers every request after ``--latency`` seconds; ``translator translate`` runs as a
subprocess with ``--concurrency 8`` and the default checks (glossary, rules, the embedded
quality model, back-translation of suspect segments). For each case this prints, measured in the
same run:

* the requests counted at the emulator, forward (to Japanese) and back-translations (to English),
* the wall time, the bound (requests × latency ÷ concurrency) and their ratio (target ≤ 1.3),
* the peak RSS of the translate process (``os.wait4``'s rusage of that one child),
* the most requests the emulator saw in flight at once (must be ≤ the concurrency).

Cases: (a) one Markdown file of 20,000 paragraphs, (b) 1,000 Markdown documents of 20
paragraphs, and with ``--rss`` the memory cases, which run offline on the ``pseudo`` backend:
(c) one Markdown file of 100,000 segments (a heading and 99,999 paragraphs: the most one document
may have), (d) a 50 MB folder of SRT lecture transcripts (target for both: peak RSS under 300 MB).

    python bench/throughput.py            # (a) and (b) at full size
    python bench/throughput.py --rss      # also (c) and (d)
    python bench/throughput.py --quick    # small sizes, a smoke run

What profiling found (cProfile of the translate process; 2,000 paragraphs, 2 cores shared with
other work, so absolute walls are inflated: compare the CPU figure and the ratios of one run):

* The embedded quality model dominates a checked run: about 11 ms of CPU per segment on an idle
  2-core machine (45 ms of wall, 28 ms CPU, before its encoder tokenised with sentencepiece and on a
  loaded machine), measured and printed by this script. 20,000 paragraphs cost about 216 s of it
  against a 10 s network bound, so ``--concurrency 8`` at 100 ms cannot be the limit while it
  judges every segment; the "no embedded model" lines (``--no-embedded-model``, which a user can
  pass too) show the rest of the run. Idle, at full size: (a) ratio 5.0 (35 s of CPU, most of it
  the per-segment rules, round-trip chrF and glossary matching on the main thread), (b) 2.3.
* Without it, a pseudo run of 2,000 paragraphs spends most of its CPU in sacrebleu's TER of every
  back-translated segment (``lib_ter._edit_distance``/``_shift``: 28 of 72 profiled seconds), then
  chrF/BLEU statistics, the glossary matcher and the literalness rules: per-segment CPU cost,
  single-threaded under the GIL.
* Before, each document went forward pass → whole-document checks → back-translation of its
  suspect segments → scores, one after the other: a single large document had two network phases
  separated by a long CPU stretch with no request in flight, and its back-translations queued
  behind nothing but themselves. Now each batch's rules run as it returns, its back-translation is
  sent at once (ahead of forward batches still waiting for a slot), and the embedded model judges
  each batch in a worker thread while the other requests wait on the network.
* The emulator counted a request out of flight only after writing its answer, so a client that
  sent its next request at once was seen with one request too many (9 at ``--concurrency 8``);
  it now counts it out just before the answer leaves.
* The run held every document's result to the end for the summary and reports; the CLI now
  releases each once written, keeping its scores, its report section (with ``--report``) and a
  bounded heap of the worst segments.
* Everything but the embedded model's numpy work ran on the main thread under the interpreter's
  lock, so one of the two cores idled; the per-segment rules and round-trip scores (a third to
  a half of that thread's CPU without the embedded model) now run in a check worker process
  (``translator/quality/offload.py``) once a run has checked 300 segments, each back-translated
  batch scored as it returns. ``--check-worker-off-too`` prints each case both ways, and every
  line gives the main thread's CPU beside the process's. Measured side by side
  (``--without-embedded-model --only a --only b --check-worker-off-too``, three runs) on a
  machine where other processes kept both cores busy (load average 2-6), worker on / off:
  (a) main thread 19.4 / 30.7 s, 17.2 / 34.0 s, 16.4 / 28.3 s; process CPU 42.7 / 30.8 s,
  35.6 / 34.1 s, 34.4 / 28.4 s (the worker's start, pickling both ways, and rules run on a
  contended core); walls 72.8 / 68.8 s, 52.9 / 86.0 s, 85.2 / 76.4 s. (b) main thread
  25.1 / 34.4 s, 28.5 / 42.8 s; walls 82.3 / 86.6 s, 119.1 / 119.6 s. The main thread, which
  bounds the wall once the second core is free, spends 51-63 % (a) and 67-73 % (b) of the CPU it
  did; on that busy
  machine the walls only followed the load, since no core was idle for the worker. The worker's
  own peak RSS is about 45 MB (5,000 paragraphs); the translate process's peak grew 334 → 361 MB
  in (a) (each back-translated batch's scores wait for the document's end). What is left on the
  main thread: reading, protect and the glossary check, HTTP and JSON, the Markdown writer,
  document rules and verdicts.
* (c), one document of 100,000 segments, without the embedded model (before the check worker):
  peak RSS 1,965 MB, then 1,127 MB (target 300). A run of 100 paragraphs peaks at 67 MB, so the rest is per paragraph:
  19.0 → 10.6 KB; ``--quick`` (10,000) 218 → 177 MB, 15.1 → 11.0 KB. tracemalloc of an in-process
  run (5,000 and 20,000 paragraphs) put the peak in the document-wide checks, where every
  segment, its translation and its findings are held at once; per paragraph at that point,
  before: findings 6.5 KB (4.8 of them one per untranslated English word, the pseudo output
  being English; 1.8 glossary findings, each with its own message string), the glossary matches
  left on segments 2.6 KB (with token objects copying the text, twice for segments the glossary
  protected, as the reader's segments were held beside their protected copies), the forward
  pass's maps (backend texts, places, arrivals) 1.2 KB, the whole document's back-translation
  groups built at once while waiting for request slots ~1 KB, per-object ``__dict__`` of
  segments, spans, translations and Markdown slots ~0.4 KB, the source text and slots 0.6 KB,
  translations, back-translations and scores ~1 KB. Now the forward maps and the reader's
  segments are gone before the checks, back-translation groups are prepared ``--concurrency``
  at a time, those objects are slotted, the matches keep no tokens and a missing term's
  message is one string: traced peak at 5,000 paragraphs 81.9 → 63.5 MB. What is left is
  mostly findings (about 5.4 KB a paragraph, most of them the per-word rule hits). With the check
  worker merged, main's head against these changes (two runs at the same time, load 4-5):
  full size 1,527 → 1,269 MB (14.6 → 12.0 KB a paragraph), ``--quick`` 221 → 193 MB. With the
  per-word rule hits also merged into one finding per rule and segment, the same way: full size
  1,016 → 773 MB (9.5 → 7.1 KB a paragraph).
* (c) at 721-731 MB (6.6 KB a paragraph). tracemalloc of an in-process run, per paragraph beyond a
  run of 100: at the end of the document-wide checks 5.7 KB (20,000 paragraphs; 6.5 at 5,000),
  of it the check worker's scores held until the document's end 1.4 KB (each segment's sentence
  statistics 0.7, a signatures dict per segment 0.35, scores dicts 0.26), the glossary 1.3 KB
  (missing-term findings 0.35, a protected term's code with its own attributes dict 0.29, matched
  surfaces copied 0.29, matches 0.31), texts about 1 KB (the source file 0.2, translation,
  protected source, back-translation); the run's traced peak, 6.2 KB, came when the document
  rules made every segment's pair at once (both plain texts: 0.9 KB) while back-translated groups
  waited packed for the worker (0.4 KB). The Markdown reader peaked at 3.0 KB a paragraph
  (markdown-it's block tokens 1.3, every block's inline tokens 0.35, a list of the lines 0.33, the
  file's bytes 0.2) to keep 1.0. RSS grew about 1.2× the traced memory (20,000 paragraphs: 147
  against 124 MB), so pymalloc's fragmentation is not where it goes. Now the reader parses one
  block's inline tokens at a time and lets tokens go as it makes segments (peak 2.0 KB), the
  corpus statistics are summed as segments are scored (kept per segment only with ``--fix``), the
  worker's scores wait compact, the document rules make a pair when they read it, at most two
  batches wait packed for the worker, matched surfaces are interned, a term's attributes are one
  dict per entry, and a segment's matches go once the worker has scored it: 3.8 KB at the end of
  the checks, a traced peak of 4.3 KB (20,000 paragraphs). Outputs and JSON reports are the same
  bytes. Side by side (two runs at once, load about 4): full size 731 → 521 MB (6.6 → 4.5 KB a
  paragraph); ``--quick`` on an idle machine 138 → 120 MB. Still above the target: what is left
  is the segments, their translations and findings themselves (about 4 KB a paragraph).
* The emulator itself was the limit of (a) and (b): its pseudo-translation tried every term of
  the run's glossary (856 pairs, sent as a DeepL glossary) at every position of every text,
  about 1 ms a text, 50 ms a request, all under its one interpreter lock: at most ~20 answers a
  second against the 80 that 8 requests of 100 ms allow. Timelines of requests in flight showed
  6-7 in flight but only ~18 answers a second. Its word table now tries at a word start only the
  keys beginning with that character (same output, 0.15 ms a text), and every case prints the
  emulator's CPU so this cannot hide again. Also found on the client's main thread: httpx's
  transport imports ``sniffio`` per request (missing, so each request searched every path entry:
  ~1 s per 800 requests; now a dependency), and the Markdown writer decided every character of
  every run (~1 s for 20,000 paragraphs; runs with nothing to escape are now written as they
  are). With the per-segment checks at half their CPU and in the check worker, on an idle
  machine at full size, ``python bench/throughput.py`` (before the embedded model judged two
  batches at once): (a) ratio 2.38 without the embedded model (wall 23.8 s, CPU 24.6 s, 13.8 s
  on the main thread; was 5.0), 25.7 with it (wall 257 s: the model's ~221 s of CPU on one
  core); (b) 1.53 without it (wall 38.1 s; was 2.3), 10.6 with it. Requests are now in flight
  from ~3 s after the start (start-up, reading and protecting the whole document come first)
  to the end of the forward and back passes, 5-7 at a time on average; the last ~3 s are the
  document-wide checks, verdicts and writing. With the embedded model judging two batches at
  once (one per core), (a) with it: wall 257 → 145 s (ratio 25.7 → 14.5, peak RSS 355 → 377 MB);
  (b) with it: 264 → 165 s (10.6 → 6.6, 205 → 270 MB); (b) without it 1.54 again.
* The start and the tail, and what each case still spends (without the embedded model, full
  size; py-spy ``record --idle`` of the translate process, per-thread and per-process CPU, and the
  cycle collector's own callbacks). The main thread was busy 75-85 % of the network phase; the
  first request left after reading, protecting every segment and planning every batch; the cycle
  collector made about 1,400 young and 9 full collections in the main process, the full ones
  2.2 s of CPU in stalls of about a quarter of a second (each walks every object the document
  holds); in (b) each document read the output folder's whole manifest twice and rewrote it
  (quadratic: about 9 % of the main thread at 1,000 files) and fsynced its output on the event
  loop (about 4 %); the emulator closed every connection (a TCP connect per request on both
  sides) and spent 3 ms a request in its word table (6-9 s of its CPU per case); the Markdown
  writer decided character by character every run holding a bracket (every pseudo-translated
  paragraph starts with ``[ja]``); DeepL's glossary name hashed all 856 pairs for every request.
  Now: a document is protected, looked up and planned 256 segments at a time and each full batch
  leaves at once (same batches and contexts); a run and its check worker collect every 10,000
  allocations (no full collection left in (a)); a folder's manifest is read once and written in
  rounds, and outputs are written off the event loop; the emulator keeps connections open
  (``keep_alive``, set here) and its word table tries only the keys starting with the word at
  hand (0.16 → 0.055 ms a text); the writer decides only the characters that may need a
  backslash; the glossary hash is worked out once. Measured side by side, main's head before
  these changes (with its own benchmark and emulator) against them, alternating, two rounds,
  ``--without-embedded-model --only a --only b``, on a machine where another process kept about
  one core busy (load average 2.3-3.3), before / after: (a) wall 35.9 / 30.3 s and 36.2 / 28.0 s
  (ratio 3.58 / 3.03, 3.61 / 2.80), main thread 18.4 / 15.2 s and 17.9 / 13.8 s, process CPU
  31.0 / 27.3 s and 30.8 / 25.2 s, the emulator's CPU 6.2 / 3.0 s and 6.3 / 2.8 s; (b) wall
  55.1 / 47.1 s and 61.9 / 42.4 s (ratio 2.20 / 1.88, 2.47 / 1.69), main thread 29.9 / 22.9 s and
  31.5 / 21.0 s, process CPU 43.8 / 38.3 s and 46.1 / 35.2 s, the emulator's CPU 8.4 / 4.7 s and
  8.8 / 4.4 s. What is left: both cases are bound by CPU on two cores shared by three processes
  (translate, its check worker, the emulator). (a): the main thread's 13.8-15.2 s, of which HTTP and
  JSON through httpx about a quarter, the glossary check about a seventh, code repair, house style
  and handing batches to the worker most of the rest; reading 20,000 paragraphs (about 1.5 s)
  still comes before the first request; the tail (document rules, verdicts, writing) is about
  2-3 s. (b): 35-38 s of CPU against a 25 s bound; documents in flight 17 instead of 9 made no
  difference beyond the noise (57.6, 57.2 s against 63.8, 50.8 s), nor did the interpreter's
  switch interval at 1 ms instead of 5 (42.5, 45.2 s against 44.5, 41.9 s); per document, the
  two requests through httpx are about a quarter of the main thread and handing work to the
  check worker (ProcessPoolExecutor.submit's wake-up pipe, waiting for the interpreter's lock)
  about a tenth. With the embedded model (``--only a``, one run each, load average 3.2-3.8):
  before 303.6 s (ratio 30.3, peak RSS 364 MB, main thread 21.5 s), after 276.8 s (27.7,
  383 MB, 17.0 s); the model's CPU on the core the other process left is that run's limit.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from lectures import write_course  # bench/lectures.py, beside this script

CONCURRENCY = 8
RSS_TARGET_MB = 300
RATIO_TARGET = 1.3

SENTENCES = [
    "Amazon SageMaker runs the training job on managed Spot Instances to lower the cost of experiments.",
    "The model is evaluated with precision and recall on a validation set that it never saw in training.",
    "Next, we deploy the model to a real-time inference endpoint and send it a few test requests.",
    "Remember to stop the endpoint when you finish the lab, or you keep paying for the instance.",
    "Feature engineering often matters more than the choice of algorithm for tabular data.",
    "Amazon S3 stores the training data, and AWS Identity and Access Management controls who can read it.",
    "Use Amazon CloudWatch to watch the loss curve while the job runs and stop it early if it diverges.",
    "Batch transform is the cheaper choice when you do not need an answer within a second.",
]


def paragraph(number: int) -> str:
    """A paragraph of two sentences, different from every other (the run sends each text once)."""
    first = SENTENCES[number % len(SENTENCES)]
    second = SENTENCES[(number * 3 + 1) % len(SENTENCES)]
    return f"{first} In part {number}, {second[0].lower()}{second[1:]}"


def write_markdown(path: Path, paragraphs: int, start: int = 0) -> None:
    blocks = [f"# Lesson {start}"]
    blocks += [paragraph(start + n) for n in range(paragraphs)]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def write_course_of_bytes(folder: Path, megabytes: float) -> int:
    """Lecture transcripts of 2,000 cues each until the folder holds ``megabytes``; returns the count."""
    probe = folder.parent / "probe"
    write_course(probe, 1, 2000)
    per_file = (probe / "lecture-000.srt").stat().st_size
    shutil.rmtree(probe)
    count = max(1, round(megabytes * 1_000_000 / per_file))
    write_course(folder, count, 2000)
    return count


# -- the emulator, in its own process ------------------------------------------------------------


def serve(connection: Connection, latency: float) -> None:
    """Run the DeepL emulator until told to stop; answer "stats" with what it saw."""
    from translator.testing import DeepLEmulator

    emulator = DeepLEmulator(auth_keys=("bench",), character_limit=10**12)
    emulator.latency = latency
    emulator.keep_alive = True  # as DeepL does: a connection per request cost both sides CPU
    cpu_at_reset = time.process_time()  # the emulator's own CPU: it must never be the limit
    with emulator:
        connection.send(emulator.url)
        while True:
            command = connection.recv()
            if command == "stats":
                forward = back = 0
                for request in emulator.requests:
                    if request.path != "/v2/translate":
                        continue
                    params = request.params(multi=("text",)) or {}
                    if str(params.get("target_lang", "")).upper().startswith("EN"):
                        back += 1
                    else:
                        forward += 1
                connection.send((forward, back, emulator.max_in_flight, time.process_time() - cpu_at_reset))
            elif command == "reset":
                emulator.reset()
                cpu_at_reset = time.process_time()
                emulator.latency = latency
                connection.send("ok")
            else:
                break


@dataclass
class Emulator:
    url: str
    connection: Connection
    process: multiprocessing.process.BaseProcess

    def stats(self) -> tuple[int, int, int, float]:
        """Requests forward and back, the most in flight at once, the emulator's CPU seconds."""
        self.connection.send("stats")
        forward, back, in_flight, cpu = self.connection.recv()
        return forward, back, in_flight, cpu

    def reset(self) -> None:
        self.connection.send("reset")
        self.connection.recv()

    def stop(self) -> None:
        self.connection.send("stop")
        self.process.join(timeout=10)


def start_emulator(latency: float) -> Emulator:
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(target=serve, args=(child, latency), daemon=True)
    process.start()
    return Emulator(parent.recv(), parent, process)


# -- one translate run ---------------------------------------------------------------------------


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float  # user + system time of the translate process (all its threads, and its check worker)
    main_thread_cpu: float  # of its main thread alone: the interpreter-lock-bound part that limits the wall


def translate(sources: Sequence[Path], out: Path, env: dict[str, str], *options: str) -> Measured:
    """``translator translate`` in its own process; its wall time and its own peak RSS."""
    if out.is_dir():
        shutil.rmtree(out)
    elif out.exists():
        out.unlink()
    command = [sys.executable, "-m", "translator", "translate", *map(str, sources), "-o", str(out), *options]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        main_thread = MainThreadCPU(process.pid)
        _pid, status, usage = os.wait4(process.pid, 0)
        main_thread.stop()
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            stderr.seek(0)
            raise SystemExit(f"translate failed ({process.returncode}):\n{stderr.read().decode()[-3000:]}")
    # ru_maxrss: KiB. The rusage of the child includes its check worker, which it waited for.
    return Measured(elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, main_thread.seconds)


class MainThreadCPU:
    """The CPU time of a process's main thread, read from /proc every 50 ms while it runs (the
    last reading before it exits, so at most 50 ms short; 0 where /proc is missing)."""

    def __init__(self, pid: int) -> None:
        self.path = Path(f"/proc/{pid}/task/{pid}/stat")
        self.seconds = 0.0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        while not self.done.is_set():
            try:
                fields = self.path.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                return
            if fields[0] in ("Z", "X"):
                return
            self.seconds = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            self.done.wait(0.05)

    def stop(self) -> None:
        self.done.set()
        self.thread.join()


def throughput_case(
    name: str,
    sources: Sequence[Path],
    root: Path,
    emulator: Emulator,
    latency: float,
    *,
    embedded: bool = True,
    check_worker: bool = True,
) -> bool:
    emulator.reset()
    env = bench_env(root)
    if not check_worker:
        env["TRANSLATOR_CHECK_WORKER"] = "0"
        name += ", every check in the main process"
    measured = translate(
        sources,
        root / f"out-{name[1]}",
        env,
        "-b",
        "deepl",
        "--backend-url",
        emulator.url,
        "--concurrency",
        str(CONCURRENCY),
        "--no-cache",
        *([] if embedded else ["--no-embedded-model"]),
    )
    forward, back, in_flight, emulator_cpu = emulator.stats()
    requests = forward + back
    bound = requests * latency / CONCURRENCY
    ratio = measured.seconds / bound if bound else float("inf")
    print(
        f"{name}: {requests} requests ({forward} forward, {back} back-translation); "
        f"wall {measured.seconds:.1f} s, bound {bound:.1f} s, ratio {ratio:.2f} (target <= {RATIO_TARGET}); "
        f"peak RSS {measured.peak_rss_mb:.0f} MB; max in flight {in_flight} (limit {CONCURRENCY}); "
        f"CPU {measured.cpu_seconds:.1f} s on {os.cpu_count()} cores, {measured.main_thread_cpu:.1f} s of it the main thread's; "
        f"the emulator's CPU {emulator_cpu:.1f} s",
        flush=True,
    )
    return ratio <= RATIO_TARGET and in_flight <= CONCURRENCY


def rss_case(name: str, sources: Sequence[Path], root: Path, *, embedded: bool = True) -> bool:
    if not embedded:
        name += ", no embedded model"
    options = ["-b", "pseudo", "--no-cache", *([] if embedded else ["--no-embedded-model"])]
    measured = translate(sources, root / f"out-{name[1]}", bench_env(root), *options)
    print(
        f"{name}: peak RSS {measured.peak_rss_mb:.0f} MB (target < {RSS_TARGET_MB} MB), "
        f"wall {measured.seconds:.1f} s, CPU {measured.cpu_seconds:.1f} s",
        flush=True,
    )
    return measured.peak_rss_mb < RSS_TARGET_MB


def embedded_model_cost(paragraphs: int) -> str:
    """What the embedded quality model alone costs on this input, measured here in-process on a
    sample (after one warm-up batch): the floor the checks put under a run, whatever the network."""
    from translator.quality.qe.model import load_model

    model, note = load_model(None)
    if model is None:
        return f"embedded model: not used ({note})"
    sample = [paragraph(n) for n in range(200)]
    model.estimate(sample[:50], sample[:50])
    started = time.process_time()
    wall = time.perf_counter()
    for first in range(0, len(sample), 50):
        model.estimate(sample[first : first + 50], sample[first : first + 50])
    cpu = (time.process_time() - started) / len(sample)
    per_segment = (time.perf_counter() - wall) / len(sample)
    return (
        f"embedded model alone: {per_segment * 1000:.0f} ms wall ({cpu * 1000:.0f} ms CPU) per segment, "
        f"so {per_segment * paragraphs:.0f} s for {paragraphs:,} paragraphs"
    )


def bench_env(root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DEEPL_AUTH_KEY": "bench",
        "TRANSLATOR_NO_USER_CONFIG": "1",
        "TRANSLATOR_CACHE_DIR": str(root / "cache"),
    }


def network_cases(name: str, source: Path, root: Path, emulator: Emulator, args: argparse.Namespace) -> bool:
    """One of (a) and (b): with the embedded model (unless ``--without-embedded-model``), then
    without it, then (``--check-worker-off-too``) without it and with every check in-process.
    True when the cases that count met the target."""
    ok = True
    if not args.without_embedded_model:
        ok &= throughput_case(name, [source], root, emulator, args.latency)
    without = throughput_case(f"{name}, no embedded model", [source], root, emulator, args.latency, embedded=False)
    if args.without_embedded_model:
        ok &= without
    if args.check_worker_off_too:
        throughput_case(
            f"{name}, no embedded model", [source], root, emulator, args.latency, embedded=False, check_worker=False
        )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--rss", action="store_true", help="also the memory cases (100k paragraphs, 50 MB of SRT)")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds the emulator waits per request")
    parser.add_argument(
        "--without-embedded-model",
        action="store_true",
        help="every case only without the embedded model (it costs about 10 ms of CPU a segment): "
        "the rest of the run against the bound, and its memory",
    )
    parser.add_argument(
        "--check-worker-off-too",
        action="store_true",
        help="(a) and (b) also with every check in the main process (TRANSLATOR_CHECK_WORKER=0), side by side",
    )
    parser.add_argument(
        "--only", choices=["a", "b", "c", "d"], action="append", help="run only these cases (repeatable)"
    )
    args = parser.parse_args()
    one_file, documents, per_document = (2_000, 50, 20) if args.quick else (20_000, 1_000, 20)
    big_file, srt_megabytes = (10_000, 5.0) if args.quick else (100_000, 50.0)
    cases = set(args.only or ["a", "b", *(["c", "d"] if args.rss else [])])
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if cases & {"a", "b"}:
            emulator = start_emulator(args.latency)
            try:
                print(
                    f"DeepL emulator in its own process, {args.latency * 1000:.0f} ms per request; "
                    f"--concurrency {CONCURRENCY}, default checks",
                    flush=True,
                )
                print(embedded_model_cost(one_file), flush=True)
                if "a" in cases:
                    source = root / "one.md"
                    write_markdown(source, one_file)
                    ok &= network_cases(f"(a) 1 file of {one_file:,} paragraphs", source, root, emulator, args)
                if "b" in cases:
                    folder = root / "many"
                    folder.mkdir()
                    for number in range(documents):
                        write_markdown(folder / f"doc-{number:04d}.md", per_document, start=number * per_document)
                    name = f"(b) {documents:,} files of {per_document} paragraphs"
                    ok &= network_cases(name, folder, root, emulator, args)
            finally:
                emulator.stop()
        if "c" in cases:
            source = root / "big.md"
            # With its heading the file is exactly the most segments one document may have
            # (formats/_limits.py: MAX_SEGMENTS), not one past it.
            write_markdown(source, big_file - 1)
            embedded = not args.without_embedded_model
            ok &= rss_case(f"(c) 1 file of {big_file:,} paragraphs, pseudo backend", [source], root, embedded=embedded)
        if "d" in cases:
            course = root / "course"
            count = write_course_of_bytes(course, srt_megabytes)
            size = sum(p.stat().st_size for p in course.iterdir()) / 1_000_000
            ok &= rss_case(
                f"(d) {count} SRT transcripts, {size:.0f} MB, pseudo backend",
                [course],
                root,
                embedded=not args.without_embedded_model,
            )
    print("all targets met" if ok else "some targets NOT met")


if __name__ == "__main__":
    main()
