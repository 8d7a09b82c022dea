"""Atomic writes keep the old file whole when a write fails."""
from __future__ import annotations

import os
import stat

import pytest

from assistant.errors import AssistantError
from assistant.fileio import write_text_atomic


def test_write_text_atomic_leaves_the_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "claims.jsonl"
    write_text_atomic(target, "first\n")
    assert target.read_text() == "first\n"

    def fail(*_):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_text_atomic(target, "second\n")
    assert target.read_text() == "first\n"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.jsonl"]  # no temp file left


def test_write_text_atomic_to_a_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(AssistantError, match="no such directory"):
        write_text_atomic(tmp_path / "missing" / "out.json", "{}")


def test_write_text_atomic_gives_new_files_the_default_mode_and_keeps_an_old_mode(tmp_path):
    plain = tmp_path / "plain.json"
    plain.write_text("{}")
    fresh = write_text_atomic(tmp_path / "new.json", "{}")
    assert fresh.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777  # not mkstemp's 0600
    kept = tmp_path / "kept.json"
    kept.write_text("old")
    kept.chmod(0o640)
    write_text_atomic(kept, "new")
    assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_text() == "new"


def test_write_text_atomic_writes_through_a_symlink(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    assert real.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_write_text_atomic_refuses_targets_that_are_not_regular_files(tmp_path, kind):
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        target = tmp_path / "null-link"
        target.symlink_to("/dev/null")
    with pytest.raises(AssistantError, match="directory|not a regular file") as error:
        write_text_atomic(target, "data")
    assert "\n" not in str(error.value)
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    if kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(target).st_mode)
    elif kind == "device":
        assert target.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)
