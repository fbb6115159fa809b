"""``glossary lint`` and ``fmt --check`` as a team runs them in its repository: with no
arguments they check the glossaries ``translator.toml`` names, and overrides of the shipped
glossary get the severity their effect deserves."""

from __future__ import annotations

from pathlib import Path

HEADER = "version: 1\nlanguage: en\nentries:\n"
GUESS_FOR_INFERENCE = (
    HEADER
    + """\
  - term: inference
    source: "team decision"
    targets:
      ja:
        preferred: 推測
"""
)


def use_glossaries(cli_env, *names: str) -> None:
    listed = ", ".join(f'"{name}"' for name in names)
    # Top-level keys go before the first [table] of the file.
    cli_env.config.write_text(
        f"glossaries = [{listed}]\n" + cli_env.config.read_text(encoding="utf-8"), encoding="utf-8"
    )


def test_lint_without_arguments_checks_the_glossaries_named_in_translator_toml(cli_env, write_yaml):
    write_yaml("team.yaml", HEADER + '  - term: epoch\n    source: "a"\n    targets: {ja: {}}\n')
    use_glossaries(cli_env, "team.yaml")
    result = cli_env.run("glossary", "lint")
    assert result.exit_code == 1, result.output
    assert "team.yaml:6: error: 'epoch': targets.ja needs 'preferred'" in result.output
    assert "1 file(s)" in result.output


def test_fmt_check_without_arguments_checks_the_configured_yaml_files(cli_env, write_yaml):
    team = write_yaml(
        "team.yaml",
        HEADER + '  - term: zeta\n    keep: true\n    source: "a"\n  - term: alpha\n    keep: true\n    source: "a"\n',
    )
    use_glossaries(cli_env, "team.yaml")
    before = team.read_text(encoding="utf-8")
    result = cli_env.run("glossary", "fmt", "--check")
    assert result.exit_code == 1
    assert "would reformat team.yaml" in result.output
    assert team.read_text(encoding="utf-8") == before
    assert cli_env.run("glossary", "fmt").exit_code == 0
    assert cli_env.run("glossary", "fmt", "--check").exit_code == 0


def test_overriding_a_shipped_rendering_with_a_forbidden_one_is_an_error_without_with_shipped(cli_env, write_yaml):
    team = write_yaml("team.yaml", GUESS_FOR_INFERENCE)
    result = cli_env.run("glossary", "lint", str(team))
    assert result.exit_code == 1, result.output
    line = next(line for line in result.output.splitlines() if "推測" in line)
    assert line.startswith(
        f"{team}:4: error: 'inference' targets.ja: '推測' is forbidden by the entry it overrides at "
    )
    assert "at shipped ml-terms.yaml:" in line and "(preferred there: 推論)" in line  # not its install path
    use_glossaries(cli_env, "team.yaml")
    assert cli_env.run("glossary", "lint").exit_code == 1
    assert cli_env.run("glossary", "lint", "--with-shipped", str(team)).exit_code == 1


def test_repeating_a_shipped_entry_unchanged_is_only_a_note(cli_env, write_yaml):
    team = write_yaml(
        "team.yaml",
        HEADER + '  - term: inference\n    source: "team copy"\n    targets:\n      ja:\n        preferred: 推論\n',
    )
    result = cli_env.run("glossary", "lint", "--with-shipped", "--strict", str(team))
    assert result.exit_code == 0, result.output
    assert f"{team}:4: note: 'inference' repeats the entry at " in result.output
    assert ": warning:" not in result.output.replace("0 warning(s)", "")


def test_overriding_a_shipped_entry_with_another_allowed_rendering_stays_a_warning(cli_env, write_yaml):
    team = write_yaml(
        "team.yaml",
        HEADER + '  - term: inference\n    source: "team"\n    targets:\n      ja:\n        preferred: 推論処理\n',
    )
    result = cli_env.run("glossary", "lint", "--with-shipped", str(team))
    assert result.exit_code == 0, result.output
    assert f"{team}:4: warning: 'inference' overrides the entry at " in result.output
    assert cli_env.run("glossary", "lint", "--with-shipped", "--strict", str(team)).exit_code == 1


def test_fmt_of_a_configured_file_that_does_not_exist_is_one_error_line(cli_env):
    use_glossaries(cli_env, "missing.yaml")
    result = cli_env.run("glossary", "fmt", "--check")
    assert result.exit_code == 1
    assert "missing.yaml: no such glossary file" in result.output
    assert not Path(cli_env.tmp / "missing.yaml").exists()
