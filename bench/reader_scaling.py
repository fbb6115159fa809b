"""How each reader's time and peak memory grow with its input: 1x, 10x, 100x (and 1000x while
a run stays under a minute), so quadratic behaviour shows as a ratio.

Every reader reads its input and writes it back (with no translations, the writer's cheapest
path), and the cutter splits the one-line transcript into request-sized pieces. Each size runs
in a fresh process, timed up to five times (the fastest counts) and once more under
``tracemalloc`` for the peak of Python allocations, so one size cannot warm or bloat the next.
The time is the process's CPU time, so other work on a shared machine does not inflate one
size's figure as much as wall time would. Read the "x per 10x" column: about 10 is linear, about
100 is quadratic. Absolute times vary with the machine; the ratios do not.

    python bench/reader_scaling.py           # every reader, up to 1000x where it stays under a minute
    python bench/reader_scaling.py --case vtt --case "glossary yaml"   # chosen readers only
    python bench/reader_scaling.py --quick   # 1x and 10x in this process, for a smoke test
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from translator.batching import split_oversized  # noqa: E402
from translator.formats import get_format  # noqa: E402
from translator.formats._decode import decode_source  # noqa: E402
from translator.glossary.interchange import import_file  # noqa: E402
from translator.glossary.loader import parse_yaml  # noqa: E402

SCALES = (1, 10, 100, 1000)
NEXT_SCALE_UNDER = 6.0  # seconds: a linear reader 10x larger would still finish within a minute
SUPERLINEAR = 12.0  # "x per 10x" above this is reported as worse than linear (the target: 10x input, at most 12x time)
REQUEST_BYTES = 128 * 1024
# Each size is timed up to REPEATS times (while they add up to under REPEAT_WHILE_UNDER seconds)
# and the fastest run counts: other work on a shared machine only ever adds time (cache and
# memory-bus contention inflate even CPU time), so the minimum is the least disturbed figure.
REPEATS = 5
REPEAT_WHILE_UNDER = 3.0

MARKDOWN_UNIT = """\
## Training step {n}

Amazon SageMaker trains the *model* on data in `s3://bucket/{n}/`. See [the guide](https://docs.aws.amazon.com/sagemaker/).

- Choose an **instance type**.
  - Set the `max_runtime` to 3600 seconds.
> Note: Spot training saves up to 90%.

| Setting | Value |
|---|---|
| epochs | {n} |

"""
HTML_UNIT = (
    '<section id="s{n}"><h2>Step {n}</h2><p>Amazon SageMaker trains the <b>model</b> on '
    '<a href="https://docs.aws.amazon.com/">data</a> in <code>s3://bucket/{n}/</code>.</p>'
    "<ul><li>Choose an instance.</li><li>Set <em>max_runtime</em>.</li></ul>"
    '<img src="chart{n}.png" alt="Training loss over time"></section>\n'
)
CUE_TEXT = "Now we train the model on the data\nthat we stored in Amazon S3."


def _ts(ms: int, sep: str) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"


def srt_text(scale: int) -> str:
    cues = 20 * scale
    return "\n".join(
        f"{i}\n{_ts(i * 3000, ',')} --> {_ts(i * 3000 + 2500, ',')}\n{CUE_TEXT}\n" for i in range(1, cues + 1)
    )


def vtt_text(scale: int) -> str:
    cues = 20 * scale
    body = "\n".join(f"{_ts(i * 3000, '.')} --> {_ts(i * 3000 + 2500, '.')}\n{CUE_TEXT}\n" for i in range(1, cues + 1))
    return "WEBVTT\n\n" + body


def question(n: int) -> dict[str, object]:
    return {
        "id": f"q-{n}",
        "question": f"Which service trains model {n}? (Select TWO.)",
        "options": {"A": "Amazon SageMaker", "B": "Amazon EC2", "C": "AWS Glue", "D": "Amazon S3"},
        "answer": ["A", "C"],
        "explanation": "SageMaker trains models; see https://aws.amazon.com/sagemaker/ for details.",
    }


def questions_json(scale: int) -> str:
    return json.dumps({"questions": [question(n) for n in range(10 * scale)]}, indent=2) + "\n"


def questions_jsonl(scale: int) -> str:
    return "".join(json.dumps(question(n)) + "\n" for n in range(10 * scale))


def questions_csv(scale: int) -> str:
    rows = ["id,question,A,B,C,D,answer,explanation"]
    rows += [
        f'q-{n},"Which service trains model {n}, and why?",Amazon SageMaker,Amazon EC2,AWS Glue,Amazon S3,A,"SageMaker trains models."'
        for n in range(10 * scale)
    ]
    return "\n".join(rows) + "\n"


def glossary_yaml(scale: int) -> str:
    entries = "".join(
        f"  - term: model monitor {n}\n    aliases: [model monitors {n}]\n    targets:\n      ja:\n"
        f"        preferred: モデルモニター{n}\n        forbidden: [モデル監視{n}]\n"
        for n in range(10 * scale)
    )
    return f"version: 1\nlanguage: en\nentries:\n{entries}"


def glossary_tbx(scale: int) -> str:
    entries = "".join(
        f'<conceptEntry id="c{n}"><langSec xml:lang="en"><termSec><term>model monitor {n}</term></termSec></langSec>'
        f'<langSec xml:lang="ja"><termSec><term>モデルモニター{n}</term></termSec></langSec></conceptEntry>\n'
        for n in range(10 * scale)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tbx type="TBX-Basic" style="dca" xml:lang="en" '
        f'xmlns="urn:iso:std:iso:30042:ed-2"><tbxHeader><fileDesc><sourceDesc><p>bench</p></sourceDesc></fileDesc>'
        f"</tbxHeader><text><body>\n{entries}</body></text></tbx>\n"
    )


def glossary_tmx(scale: int) -> str:
    units = "".join(
        f'<tu><tuv xml:lang="en"><seg>model monitor {n}</seg></tuv><tuv xml:lang="ja"><seg>モデルモニター{n}</seg></tuv></tu>\n'
        for n in range(10 * scale)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" datatype="plaintext" '
        f'segtype="phrase" adminlang="en" creationtool="bench" creationtoolversion="1" o-tmf="none"/><body>\n{units}</body></tmx>\n'
    )


# name → (make input of a scale, file name, what to run on the input text)
Case = tuple[Callable[[int], str], str, Callable[[str, Path], object]]


def round_trip(fmt: str) -> Callable[[str, Path], object]:
    def run(text: str, path: Path) -> object:
        reader = get_format(fmt)
        document = reader.read(decode_source(text.encode("utf-8"), str(path)).text, str(path))
        return reader.write(document, {})

    return run


def glossary_file(reader: Callable[[Path], object]) -> Callable[[str, Path], object]:
    def run(text: str, path: Path) -> object:
        path.write_text(text, encoding="utf-8")
        return reader(path)

    return run


CASES: dict[str, Case] = {
    "markdown": (lambda s: "".join(MARKDOWN_UNIT.format(n=n) for n in range(5 * s)), "page.md", round_trip("markdown")),
    "markdown, 2 KB of * per 1x": (lambda s: "Text " + "*" * (2000 * s) + "\n", "stars.md", round_trip("markdown")),
    "one-line transcript, cut": (
        lambda s: "This is one sentence of a very long transcript. " * (40 * s),
        "line.txt",
        lambda text, path: split_oversized(text, REQUEST_BYTES),
    ),
    "text": (lambda s: "A paragraph of plain course notes.\n\n" * (50 * s), "notes.txt", round_trip("text")),
    "html": (
        lambda s: "<html><body>\n" + "".join(HTML_UNIT.format(n=n) for n in range(5 * s)) + "</body></html>\n",
        "page.html",
        round_trip("html"),
    ),
    "srt": (srt_text, "talk.srt", round_trip("srt")),
    "vtt": (vtt_text, "talk.vtt", round_trip("vtt")),
    "questions-json": (questions_json, "bank.json", round_trip("questions-json")),
    "questions-jsonl": (questions_jsonl, "bank.jsonl", round_trip("questions-jsonl")),
    "questions-csv": (questions_csv, "bank.csv", round_trip("questions-csv")),
    "glossary yaml": (glossary_yaml, "team.yaml", glossary_file(parse_yaml)),
    "glossary tbx": (glossary_tbx, "team.tbx", glossary_file(import_file)),
    "glossary tmx": (glossary_tmx, "team.tmx", glossary_file(import_file)),
}


def measure(case: str, scale: int) -> dict[str, float]:
    """Time one run, then the peak of Python allocations in a second run (tracemalloc slows it)."""
    make, name, run = CASES[case]
    text = make(scale)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        run(make(1), path)  # imports and first-use caches are not part of any size's time
        times: list[float] = []
        while len(times) < REPEATS and sum(times) < REPEAT_WHILE_UNDER:
            started = time.process_time()
            run(text, path)
            times.append(time.process_time() - started)
        seconds = min(times)
        tracemalloc.start()
        run(text, path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {"bytes": len(text.encode("utf-8")), "seconds": seconds, "peak_mb": peak / 1e6}


def measure_in_child(case: str, scale: int) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--one", case, str(scale)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1x and 10x only, in this process")
    parser.add_argument("--case", action="append", choices=list(CASES), help="only this reader (repeatable)")
    parser.add_argument("--one", nargs=2, metavar=("CASE", "SCALE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one[0], int(args.one[1]))))
        return
    scales = SCALES[:2] if args.quick else SCALES
    run = measure if args.quick else measure_in_child
    print(f"{'reader':30} {'scale':>6} {'input':>10} {'time':>9} {'x per 10x':>10} {'peak MB':>9}")
    worse: list[str] = []
    for case in args.case or CASES:
        previous: float | None = None
        for scale in scales:
            numbers = run(case, scale)
            growth = numbers["seconds"] / previous if previous else None
            shown = f"{growth:.1f}" if growth is not None else "-"
            print(
                f"{case if scale == 1 else '':30} {scale:>5}x {numbers['bytes'] / 1000:>8.1f}KB "
                f"{numbers['seconds']:>8.3f}s {shown:>10} {numbers['peak_mb']:>9.1f}",
                flush=True,
            )
            if growth is not None and growth > SUPERLINEAR and previous and previous > 0.01:
                worse.append(f"{case} ({growth:.0f}x time for 10x input at {scale}x)")
            previous = numbers["seconds"]
            if numbers["seconds"] > NEXT_SCALE_UNDER:
                break
    print("worse than linear: " + ("; ".join(worse) if worse else "none"))


if __name__ == "__main__":
    main()
