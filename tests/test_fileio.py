"""Atomic writes keep the old file whole when a write fails."""
from __future__ import annotations

import os

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
