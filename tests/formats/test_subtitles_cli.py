"""Subtitles end to end: the real CLI, the DeepL emulator over loopback, the sample lecture."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import srt

from tests.conftest import DEEPL_KEY
from translator.testing import DeepLEmulator

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "subtitles"
BLEU_SRT = FIXTURES / "hf-course_60_what-is-the-bleu-metric.en.srt"
LECTURE_VTT = FIXTURES / "lecture.en.vtt"
TIMING_LINE = re.compile(rb"^\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d$", re.MULTILINE)

JOINED = (
    "For many NLP tasks we can use common metrics like accuracy or F1 score, but what do you do "
    "when you wanna measure the quality of text that's been translated from a model?"
)
PHRASES = {
    "(screen whooshing)": "（画面が切り替わる音）",
    "(sticker popping)": "（ステッカーが弾ける音）",
    "What is the BLEU metric?": "BLEU指標とは何でしょうか？",
    JOINED: "多くのNLPタスクでは、正解率やF1スコアなどの一般的な指標を使えますが、"
    "モデルが翻訳したテキストの品質を測りたいときはどうすればよいでしょうか？",
    "In this video, we'll take a look at a widely used metric for machine translation called BLEU.": "この動画では、機械翻訳で広く使われているBLEUという指標を見ていきます。",
    "The basic idea behind BLEU is to assign a single numerical score to a translation that tells us "
    "how good it is compared to one or more reference translations.": "BLEUの基本的な考え方は、1つ以上の参照訳と比べて翻訳がどれだけ良いかを示す"
    "単一の数値スコアを、翻訳に割り当てることです。",
}


@pytest.fixture
def emulator() -> Iterator[DeepLEmulator]:
    with DeepLEmulator(phrase_table=PHRASES, auth_keys=(DEEPL_KEY,)) as running:
        yield running


@pytest.fixture
def lecture(cli_env) -> Path:
    return Path(shutil.copy(BLEU_SRT, cli_env.tmp / "bleu.en.srt"))


def run(cli_env, emulator, *args: str):
    # --style none: these tests compare the written cues with the emulator's text as it answered.
    result = cli_env.run(
        "translate",
        *args,
        "-b",
        "deepl",
        "--backend-url",
        emulator.url,
        "--no-cache",
        "--no-check",
        "--no-glossary",
        "--style",
        "none",
    )
    assert result.exit_code == 0, result.output
    return result


def sent_texts(emulator: DeepLEmulator) -> list[str]:
    return [text for request in emulator.requests if request.path == "/v2/translate" for text in request.json["text"]]


def parse(path: Path) -> list[srt.Subtitle]:
    return list(srt.parse(path.read_bytes().decode("utf-8-sig")))


def test_cue_count_numbering_timestamps_bom_and_crlf_are_kept(cli_env, emulator, lecture):
    output = cli_env.tmp / "bleu.ja.srt"
    run(cli_env, emulator, str(lecture), "-o", str(output))
    source, result = parse(lecture), parse(output)
    assert len(result) == len(source) == 120
    assert [(s.index, s.start, s.end) for s in result] == [(s.index, s.start, s.end) for s in source]
    raw_in, raw_out = lecture.read_bytes(), output.read_bytes()
    assert TIMING_LINE.findall(raw_out.replace(b"\r\n", b"\n")) == TIMING_LINE.findall(raw_in.replace(b"\r\n", b"\n"))
    assert raw_out.startswith(b"\xef\xbb\xbf")
    assert raw_out.count(b"\n") == raw_out.count(b"\r\n")
    assert all(s.content.strip() for s in result)


def test_a_sentence_over_several_cues_is_sent_once_and_spread_over_them(cli_env, emulator, lecture):
    output = cli_env.tmp / "bleu.ja.srt"
    run(cli_env, emulator, str(lecture), "-o", str(output))
    texts = sent_texts(emulator)
    assert texts.count(JOINED) == 1
    assert not any(
        t in ("For many NLP tasks we can use common metrics", "like accuracy or F1 score, but what do you do")
        for t in texts
    )
    result = {s.index: s.content for s in parse(output)}
    shares = [result[n] for n in (5, 6, 7, 8)]
    assert all(shares) and "".join(shares) == PHRASES[JOINED]
    assert result[4] == "- BLEU指標とは何でしょうか？"
    assert result[1] == "（画面が切り替わる音）"


def test_bilingual_gives_source_then_translation_in_every_cue(cli_env, emulator, lecture):
    output = cli_env.tmp / "bleu.bi.srt"
    run(cli_env, emulator, str(lecture), "-o", str(output), "--bilingual")
    source = {s.index: s.content.split("\n") for s in parse(lecture)}
    for subtitle in parse(output):
        lines = subtitle.content.split("\n")
        original = source[subtitle.index]
        assert lines[: len(original)] == original
        assert len(lines) == len(original) + 1, lines


def test_max_line_limits_japanese_lines(cli_env, emulator, lecture):
    output = cli_env.tmp / "bleu.ja.srt"
    run(cli_env, emulator, str(lecture), "-o", str(output), "--max-line", "16")
    result = {s.index: s.content.split("\n") for s in parse(output)}
    for number in range(4, 15):
        assert len(result[number]) <= 2 and all(len(line) <= 16 for line in result[number]), result[number]


def test_vtt_round_trips_byte_identically_when_nothing_is_translated(cli_env):
    source = Path(shutil.copy(LECTURE_VTT, cli_env.tmp / "lecture.en.vtt"))
    output = cli_env.tmp / "lecture.out.vtt"
    with DeepLEmulator(phrase_table={}, auth_keys=(DEEPL_KEY,)) as echo:
        echo.engine.translate = lambda text, target_lang, **_: text  # an engine that changes nothing
        run(cli_env, echo, str(source), "-o", str(output))
    assert output.read_bytes() == source.read_bytes()


def test_malformed_srt_timestamp_is_one_line_with_file_and_line(cli_env, emulator):
    broken = cli_env.tmp / "broken.srt"
    broken.write_bytes(
        BLEU_SRT.read_bytes().replace(b"00:00:07,650 --> 00:00:10,170", b"00:00:0x,650 --> 00:00:10,170")
    )
    output = cli_env.tmp / "broken.ja.srt"
    result = cli_env.run("translate", str(broken), "-b", "deepl", "--backend-url", emulator.url, "-o", str(output))
    assert result.exit_code == 1
    assert f"{broken}:18: malformed SRT cue" in result.output
    assert "Traceback" not in result.output and not output.exists()


def test_a_file_with_many_slow_cues_shows_a_few_warnings_and_counts_the_rest(cli_env, tmp_path):
    """A batch of transcripts must not print a line per cue: five lines, then the count; the JSON
    log still lists every one."""
    cues = [
        srt.Subtitle(
            n, timedelta(seconds=2 * n), timedelta(seconds=2 * n + 1), f"Cue {n} says more than a second allows."
        )
        for n in range(1, 13)
    ]
    source = cli_env.tmp / "fast.en.srt"
    source.write_text(srt.compose(cues), encoding="utf-8")
    output = cli_env.tmp / "fast.ja.srt"
    common = ["translate", str(source), "-o", str(output), "-b", "pseudo", "--no-cache", "--no-check"]
    result = cli_env.run(*common)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(lines) == 6, result.output
    assert all(f"{output}:" in line and "characters per second" in line for line in lines[:5])
    assert lines[5] == f"warning: {output}: 7 more warnings like these (--log-format json lists every one)"

    result = cli_env.run(*common, "--log-format", "json")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    listed = [w for record in records for w in record.get("warnings", [])]
    assert len(listed) == 12
