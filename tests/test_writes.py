"""Outputs respect what is already at their path: files replaced whole, links written through,
devices and pipes streamed, anything else refused."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from translator.errors import OutputError
from translator.writes import write_output


def test_a_regular_file_is_replaced_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_output(str(target), b"new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]  # no temporary file left behind


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to("real.md")
    write_output(str(link), b"translated")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "translated"


def test_a_dangling_symlink_gets_its_target_created(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "sub" / "made.md")
    write_output(str(link), b"x")
    assert link.is_symlink()
    assert (tmp_path / "sub" / "made.md").read_bytes() == b"x"


def test_a_fifo_is_written_as_a_stream_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_output(str(fifo), b"through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert fifo.is_fifo()  # still a pipe, not a regular file put in its place


def test_a_symlink_to_a_fifo_is_streamed_too(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.md"
    link.symlink_to(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_output(str(link), b"data")
    reader.join(timeout=10)
    assert received == [b"data"] and link.is_symlink() and fifo.is_fifo()


def test_a_folder_is_refused_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder"):
        write_output(str(tmp_path), b"x")


def test_a_socket_is_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        with pytest.raises(OutputError, match="neither a regular file"):
            write_output(str(path), b"x")
    finally:
        server.close()


def test_translate_writes_through_a_symlinked_output(cli_env) -> None:
    source = cli_env.tmp / "lesson.md"
    source.write_text("Hello world.\n", encoding="utf-8")
    real = cli_env.tmp / "kept" / "lesson.ja.md"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = cli_env.tmp / "lesson.ja.md"
    link.symlink_to(real)
    result = cli_env.run("translate", str(source), "-b", "pseudo", "-o", str(link), "--no-check")
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert "ja\\] Hello world." in real.read_text(encoding="utf-8")


def test_translate_to_a_fifo_streams_into_it(cli_env) -> None:
    source = cli_env.tmp / "lesson.md"
    source.write_text("Hello world.\n", encoding="utf-8")
    fifo = cli_env.tmp / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = cli_env.run(
        "translate", str(source), "-b", "pseudo", "-o", str(fifo), "--no-check", "--format", "markdown"
    )
    reader.join(timeout=10)
    assert result.exit_code == 0, result.output
    assert fifo.is_fifo()
    assert b"ja\\] Hello world." in received[0]


def test_a_report_through_a_symlink_keeps_the_link(cli_env) -> None:
    source = cli_env.tmp / "lesson.md"
    source.write_text("Hello world.\n", encoding="utf-8")
    real = cli_env.tmp / "reports" / "r.json"
    real.parent.mkdir()
    link = cli_env.tmp / "r.json"
    link.symlink_to(real)
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--report", str(link), "--back-translate", "none")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("{")
