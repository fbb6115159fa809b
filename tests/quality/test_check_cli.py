"""``translator check`` end to end: bilingual files and file pairs, back-translated through the
DeepL emulator over loopback HTTP; ``translate`` runs the same checks on its own output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DEEPL_KEY, SAMPLES
from translator.testing import DeepLEmulator

PAIRS = [
    (
        "You can stop the training job at any time.",
        "トレーニングジョブはいつでも停止できます。",
        "You can stop the training job at any time.",
    ),
    ("You can change your settings.", "あなたは設定を変更できます。", "You can change your settings."),
    ("Use 5 GB of storage.", "7 GB のストレージを使用します。", "Use 7 GB of storage."),
]


@pytest.fixture
def emulator():
    """Back-translations the emulator gives for the Japanese of PAIRS."""
    table = {(ja, "EN"): back for _en, ja, back in PAIRS}
    with DeepLEmulator(auth_keys=(DEEPL_KEY,), phrase_table=table) as server:
        yield server


def run_check(cli_env, emulator, *args: str):
    return cli_env.run(
        "check",
        *args,
        "-b",
        "deepl",
        "--backend-url",
        emulator.url,
        "--back-translate",
        "all",
        "--no-glossary",
        "--fail-on",
        "never",
    )


def write_tsv(folder: Path) -> Path:
    path = folder / "pairs.tsv"
    path.write_text("".join(f"{en}\t{ja}\n" for en, ja, _b in PAIRS), encoding="utf-8")
    return path


def write_jsonl(folder: Path) -> Path:
    path = folder / "pairs.jsonl"
    path.write_text(
        "".join(json.dumps({"source": en, "translation": ja}, ensure_ascii=False) + "\n" for en, ja, _b in PAIRS),
        encoding="utf-8",
    )
    return path


def write_xliff(folder: Path) -> Path:
    units = "".join(
        f'<trans-unit id="u{i}"><source>{en}</source><target>{ja}</target></trans-unit>'
        for i, (en, ja, _b) in enumerate(PAIRS, start=1)
    )
    path = folder / "pairs.xlf"
    path.write_text(
        '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        f'<file source-language="en" target-language="ja" datatype="plaintext"><body>{units}</body></file></xliff>',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("write", [write_tsv, write_jsonl, write_xliff])
def test_check_a_bilingual_file_back_translates_scores_and_judges(cli_env, emulator, write):
    path = write(cli_env.tmp)
    result = run_check(cli_env, emulator, str(path))
    assert result.exit_code == 0, result.output
    requests = [r for r in emulator.requests if r.path == "/v2/translate"]
    assert requests and requests[0].json["source_lang"] == "JA" and requests[0].json["target_lang"].startswith("EN")
    assert "Quality" in result.output
    assert "ja.anata" in result.output and "ja.numbers" in result.output
    row = next(line for line in result.output.splitlines() if path.name in line or "pairs" in line)
    assert [int(n) for n in row.split("│")[2:5]] == [1, 1, 1]  # ok, review, literal


def test_fail_on_sets_the_exit_code(cli_env, emulator):
    path = write_tsv(cli_env.tmp)
    base = ["check", str(path), "-b", "deepl", "--backend-url", emulator.url, "--no-glossary"]
    assert cli_env.run(*base, "--fail-on", "literal").exit_code == 1
    assert cli_env.run(*base, "--fail-on", "never").exit_code == 0


def test_check_pairs_markdown_files_of_aws_own_translation(cli_env):
    """AWS's English and Japanese README: every paired segment gets a verdict; with the English
    as its back-translation none is judged literal."""
    from translator.config import load_settings
    from translator.runs.check import check_translation

    folder = SAMPLES / "bedrock-en-ja"
    for english in sorted(folder.glob("*.en.md")):
        japanese = english.with_name(english.name.replace(".en.md", ".ja.md"))
        result = cli_env.run(
            "check", str(english), str(japanese), "-b", "pseudo", "--back-translate", "all", "--fail-on", "never"
        )
        assert "Quality" in result.output, result.output
        settings = load_settings(env=cli_env.env, backend="pseudo", back_translate="none")
        run = check_translation(str(english), str(japanese), settings)
        translations = run.outcomes[0].result.translations
        assert len(translations) >= 4
        assert all(t.verdict in ("ok", "review", "literal") for t in translations.values())
        assert sum(t.verdict == "literal" for t in translations.values()) == 0


def test_structure_differences_are_reported_and_the_rest_paired(cli_env):
    source = cli_env.tmp / "a.md"
    target = cli_env.tmp / "a.ja.md"
    source.write_text(
        "# Title\n\nFirst paragraph here.\n\n- one item\n- another item\n- a third item\n", encoding="utf-8"
    )
    target.write_text("# タイトル\n\n最初の段落です。\n\n- 項目\n- 三つ目の項目\n", encoding="utf-8")
    result = cli_env.run(
        "check", str(source), str(target), "--back-translate", "none", "-b", "pseudo", "--fail-on", "never"
    )
    assert result.exit_code == 1
    assert f"error: {source}:6: no matching segment in {target}\n" in result.output
    assert "Quality" in result.output


def test_paragraphs_merged_in_translation_are_checked_together(cli_env):
    source = cli_env.tmp / "a.md"
    target = cli_env.tmp / "a.ja.md"
    source.write_text(
        "# Why it matters\n\nPeople are busy with many things to do.\n\n"
        "Summarization helps you keep up with the important subjects.\n\n## Next\n\nRead on.\n",
        encoding="utf-8",
    )
    target.write_text(
        "# 重要な理由\n\n人々はやるべきことが多く忙しいです。要約は重要なテーマについて最新の情報を得るのに役立ちます。\n\n"
        "## 次へ\n\n続きをお読みください。\n",
        encoding="utf-8",
    )
    result = cli_env.run("check", str(source), str(target), "--back-translate", "none", "-b", "pseudo")
    assert result.exit_code == 0, result.output
    assert (
        f"note: {source}:3–5 ↔ {target}:3: paragraphs merged or split in translation; checked together" in result.output
    )
    assert "no matching segment" not in result.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("one.tsv", "only one column\nstill one\n", "one.tsv:1: expected source<TAB>translation (and 1 more bad line)"),
        ("bad.jsonl", '{"source": "a"}\n', 'bad.jsonl:1: expected {"source": …, "translation": …}'),
        ("empty.tsv", "", "empty.tsv: no segment pairs found"),
        ("bad.xlf", "<xliff><file><unit id='1'>", "bad.xlf: not valid XLIFF"),
    ],
)
def test_a_bilingual_file_without_pairs_is_one_line_naming_the_first_bad_line(cli_env, name, content, message):
    path = cli_env.tmp / name
    path.write_text(content, encoding="utf-8")
    report = cli_env.tmp / "r.json"
    result = cli_env.run("check", str(path), "-b", "pseudo", "--report", str(report))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert f"{cli_env.tmp}/{message}" in result.output
    assert not report.exists()


def test_translate_runs_the_checks_and_prints_the_summary(cli_env, emulator):
    source = cli_env.tmp / "doc.txt"
    source.write_text("Use 5 GB of storage.\n\nYou can stop the training job at any time.\n", encoding="utf-8")
    result = cli_env.run(
        "translate",
        str(source),
        "-b",
        "deepl",
        "--backend-url",
        emulator.url,
        "--no-glossary",
        "--back-translate",
        "all",
        "-o",
        str(cli_env.tmp / "doc.ja.txt"),
    )
    assert result.exit_code == 0, result.output
    assert "Quality" in result.output and "back-translation: all" in result.output
    back = [r for r in emulator.requests if r.path == "/v2/translate" and r.json["source_lang"] == "JA"]
    assert back, "no back-translation request"


def test_style_findings_quote_only_what_differs(cli_env):
    long_prose = "モデルに要約タスクを実行させるために、プロンプトエンジニアリングと呼ばれる手法を使用します。"
    path = cli_env.tmp / "style.tsv"
    path.write_text(
        f"In order to summarize, we use prompt engineering.\t{long_prose}詳しくは、 こちら をご覧ください。\n",
        encoding="utf-8",
    )
    report = cli_env.tmp / "style.json"
    result = cli_env.run(
        "check", str(path), "-b", "pseudo", "--back-translate", "none", "--no-glossary", "--report", str(report)
    )
    assert result.exit_code == 0, result.output
    segment = json.loads(report.read_text(encoding="utf-8"))["documents"][0]["segments"][0]
    style = [f for f in segment["other_findings"] if f["check"] == "style.aws"]
    assert [(f["found"], f["expected"]) for f in style] == [
        ("…ます。詳しくは、 こちら をご覧く…", "…ます。詳しくは、こちら をご覧く…")
    ]


def test_check_reports_a_forbidden_rendering_without_rewriting_the_users_text(cli_env):
    pairs = cli_env.tmp / "p.tsv"
    pairs.write_text(
        "Amazon SageMaker is a service for machine learning.\tAmazon セージメーカーは機械学習のためのサービスです。\n",
        encoding="utf-8",
    )
    report = cli_env.tmp / "r.json"
    result = cli_env.run(
        "check",
        str(pairs),
        "-b",
        "pseudo",
        "--back-translate",
        "none",
        "--fail-on",
        "glossary",
        "--report",
        str(report),
    )
    assert result.exit_code == 1, result.output
    import json

    (segment,) = json.loads(report.read_text(encoding="utf-8"))["documents"][0]["segments"]
    assert segment["translation"] == "Amazon セージメーカーは機械学習のためのサービスです。"
    found = [f for f in segment["glossary_findings"] if f["check"] == "glossary.forbidden"]
    assert (
        found
        and not any(f["repaired"] for f in found)
        and found[0]["found"] in ("セージメーカー", "Amazon セージメーカー")
    )


def test_a_tsv_header_line_is_not_a_pair(cli_env):
    pairs = cli_env.tmp / "p.tsv"
    pairs.write_text("source\ttranslation\nStop the job.\tジョブを停止します。\n", encoding="utf-8")
    report = cli_env.tmp / "r.json"
    result = cli_env.run("check", str(pairs), "-b", "pseudo", "--back-translate", "none", "--report", str(report))
    assert result.exit_code == 0, result.output
    import json

    segments = json.loads(report.read_text(encoding="utf-8"))["documents"][0]["segments"]
    assert [s["source"] for s in segments] == ["Stop the job."]
