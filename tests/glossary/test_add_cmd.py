"""``translator glossary add``: a new entry lands sorted and formatted in the team's file, or is
refused with the message lint gives for the same file."""

from __future__ import annotations

from pathlib import Path

TEAM = """\
# Team glossary for the study group; reviewed in pull requests.
version: 1
language: en
entries:
  - term: answer key
    source: "study group decision"
    targets:
      ja:
        preferred: 正解
  # Japanese exam-prep sites say 誤答選択肢.
  - term: distractor
    source: "study group decision"
    targets:
      ja:
        preferred: 誤答選択肢
"""


def configure(cli_env, name: str = "team.yaml") -> Path:
    cli_env.config.write_text(
        f'glossaries = ["{name}"]\n' + cli_env.config.read_text(encoding="utf-8"), encoding="utf-8"
    )
    team = cli_env.tmp / name
    team.write_text(TEAM, encoding="utf-8")
    return team


def test_add_writes_a_sorted_formatted_entry_into_the_configured_glossary(cli_env):
    team = configure(cli_env)
    result = cli_env.run(
        "glossary", "add", "golden dataset", "--ja", "ゴールデンデータセット", "--note", "Reference answers for evaluation",
        "--source", "study group decision",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = team.read_text(encoding="utf-8")
    assert text.index("term: answer key") < text.index("term: distractor") < text.index("term: golden dataset")
    assert (
        '    note: "Reference answers for evaluation"\n    targets:\n      ja:\n        preferred: ゴールデンデータセット\n'
        in text
    )
    assert "# Japanese exam-prep sites say 誤答選択肢.\n  - term: distractor" in text  # comments stay with their entry
    assert (
        f"added 'golden dataset' at team.yaml:{text.splitlines().index('  - term: golden dataset') + 1}"
        in result.output
    )
    assert cli_env.run("glossary", "fmt", "--check").exit_code == 0
    lint = cli_env.run("glossary", "lint", "--strict")
    assert lint.exit_code == 0, lint.output


def test_a_keep_entry_goes_into_a_new_file_named_with_file(cli_env):
    result = cli_env.run(
        "glossary", "add", "Amazon Quokka", "--keep", "--case", "exact", "--source", "AWS", "--file", "names.yaml"
    )
    assert result.exit_code == 0, result.output
    text = (cli_env.tmp / "names.yaml").read_text(encoding="utf-8")
    assert (
        text
        == 'version: 1\nlanguage: en\nentries:\n  - term: Amazon Quokka\n    case: exact\n    keep: true\n    source: "AWS"\n'
    )


def test_a_conflict_is_refused_with_the_message_lint_gives(cli_env, tmp_path):
    team = configure(cli_env)
    result = cli_env.run("glossary", "add", "Distractor", "--ja", "気を散らすもの", "--source", "x")
    assert result.exit_code == 1
    assert team.read_text(encoding="utf-8") == TEAM  # nothing written
    refusal = next(line for line in result.output.splitlines() if ": error: " in line)

    by_hand = tmp_path / "by-hand" / "team.yaml"
    by_hand.parent.mkdir()
    by_hand.write_text(
        TEAM.replace(
            "  # Japanese",
            '  - term: Distractor\n    source: "x"\n    targets:\n      ja:\n        preferred: 気を散らすもの\n  # Japanese',
        ),
        encoding="utf-8",
    )
    lint = cli_env.run("glossary", "lint", str(by_hand))
    linted = next(line for line in lint.output.splitlines() if ": error: " in line)
    assert refusal.split(": error: ")[1] == linted.split(": error: ")[1].replace(str(by_hand), "team.yaml")
    assert "conflicting renderings: term 'distractor' is also defined at team.yaml:" in refusal


def test_a_rendering_the_shipped_glossary_forbids_is_refused(cli_env):
    team = configure(cli_env)
    result = cli_env.run("glossary", "add", "inference", "--ja", "推測", "--source", "x")
    assert result.exit_code == 1
    assert "error: 'inference' targets.ja: '推測' is forbidden by the entry it overrides at" in result.output
    assert "'inference' was not added" in result.output
    assert team.read_text(encoding="utf-8") == TEAM


def test_repeating_a_shipped_entry_is_refused_as_nothing_to_add(cli_env):
    configure(cli_env)
    result = cli_env.run("glossary", "add", "inference", "--ja", "推論", "--source", "x")
    assert result.exit_code == 1
    assert "note: 'inference' repeats the entry at" in result.output


def test_without_a_file_to_add_to_the_command_says_how_to_name_one(cli_env):
    result = cli_env.run("glossary", "add", "epoch", "--ja", "エポック")
    assert result.exit_code == 2
    assert "--file" in result.output and "translator.toml" in result.output
    assert cli_env.run("glossary", "add", "epoch", "--ja", "エポック", "--keep", "--file", "x.yaml").exit_code == 2
