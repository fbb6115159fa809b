"""``translator glossary diff``: the renderings a glossary pull request changes, against a file
or a git revision; reordering and reformatting are not changes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

BEFORE = """\
version: 1
language: en
entries:
  - term: answer key
    source: "study group"
    targets:
      ja:
        preferred: 解答キー
  - term: distractor
    source: "study group"
    targets:
      ja:
        preferred: 誤答選択肢
  - term: golden dataset
    source: "study group"
    targets:
      ja:
        preferred: ゴールデンデータセット
"""
AFTER = """\
version: 1
language: en
entries:
  - term: answer key
    source: "study group"
    targets:
      ja:
        preferred: 正解
        forbidden: [解答キー]
  - term: Amazon Quokka
    case: exact
    keep: true
    source: "AWS"
  - term: golden dataset
    context: [evaluation, benchmark]
    source: "study group, reworded"
    targets: {ja: {preferred: ゴールデンデータセット}}
"""


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def repository(cli_env) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(cli_env.tmp, "init", "-q")
    git(cli_env.tmp, "config", "user.email", "team@example.com")
    git(cli_env.tmp, "config", "user.name", "Team")
    (cli_env.tmp / "team.yaml").write_text(BEFORE, encoding="utf-8")
    git(cli_env.tmp, "add", "team.yaml")
    git(cli_env.tmp, "commit", "-q", "-m", "glossary")
    cli_env.config.write_text(
        'glossaries = ["team.yaml"]\n' + cli_env.config.read_text(encoding="utf-8"), encoding="utf-8"
    )
    return cli_env.tmp


def test_diff_against_a_revision_lists_added_removed_and_changed_renderings(cli_env, repository):
    (repository / "team.yaml").write_text(AFTER, encoding="utf-8")
    result = cli_env.run("glossary", "diff", "HEAD")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "+ Amazon Quokka: kept in English  (team.yaml:10)" in lines
    assert "- distractor: ja: 誤答選択肢" in lines
    assert "~ answer key: ja 解答キー → 正解; ja forbidden +解答キー  (team.yaml:4)" in lines
    assert "~ golden dataset: context +evaluation +benchmark; also source  (team.yaml:14)" in lines
    assert "1 added, 1 removed, 2 changed (HEAD → working tree)" in lines
    assert cli_env.run("glossary", "diff", "--rev", "HEAD", "--exit-code").exit_code == 1


def test_reformatting_and_reordering_are_not_changes(cli_env, repository):
    assert cli_env.run("glossary", "fmt").exit_code == 0
    text = (repository / "team.yaml").read_text(encoding="utf-8")
    (repository / "team.yaml").write_text(
        text.replace("preferred: 誤答選択肢", 'preferred: "誤答選択肢"'), encoding="utf-8"
    )
    result = cli_env.run("glossary", "diff", "--rev", "HEAD", "--exit-code")
    assert result.exit_code == 0, result.output
    assert "0 added, 0 removed, 0 changed" in result.output


def test_a_file_new_since_the_revision_is_all_additions(cli_env, repository):
    (repository / "names.yaml").write_text(AFTER, encoding="utf-8")
    result = cli_env.run("glossary", "diff", "HEAD", "names.yaml")
    assert result.exit_code == 0, result.output
    assert "3 added, 0 removed, 0 changed" in result.output


def test_diff_of_two_files_as_a_markdown_table(cli_env, write_yaml):
    old, new = write_yaml("old.yaml", BEFORE), write_yaml("new.yaml", AFTER)
    result = cli_env.run("glossary", "diff", str(old), str(new), "--markdown")
    assert result.exit_code == 0, result.output
    assert (
        "| ~ | answer key | ja: 正解 (not 解答キー) | ja 解答キー → 正解; ja forbidden +解答キー | new.yaml:4 |"
        in result.output
    )
    assert "| - | distractor | ja: 誤答選択肢 | removed |  |" in result.output


def test_an_unknown_revision_is_one_error_line(cli_env, repository):
    result = cli_env.run("glossary", "diff", "--rev", "no-such-branch")
    assert result.exit_code == 1
    assert "team.yaml: cannot read it at no-such-branch:" in result.output
    assert "Traceback" not in result.output
