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
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in result.output.splitlines() if "│" in line]
    rendering, origin = ("".join(row[i] for row in rows) for i in (3, 4))
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
