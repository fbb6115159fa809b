"""``translator glossary find`` and ``suggest`` as a user runs them."""

from __future__ import annotations

import re
from pathlib import Path


def test_find_shows_each_match_with_its_rendering_and_origin(cli_env, team_glossary):
    result = cli_env.run("glossary", "find", "SageMaker's inferences", "--glossary", str(team_glossary))
    assert result.exit_code == 0, result.output
    assert "SageMaker's" in result.output and "keep as is" in result.output
    assert "inferences" in result.output and "推論" in result.output
    assert f"{team_glossary.name}:" in result.output


def test_find_names_a_shipped_glossary_by_its_file_name_and_shows_the_whole_rendering(cli_env):
    result = cli_env.run("glossary", "find", "fine-tuning")
    assert result.exit_code == 0, result.output
    first = _rows(result.output)[0]  # the match in the text; lookups of longer terms follow
    assert first[0] == "0-11"
    rendering, origin = first[3], first[4].replace(" ", "")
    assert "ファインチューニング" in rendering
    assert re.fullmatch(r"ml-terms\.yaml:\d+", origin), origin


def test_find_reads_a_csv_glossary_through_the_interchange_formats(cli_env, tmp_path: Path):
    table = tmp_path / "terms.csv"
    table.write_text("term,ja\nfeature store,特徴量ストア\n", encoding="utf-8")
    result = cli_env.run("glossary", "find", "a feature store", "--glossary", str(table))
    assert result.exit_code == 0, result.output
    assert "特徴量ストア" in result.output


def test_find_with_a_broken_glossary_is_one_error_line(cli_env, write_yaml):
    broken = write_yaml("broken.yaml", "version: 1\nentries:\n  - term: [x\n")
    result = cli_env.run("glossary", "find", "x", "--glossary", str(broken))
    assert result.exit_code == 1
    assert f"error: {broken}:3: YAML syntax" in result.output


def test_suggest_ranks_product_names_the_glossary_lacks(cli_env, team_glossary, tmp_path: Path):
    corpus = tmp_path / "notes.md"
    corpus.write_text(
        "# Notes\n\nAmazon Quokka indexes documents. Amazon SageMaker trains models.\n\n"
        "Use Amazon Quokka with a flux capacitor. A flux capacitor keeps embeddings.\n\n"
        "Amazon Quokka is managed.\n",
        encoding="utf-8",
    )
    result = cli_env.run("glossary", "suggest", str(corpus), "--glossary", str(team_glossary))
    assert result.exit_code == 0, result.output
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in result.output.splitlines() if "│" in line]
    assert rows[0][:3] == ["3", "product", "Amazon Quokka"]
    assert ["2", "phrase", "flux capacitor"] in [row[:3] for row in rows]
    assert "Amazon SageMaker" not in result.output


def test_suggest_leaves_out_code_phrases_cut_by_punctuation_and_known_terms(cli_env, team_glossary, tmp_path: Path):
    corpus = tmp_path / "notes.md"
    corpus.write_text(
        "Status goes `Starting` then `Downloading` here.\n\n"
        "Status goes `Starting` then `Downloading` again.\n\n"
        "For more detail, read the guide. For more detail, read the guide.\n\n"
        "Inference quokkas graze. Inference quokkas graze.\n",
        encoding="utf-8",
    )
    result = cli_env.run("glossary", "suggest", str(corpus), "--glossary", str(team_glossary))
    assert result.exit_code == 0, result.output
    candidates = [line.split("│")[3].strip() for line in result.output.splitlines() if line.count("│") > 3]
    assert "status goes" in candidates  # a real phrase still counts
    assert not any("starting" in c.casefold() or "downloading" in c.casefold() for c in candidates)
    assert "detail read" not in candidates  # "detail, read" is cut by the comma
    assert "quokkas graze" in candidates
    assert not any(c.casefold().startswith("inference") for c in candidates)  # a glossary term already


def _rows(output: str) -> list[list[str]]:
    """Table rows, with cells folded over several lines joined again."""
    rows: list[list[str]] = []
    for line in output.splitlines():
        if "│" not in line:
            continue
        cells = [cell.strip() for cell in line.split("│")[1:-1]]
        if cells[0] or not rows:
            rows.append(cells)
        else:
            rows[-1] = [
                a + (" " if a and b and a[-1].isascii() and b[0].isascii() else "") + b
                for a, b in zip(rows[-1], cells, strict=False)
            ]
    return rows


def test_find_looks_up_part_of_a_term(cli_env):
    result = cli_env.run("glossary", "find", "drift")
    assert result.exit_code == 0, result.output
    entries = [row[2] for row in _rows(result.output)]
    assert {"data drift", "model drift", "concept drift"} <= set(entries)


def test_find_ignores_hyphens_and_spaces(cli_env):
    result = cli_env.run("glossary", "find", "fine tune")
    assert result.exit_code == 0, result.output
    assert "fine-tuning" in [row[2] for row in _rows(result.output)]


def test_find_looks_up_japanese_renderings_and_says_when_one_is_forbidden(cli_env):
    result = cli_env.run("glossary", "find", "推論")
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert rows[0][:3] == ["ja", "推論", "inference"]  # the whole rendering first
    forbidden = _rows(cli_env.run("glossary", "find", "推測").output)
    assert ["ja forbidden", "推測", "inference", "推論"] == forbidden[0][:4]
