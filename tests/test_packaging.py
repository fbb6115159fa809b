"""What `pip install .` ships: the glossaries, the rules and the report's assets are data files
that a plain (non-editable) install must carry, or the tool silently runs without them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_the_wheel_carries_glossaries_rules_and_report_assets(tmp_path: Path):
    # Build from a copy: pip builds in the source tree and would leave build/ behind in the checkout.
    source = tmp_path / "src"
    shutil.copytree(
        REPO,
        source,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache", "node_modules"
        ),
    )
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("translator-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("aws-services.yaml", "ml-terms.yaml", "exam-phrases.yaml", "rules/ja.yaml"):
        assert f"translator/_glossaries/{shipped}" in names
    for asset in ("schema-v1.json", "page.css", "page.js"):
        assert f"translator/report/{asset}" in names
    for shipped in ("head-v3.json", "PROVENANCE.md"):  # the quality-estimation head and where it comes from
        assert f"translator/quality/qe/{shipped}" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    for backend in (
        "deepl",
        "libretranslate",
        "openai",
        "amazon-translate",
        "bedrock",
        "google",
        "ctranslate2",
        "pseudo",
    ):
        assert f"{backend} = translator.backends." in text


def test_the_shipped_rules_are_found_beside_the_shipped_glossaries():
    from translator.glossary.loader import shipped_dir, shipped_paths
    from translator.quality.rules import rule_files

    folder = shipped_dir()
    assert folder is not None
    assert [p.name for p in shipped_paths()] == ["aws-services.yaml", "exam-phrases.yaml", "ml-terms.yaml"]
    assert rule_files("ja")[0] == folder / "rules" / "ja.yaml"
