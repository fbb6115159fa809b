"""Packages that try to write outside their folder, or to exhaust the disk, are refused whole."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from tests.models.conftest import data_dir, installed_names
from translator.models import ModelError
from translator.models.unpack import Limits, extract


def symlink_entry(name: str, target: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    info.create_system = 3  # Unix, where the mode bits mean a link
    return info


def with_entries(package: bytes, *entries: tuple[zipfile.ZipInfo | str, bytes]) -> bytes:
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a") as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buffer.getvalue()


def hostile(kind: str, package: bytes, outside: Path) -> bytes:
    root = "translate-en_ja-1_0"
    if kind == "dotdot":
        return with_entries(package, (f"{root}/../../{outside.name}", b"escaped"))
    if kind == "absolute":
        return with_entries(package, (str(outside), b"escaped"))
    if kind == "symlink":
        # a link out of the folder, then a file written "into" it
        return with_entries(
            package,
            (symlink_entry(f"{root}/link", str(outside.parent)), b""),
            (f"{root}/link/{outside.name}", b"escaped"),
        )
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["dotdot", "absolute", "symlink"])
@pytest.mark.parametrize("how", ["file", "url"])
def test_a_package_reaching_outside_its_folder_is_refused_with_nothing_written(
    models_env, package, index, tmp_path, kind, how
):
    outside = tmp_path / "victim" / "escaped.txt"
    outside.parent.mkdir()
    data = hostile(kind, package("en", "ja"), outside)
    if how == "file":
        file = tmp_path / "evil.argosmodel"
        file.write_bytes(data)
        result = models_env.run("models", "install", str(file))
    else:
        result = models_env.run("models", "install", index.add(data, "en", "ja"))
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: ")
    assert {"dotdot": "'..'", "absolute": "absolute path", "symlink": "symbolic link"}[kind] in result.stderr
    assert not outside.exists() and list(outside.parent.iterdir()) == []
    assert installed_names(models_env) == []
    models = data_dir(models_env) / "models"
    assert not any((models / ".staging").iterdir())  # nothing left half-unpacked either
    assert not list(tmp_path.rglob("escaped.txt"))


def write_zip(path: Path, *entries: tuple[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused_before_anything_is_written(tmp_path):
    archive = write_zip(tmp_path / "bomb.zip", ("p/metadata.json", b"{}"), ("p/model/model.bin", bytes(50 << 20)))
    into = tmp_path / "into"
    into.mkdir()
    with pytest.raises(ModelError, match="zip bomb"):
        extract(archive, into)
    assert list(into.iterdir()) == []


def test_size_and_count_limits(tmp_path):
    archive = write_zip(tmp_path / "big.zip", *((f"p/{i}.txt", b"x" * 1000) for i in range(5)))
    into = tmp_path / "into"
    into.mkdir()
    with pytest.raises(ModelError, match="more than 3000 bytes"):
        extract(archive, into, Limits(total_bytes=3000))
    with pytest.raises(ModelError, match="more than 4"):
        extract(archive, into, Limits(files=4))
    assert list(into.iterdir()) == []


def test_the_same_name_twice_and_a_non_zip_are_refused(tmp_path):
    archive = write_zip(tmp_path / "twice.zip", ("p/a.txt", b"1"), ("p/A.txt", b"2"))
    into = tmp_path / "into"
    into.mkdir()
    with pytest.raises(ModelError, match="appears twice"):
        extract(archive, into)
    not_zip = tmp_path / "not.argosmodel"
    not_zip.write_text("hello", encoding="utf-8")
    with pytest.raises(ModelError, match="not a zip archive"):
        extract(not_zip, into)


def test_a_package_without_a_model_is_refused(models_env, tmp_path):
    archive = write_zip(tmp_path / "empty.argosmodel", ("p/metadata.json", b'{"from_code": "en", "to_code": "ja"}'))
    result = models_env.run("models", "install", str(archive))
    assert result.exit_code == 1 and "model/model.bin" in result.stderr
    assert installed_names(models_env) == []
