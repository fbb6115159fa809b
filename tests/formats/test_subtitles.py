"""SRT and WebVTT readers/writers: sentence units, byte-exact layout, redistribution, options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import srt
import webvtt

from translator import markup
from translator.errors import InputError
from translator.formats import FormatOptions, get_format
from translator.formats.io import load_document, render_bytes
from translator.types import Document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "subtitles"
BLEU_SRT = FIXTURES / "hf-course_60_what-is-the-bleu-metric.en.srt"
LECTURE_VTT = FIXTURES / "lecture.en.vtt"

JOINED = (
    "For many NLP tasks we can use common metrics like accuracy or F1 score, but what do you do "
    "when you wanna measure the quality of text that's been translated from a model?"
)
JOINED_JA = (
    "多くのNLPタスクでは、正解率やF1スコアなどの一般的な指標を使えますが、"
    "モデルが翻訳したテキストの品質を測りたいときはどうすればよいでしょうか？"
)


def read(path: Path, fmt: str, **options: object) -> Document:
    return load_document(str(path), fmt, options=FormatOptions(**options))


def write(document: Document, translations: dict[str, str], *, bilingual: bool = False, **options: object) -> str:
    return get_format(document.format, FormatOptions(**options)).write(document, translations, bilingual=bilingual)


def segment(document: Document, segment_id: str):
    return next(s for s in document.segments if s.id == segment_id)


def srt_payloads(text: str) -> dict[int, list[str]]:
    return {sub.index: sub.content.split("\n") for sub in srt.parse(text)}


# -- reading -------------------------------------------------------------------------------


def test_a_sentence_split_over_four_cues_is_one_segment():
    document = read(BLEU_SRT, "srt")
    unit = segment(document, "cue5")
    assert unit.kind == "cue-group"
    assert markup.plain(unit.text, unit.spans) == JOINED
    assert unit.meta["cues"] == [5, 6, 7, 8]
    assert unit.meta["lengths"] == [44, 45, 42, 36]
    assert not any(5 in s.meta["cues"] for s in document.segments if s.id != "cue5")


def test_units_end_at_sentence_ends_sound_cues_and_speaker_dashes():
    document = read(BLEU_SRT, "srt")
    kinds = {s.id: s.kind for s in document.segments}
    assert kinds["cue1"] == kinds["cue2"] == kinds["cue3"] == "sound"
    question = segment(document, "cue4")
    assert question.text == "What is the BLEU metric?"  # the speaker dash is never sent
    assert segment(document, "cue9").meta["cues"] == [9, 10]
    covered = sorted(c for s in document.segments for c in s.meta["cues"])
    assert covered == list(range(1, 121))


def test_a_pause_longer_than_one_and_a_half_seconds_ends_a_unit():
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nwe were talking about\n\n"
        "2\n00:00:04,000 --> 00:00:05,000\nsomething else entirely\n\n"
        "3\n00:00:05,100 --> 00:00:06,000\nand then we stopped.\n"
    )
    document = get_format("srt").read(text, "pause.srt")
    assert [s.meta["cues"] for s in document.segments] == [[1], [2, 3]]


def test_round_trip_without_translations_is_byte_identical(tmp_path: Path):
    for path, fmt in ((BLEU_SRT, "srt"), (LECTURE_VTT, "vtt")):
        document = read(path, fmt)
        assert render_bytes(document, write(document, {})) == path.read_bytes()


def test_untranslated_segments_echoed_back_keep_the_file_byte_identical():
    document = read(LECTURE_VTT, "vtt")
    echoed = {s.id: s.text for s in document.segments}
    assert render_bytes(document, write(document, echoed)) == LECTURE_VTT.read_bytes()


# -- writing: redistribution ---------------------------------------------------------------


def test_the_translation_of_a_joined_sentence_is_spread_over_the_same_cues():
    document = read(BLEU_SRT, "srt")
    output = write(document, {"cue5": JOINED_JA})
    payloads = srt_payloads(output)
    shares = ["".join(payloads[n]) for n in (5, 6, 7, 8)]
    assert all(shares), shares
    assert "".join(shares) == JOINED_JA
    assert all(len(lines) == 1 for lines in (payloads[n] for n in (5, 6, 7, 8)))
    for share in shares:  # cut at natural boundaries: never inside a Latin word, never before 、。
        assert not share.startswith(("、", "。", "？"))
    assert "NLP" in "".join(shares[:1]) or "NLP" in shares[1]
    assert sum("F1" in share for share in shares) == 1
    untouched = srt_payloads(BLEU_SRT.read_text(encoding="utf-8-sig"))
    assert payloads[9] == untouched[9]


def test_cuts_prefer_punctuation_near_the_proportional_position():
    document = read(BLEU_SRT, "srt")
    shares = ["".join(srt_payloads(write(document, {"cue5": JOINED_JA}))[n]) for n in (5, 6, 7, 8)]
    assert shares[0].endswith("、") and shares[1].endswith("、")
    assert shares[-1].endswith("？")


def test_protected_codes_are_never_cut_and_come_back_verbatim():
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nOpen the page at\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nhttps://example.com/a_long/path\n\n"
        "3\n00:00:03,000 --> 00:00:04,000\nand read it.\n"
    )
    document = get_format("srt").read(text, "url.srt")
    (unit,) = document.segments
    (url_id,) = [code for code, span in unit.spans.items() if span.kind == "url"]
    translation = f'<x id="{url_id}"/> のページを開いて、読んでください。'
    payloads = srt_payloads(write(document, {unit.id: translation}))
    joined = "".join("".join(lines) for lines in payloads.values())
    assert "https://example.com/a_long/path" in "".join(next(p for p in payloads.values() if "https" in p[0]))
    assert joined.replace(" ", "") == "https://example.com/a_long/pathのページを開いて、読んでください。"


def test_a_translation_shorter_than_the_cues_leaves_no_cue_empty_while_it_can():
    document = read(BLEU_SRT, "srt")
    payloads = srt_payloads(write(document, {"cue5": "はい、そう。では、どうする？"}))
    shares = ["".join(payloads[n]) for n in (5, 6, 7, 8)]
    assert all(shares) and "".join(shares) == "はい、そう。では、どうする？"


def test_spaced_targets_are_cut_between_words():
    document = read(BLEU_SRT, "srt", target_lang="de")
    german = (
        "Für viele NLP-Aufgaben können wir gängige Metriken wie Genauigkeit oder F1-Score verwenden, "
        "aber was tun, wenn man die Qualität eines von einem Modell übersetzten Textes messen will?"
    )
    payloads = srt_payloads(write(document, {"cue5": german}, target_lang="de"))
    shares = [" ".join(payloads[n]) for n in (5, 6, 7, 8)]
    assert " ".join(shares) == german
    assert all(shares)


def test_max_line_wraps_each_cue_into_at_most_two_short_lines():
    document = read(BLEU_SRT, "srt", max_line=14)
    payloads = srt_payloads(write(document, {"cue5": JOINED_JA}, max_line=14))
    for number in (5, 6, 7, 8):
        lines = payloads[number]
        assert 1 <= len(lines) <= 2
        assert all(len(line) <= 14 for line in lines), lines
    assert "".join("".join(payloads[n]) for n in (5, 6, 7, 8)) == JOINED_JA


def test_max_line_counts_the_speaker_dash_and_keeps_it_first():
    document = read(BLEU_SRT, "srt")
    payloads = srt_payloads(write(document, {"cue4": "BLEU指標とは何でしょうか？"}, max_line=12))
    assert payloads[4][0].startswith("- ")
    assert all(len(line) <= 12 for line in payloads[4])
    assert "".join(payloads[4]) == "- BLEU指標とは何でしょうか？"


def test_bilingual_writes_source_lines_then_translation_for_each_cue():
    document = read(BLEU_SRT, "srt")
    translations = {"cue4": "BLEU指標とは何でしょうか？", "cue5": JOINED_JA}
    output = write(document, translations, bilingual=True)
    source = srt_payloads(BLEU_SRT.read_text(encoding="utf-8-sig"))
    payloads = srt_payloads(output)
    assert payloads[4] == ["- What is the BLEU metric?", "- BLEU指標とは何でしょうか？"]
    for number in (5, 6, 7, 8):
        assert payloads[number][:-1] == source[number]
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", payloads[number][-1])
    assert "".join(payloads[n][-1] for n in (5, 6, 7, 8)) == JOINED_JA


# -- sound cues ----------------------------------------------------------------------------


def test_sound_cues_keep_are_not_sent_and_written_as_is():
    document = read(BLEU_SRT, "srt", sound_cues="keep")
    assert not any(s.kind == "sound" for s in document.segments)
    output = write(document, {s.id: "訳" for s in document.segments}, sound_cues="keep")
    assert srt_payloads(output)[1] == ["(screen whooshing)"]


def test_sound_cues_drop_removes_them_and_renumbers_keeping_other_timings():
    document = read(BLEU_SRT, "srt", sound_cues="drop")
    output = write(document, {}, sound_cues="drop")
    source = list(srt.parse(BLEU_SRT.read_text(encoding="utf-8-sig")))
    kept = [sub for sub in source if sub.content != "(screen whooshing)" and sub.content != "(sticker popping)"]
    result = list(srt.parse(output))
    assert [s.index for s in result] == list(range(1, len(kept) + 1))
    assert [(s.start, s.end, s.content) for s in result] == [(s.start, s.end, s.content) for s in kept]


# -- WebVTT --------------------------------------------------------------------------------


def test_vtt_layout_blocks_identifiers_and_settings_survive_translation():
    document = read(LECTURE_VTT, "vtt")
    translations = {
        s.id: markup.canonical(re.sub(r"(?<=>)([^<]+)", lambda m: m.group(1).upper(), s.text))
        for s in document.segments
    }
    output = write(document, translations)
    source = LECTURE_VTT.read_text(encoding="utf-8")
    structural = [line for line in source.split("\n") if "-->" in line or not _is_payload(source, line)]
    for line in structural:
        assert line in output.split("\n")
    parsed = webvtt.from_string(output)
    original = webvtt.from_string(source)
    assert [(c.identifier, c.start, c.end, c.settings) for c in parsed.captions] == [
        (c.identifier, c.start, c.end, c.settings) for c in original.captions
    ]
    assert output.count("\n\n") == source.count("\n\n")


def _is_payload(source: str, line: str) -> bool:
    captions = webvtt.from_string(source).captions
    return any(line in caption.lines for caption in captions)


def test_vtt_markup_speakers_and_entities_in_translation():
    document = read(LECTURE_VTT, "vtt")
    cue2 = segment(document, "cue2")
    assert cue2.kind == "cue-group" and cue2.meta["cues"] == [2, 3, 4]
    assert "&amp;" in cue2.text and "Instructor" not in cue2.text
    (term,) = [code for code, span in cue2.spans.items() if span.opening == "<c.term>"]
    translation = (
        f'おかえりなさい。今日はモデルがどのように<g id="{term}">評価</g>され、'
        "自動指標で比較されるか（A &amp; B）を見ていきます。"
    )
    dialogue = {"cue5": "スコアは高いほど良いのでしょうか？", "cue5.2": "そうとは限りません。"}
    output = write(document, {"cue2": translation, **dialogue})
    captions = webvtt.from_string(output).captions
    assert captions[1].lines[0].startswith("<v Instructor>")
    body = "".join(line for c in captions[1:4] for line in c.lines)
    assert "<c.term>評価</c>" in body and "A &amp; B" in body
    assert captions[4].lines == ["- スコアは高いほど良いのでしょうか？", "- そうとは限りません。"]


def test_vtt_url_inside_italics_is_kept():
    document = read(LECTURE_VTT, "vtt")
    unit = segment(document, "cue6")
    (url,) = [code for code, span in unit.spans.items() if span.kind == "url"]
    (italic,) = [code for code, span in unit.spans.items() if span.paired]
    output = write(document, {"cue6": f'<g id="{italic}">詳しくは <x id="{url}"/> を参照。</g>'})
    assert webvtt.from_string(output).captions[-1].lines == [
        "<i>詳しくは https://huggingface.co/docs/evaluate を参照。</i>"
    ]


# -- bad input -----------------------------------------------------------------------------


def test_malformed_srt_timestamp_names_the_file_and_line():
    text = BLEU_SRT.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    broken = text.replace("00:00:07,650 --> 00:00:10,170", "00:00:0x,650 --> 00:00:10,170")
    with pytest.raises(InputError) as caught:
        get_format("srt").read(broken, "talk.srt")
    assert caught.value.path == "talk.srt" and caught.value.line == 18
    assert "00:00:0x,650" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("WEBVTT\n\n00:01.000 --> 00:0x.000\nHi\n", 3),
        ("WEBVTT\n\ncue-1\n00:01.000 --> 00:02.000\nHi\n\ncue-2\n1:2 --> 00:03.000\nThere\n", 8),
        ("Hello\n00:01.000 --> 00:02.000\nHi\n", 1),
    ],
)
def test_malformed_vtt_names_the_line(text: str, line: int):
    with pytest.raises(InputError) as caught:
        get_format("vtt").read(text, "talk.vtt")
    assert caught.value.line == line
