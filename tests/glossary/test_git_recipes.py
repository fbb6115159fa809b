"""The repository's pre-commit hooks and the documented CI workflow do what the README says:
their commands run as written, over the glossaries a team names in translator.toml."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
HOOKS = REPO / ".pre-commit-hooks.yaml"
WORKFLOW = REPO / "docs" / "glossary-ci.yml"
TEAM = """\
version: 1
language: en
entries:
  - term: answer key
    source: "study group"
    targets:
      ja:
        preferred: 正解
"""


def team_project(cli_env) -> Path:
    cli_env.config.write_text(
        'glossaries = ["glossaries/team.yaml"]\n' + cli_env.config.read_text(encoding="utf-8"), encoding="utf-8"
    )
    (cli_env.tmp / "glossaries").mkdir()
    team = cli_env.tmp / "glossaries" / "team.yaml"
    team.write_text(TEAM, encoding="utf-8")
    return team


def run_line(cli_env, line: str, env: dict[str, str]):
    """A workflow or hook command line, run through the CLI (``>> FILE`` appends its output);
    ``$NAME`` and ``${NAME}`` are taken from ``env``, as the runner would set them."""
    expanded = re.sub(r"\$\{?(\w+)\}?", lambda m: env[m.group(1)], line)
    command, _, redirect = expanded.partition(">>")
    args = shlex.split(command)
    assert args[0] == "translator", line
    result = cli_env.run(*args[1:], env=env)
    if redirect:
        with open(cli_env.tmp / shlex.split(redirect)[0], "a", encoding="utf-8") as handle:
            handle.write(result.stdout)
    return result


def hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}


def test_the_hooks_cover_lint_and_fmt_check_and_run_on_glossary_changes():
    found = hooks()
    assert set(found) == {"translator-glossary-lint", "translator-glossary-fmt"}
    for hook in found.values():
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        pattern = re.compile(hook["files"])
        for path in ("translator.toml", "glossaries/team.yaml", "docs/team-glossary.yml", "course/glossary.yaml"):
            assert pattern.search(path), (hook["id"], path)
        for path in ("src/config.yaml", ".github/workflows/ci.yml", "README.md"):
            assert not pattern.search(path), (hook["id"], path)


def test_the_hook_commands_pass_a_clean_glossary_and_stop_a_bad_one(cli_env):
    team = team_project(cli_env)
    found = hooks()
    for hook in found.values():
        result = run_line(cli_env, hook["entry"], {})
        assert result.exit_code == 0, (hook["id"], result.output)
    team.write_text(TEAM.replace("preferred: 正解", "preferred:  正解"), encoding="utf-8")
    assert run_line(cli_env, found["translator-glossary-fmt"]["entry"], {}).exit_code == 1
    team.write_text(
        TEAM + '  - term: inference\n    source: "x"\n    targets:\n      ja:\n        preferred: 推測\n',
        encoding="utf-8",
    )
    result = run_line(cli_env, found["translator-glossary-lint"]["entry"], {})
    assert result.exit_code == 1 and "'推測' is forbidden" in result.output


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def test_the_ci_workflow_steps_run_as_documented(cli_env):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    trigger = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "translator.toml" in trigger["pull_request"]["paths"]
    steps = workflow["jobs"]["glossary"]["steps"]
    lines = [step["run"] for step in steps if step.get("run", "").startswith("translator ")]
    assert [shlex.split(line)[:3] for line in lines] == [
        ["translator", "glossary", "lint"],
        ["translator", "glossary", "fmt"],
        ["translator", "glossary", "diff"],
    ]

    team = team_project(cli_env)
    git(cli_env.tmp, "init", "-q")
    git(cli_env.tmp, "config", "user.email", "team@example.com")
    git(cli_env.tmp, "config", "user.name", "Team")
    git(cli_env.tmp, "add", "glossaries")
    git(cli_env.tmp, "commit", "-q", "-m", "glossary")
    git(cli_env.tmp, "update-ref", "refs/remotes/origin/main", "HEAD")  # what checkout fetches
    assert cli_env.run("glossary", "add", "distractor", "--ja", "誤答選択肢", "--source", "study group").exit_code == 0
    env = {"GITHUB_BASE_REF": "main", "GITHUB_STEP_SUMMARY": "summary.md"}
    for line in lines:
        result = run_line(cli_env, line, env)
        assert result.exit_code == 0, (line, result.output)
    summary = (cli_env.tmp / "summary.md").read_text(encoding="utf-8")
    assert "| + | distractor | ja: 誤答選択肢 | added | glossaries/team.yaml:9 |" in summary
    assert team.exists()
