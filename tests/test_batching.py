"""Cutting texts that are too large for one request."""

import pytest

from translator.batching import join_pieces, split_oversized, text_cost
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
