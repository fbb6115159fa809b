"""Fitting texts into requests: batches within the limits, and texts too large for one request."""

import pytest

from translator.backends.base import Capabilities
from translator.batching import BatchFiller, join_pieces, split_oversized, text_cost
from translator.errors import RequestRejected


def test_cuts_fall_at_sentence_ends_outside_inline_codes():
    text = 'One. <g id="1">Two. Three.</g> Four <x id="2">a. b</x> five. Six.'
    pieces = split_oversized(text, text_cost("One. ") + 40)
    assert "".join(pieces) == text
    for piece in pieces:
        assert piece.count("<g") == piece.count("</g>")
        assert piece.count("<x") == piece.count("</x>")


def test_placeholder_pairs_are_not_cut_apart():
    text = "Alpha. ⟦1⟧Beta. Gamma.⟦/1⟧ Delta. ⟦2⟧ Epsilon."
    pieces = split_oversized(text, text_cost("⟦1⟧Beta. Gamma.⟦/1⟧ "))
    assert "".join(pieces) == text
    assert any("⟦1⟧Beta. Gamma.⟦/1⟧" in piece for piece in pieces)


def test_every_piece_fits_and_nothing_is_lost():
    text = " ".join(f"Sentence number {i} is here." for i in range(400))
    pieces = split_oversized(text, 1000)
    assert len(pieces) > 1 and all(text_cost(p) <= 1000 for p in pieces)
    assert "".join(pieces) == text


def test_a_text_without_cut_points_is_refused():
    with pytest.raises(RequestRejected, match="no place to cut"):
        split_oversized("y" * 5000, 1000)


def test_japanese_pieces_join_without_spaces():
    assert join_pieces(["一つ目。 ", "二つ目。"], "ja") == "一つ目。二つ目。"
    assert join_pieces(["One. ", "Two."], "de") == "One. Two."


def test_cutting_a_long_line_measures_each_character_a_bounded_number_of_times(monkeypatch):
    """A 2 MB transcript on one line used to be re-measured from each piece's start for every
    sentence (quadratic: minutes); now the work is a few passes over the text."""
    import translator.batching as batching

    measured = 0
    real_dumps = batching.json.dumps

    def counting_dumps(value, **kwargs):
        nonlocal measured
        measured += len(value)
        return real_dumps(value, **kwargs)

    monkeypatch.setattr(batching.json, "dumps", counting_dumps)
    text = "This is sentence number one of a very long transcript. " * 20_000
    pieces = split_oversized(text, 128 * 1024)
    assert "".join(pieces) == text and len(pieces) > 8
    assert measured <= 3 * len(text)


def test_many_placeholders_and_codes_keep_their_pairs_in_a_long_text():
    text = "".join(f'Step {i}. ⟦{i}⟧Click. Here.⟦/{i}⟧ <g id="{i}">Bold. Text.</g> ' for i in range(2000))
    pieces = split_oversized(text, 2000)
    assert "".join(pieces) == text
    for piece in pieces:
        assert piece.count("<g") == piece.count("</g>")
        assert piece.count("⟦/") * 2 == piece.count("⟦")


def test_batches_fill_greedily_in_order_within_both_limits():
    texts = [f"text {n}" + "x" * (n % 5) for n in range(23)]
    limit = sum(text_cost(t) for t in texts[:4])  # about four texts by size
    filler = BatchFiller(Capabilities(max_texts=3, max_bytes=limit))
    batches = [full for text in texts if (full := filler.add(text)) is not None]
    last = filler.close()
    assert last is not None and filler.close() is None
    batches.append(last)
    assert [t for batch in batches for t in batch] == texts  # every text once, in order
    for batch, following in zip(batches, batches[1:], strict=False):
        assert len(batch) <= 3 and sum(text_cost(t) for t in batch) <= limit
        # greedy: the next batch's first text did not fit in this one
        assert len(batch) == 3 or sum(text_cost(t) for t in batch) + text_cost(following[0]) > limit


def test_a_text_larger_than_the_limit_is_a_batch_of_its_own():
    filler = BatchFiller(Capabilities(max_texts=50, max_bytes=20))
    assert filler.add("short") is None
    assert filler.add("a text far longer than twenty bytes") == ["short"]
    assert filler.add("next") == ["a text far longer than twenty bytes"]
    assert filler.close() == ["next"]
