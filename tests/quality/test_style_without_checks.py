"""``--no-check`` skips judging but never the house style: the same run writes the same text."""

from __future__ import annotations

from pathlib import Path

LESSON = (
    "# Ｌａｂ １: training on Amazon SageMaker\n\n"
    "Train the model for ２０ epochs with Ｐｙｔｈｏｎ３，then deploy it．\n"
)


def _translate(cli_env, source: Path, output: Path, *extra: str) -> str:
    result = cli_env.run(
        "translate", str(source), "-o", str(output), "-b", "pseudo", "--no-cache", "--no-glossary", *extra
    )
    assert result.exit_code == 0, result.output
    return output.read_text(encoding="utf-8")


def test_no_check_writes_the_same_styled_text(cli_env, tmp_path: Path) -> None:
    source = tmp_path / "lesson.md"
    source.write_text(LESSON, encoding="utf-8")
    checked = _translate(cli_env, source, tmp_path / "checked.md")
    unchecked = _translate(cli_env, source, tmp_path / "unchecked.md", "--no-check")
    assert unchecked == checked
    assert "Python3" in unchecked and "２０" not in unchecked  # full-width letters and digits became half-width


def test_style_none_still_leaves_the_text_as_translated(cli_env, tmp_path: Path) -> None:
    source = tmp_path / "lesson.md"
    source.write_text(LESSON, encoding="utf-8")
    unchecked = _translate(cli_env, source, tmp_path / "out.md", "--no-check", "--style", "none")
    assert "Ｐｙｔｈｏｎ３" in unchecked
