"""Subtitle timings a player would choke on are refused with file:line, and cues that read too
fast or run to many lines are warned about with Subtitle Edit's default limits.

The lecture is huggingface/course's BLEU video transcript (tests/fixtures/subtitles/README.md),
broken the ways hand-edited subtitle files break: a typo in an end timestamp ("00:00:0X,000",
which the ``srt`` grammar reads as a time plus cue settings) and a cue whose end comes before its
start after a careless shift.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from translator.errors import InputError
from translator.formats import FormatOptions, get_format
from translator.formats.subtitles.readability import MAX_CHARACTERS_PER_SECOND

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "subtitles"
BLEU_SRT = FIXTURES / "hf-course_60_what-is-the-bleu-metric.en.srt"
LECTURE_VTT = FIXTURES / "lecture.en.vtt"


def lecture() -> str:
    return BLEU_SRT.read_text(encoding="utf-8-sig").replace("\r\n", "\n")


def test_a_letter_in_an_end_timestamp_is_refused_at_its_line():
    broken = lecture().replace("00:00:07,650 --> 00:00:10,170", "00:00:07,650 --> 00:00:1X,170")
    with pytest.raises(InputError) as caught:
        get_format("srt").read(broken, "talk.srt")
    assert (caught.value.path, caught.value.line) == ("talk.srt", 18)
    assert "00:00:1X,170" in str(caught.value)


def test_a_cue_that_ends_before_it_starts_is_refused_at_its_line():
    broken = lecture().replace("00:00:07,650 --> 00:00:10,170", "00:00:10,170 --> 00:00:07,650")
    with pytest.raises(InputError) as caught:
        get_format("srt").read(broken, "talk.srt")
    assert caught.value.line == 18 and "ends before it starts" in str(caught.value)


def test_a_vtt_cue_that_ends_before_it_starts_is_refused_at_its_line():
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nHello.\n\n00:00:05.000 --> 00:00:04.000\nAgain.\n"
    with pytest.raises(InputError) as caught:
        get_format("vtt").read(text, "talk.vtt")
    assert caught.value.line == 6 and "cue 2 ends before it starts" in str(caught.value)


def test_the_cli_refuses_the_file_and_writes_nothing(cli_env):
    source = cli_env.tmp / "talk.en.srt"
    source.write_text(lecture().replace("00:00:10,170\n", "00:00:1X,170\n", 1), encoding="utf-8")
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--no-cache", "--no-check", "-o", "out.srt")
    assert result.exit_code == 1
    assert f"{source}:18: malformed SRT timestamp" in result.stderr
    assert not (cli_env.tmp / "out.srt").exists()


def _translated(text: str, fmt: str, translation: str, **options) -> tuple[str, list[tuple[int, str]]]:
    reader = get_format(fmt, FormatOptions(**options))
    document = reader.read(text, "talk")
    translations = {seg.id: translation for seg in document.segments if seg.translate}
    written = reader.write(document, translations)
    return written, document.warnings


def test_a_cue_packed_with_text_is_warned_about_at_its_written_line():
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nNow deploy it.\n\n00:00:03.000 --> 00:00:09.000\nOK.\n"
    long_ja = "このモデルをエンドポイントにデプロイして、推論のレイテンシーを計測します"  # 36 characters in one second
    written, warnings = _translated(text, "vtt", long_ja)
    assert len(long_ja) > MAX_CHARACTERS_PER_SECOND
    line = written.split("\n").index(long_ja) + 1
    assert any(at == line and "characters per second" in message for at, message in warnings)


def test_max_line_never_makes_a_four_line_cue_silently():
    text = lecture()
    written, warnings = _translated(
        text,
        "srt",
        "BLEUの基本的な考え方は、1つ以上の参照訳と比べて翻訳がどれだけ良いかを示す単一の数値スコアを割り当てることです。",
        max_line=8,
    )
    cues = written.split("\n\n")
    tall = [cue for cue in cues if len(cue.strip().split("\n")) - 2 > 2]
    assert tall, "the test needs a cue the wrapper makes taller than two lines"
    assert sum("lines (Subtitle Edit's limit is 2)" in message for _, message in warnings) == len(tall)


def test_an_untranslated_write_warns_about_nothing():
    reader = get_format("srt")
    document = reader.read(lecture(), "talk")
    reader.write(document, {})
    assert document.warnings == []
