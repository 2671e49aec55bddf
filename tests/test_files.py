"""``files.write_atomic``: a file is written whole or not at all, and no temporary file stays behind."""

import os
import stat

import pytest

from blitzgame.files import write_atomic


def test_text_and_bytes_are_written_as_given(tmp_path):
    path = tmp_path / "a.txt"
    assert write_atomic(path, "héllo\r\nworld\n") == path
    assert path.read_bytes() == "héllo\r\nworld\n".encode()
    write_atomic(str(path), b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


@pytest.mark.parametrize("fails", ["replace", "fsync"])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path, monkeypatch, fails):
    path = tmp_path / "save.json"
    path.write_text("old")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, fails, boom)
    with pytest.raises(OSError, match="No space left on device"):
        write_atomic(path, "new")
    monkeypatch.undo()
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["save.json"]


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "save.json"

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "new")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "no" / "such" / "file.txt", "x")
    assert list(tmp_path.iterdir()) == []


def test_a_new_file_gets_the_mode_open_would_give_and_a_replaced_one_keeps_its_own(tmp_path):
    umask = os.umask(0o022)
    try:
        fresh = write_atomic(tmp_path / "fresh.txt", "x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.txt"
        kept.write_text("old")
        kept.chmod(0o600)
        write_atomic(kept, "new")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and kept.read_text() == "new"
    finally:
        os.umask(umask)


def test_without_overwrite_an_existing_file_is_never_replaced(tmp_path):
    path = tmp_path / "scenario.toml"
    write_atomic(path, "first", overwrite=False)
    assert path.read_text() == "first"
    with pytest.raises(FileExistsError):
        write_atomic(path, "second", overwrite=False)
    assert path.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["scenario.toml"]


def test_without_hard_links_a_new_file_is_renamed_into_place_after_a_last_check(tmp_path, monkeypatch):
    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "scenario.toml"
    write_atomic(path, "first", overwrite=False)
    with pytest.raises(FileExistsError):
        write_atomic(path, "second", overwrite=False)
    assert path.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["scenario.toml"]
