"""Atomic file writes (a reader, or a crash, never sees half a file), and JSON Lines reading."""
from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from .errors import AssistantError


def write_text_atomic(path: Path | str, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder and
    ``os.replace``; the old file stays whole if anything fails, and the new one has the
    old one's permissions (or a new file's default). A symbolic link is written through
    (its target is replaced, the link stays); any other target that is not a regular file
    is refused."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path | str, data: bytes) -> Path:
    """``write_text_atomic`` for bytes."""
    path = Path(path)
    target = writable_target(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain open() would
        # (the old file's, or 0666 less the umask) so exports stay readable to others
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)
    return path


def writable_target(path: Path | str) -> Path:
    """The file a write to ``path`` replaces: the path itself, or where its symbolic links
    lead. Raises ``AssistantError`` (one line) when its folder is missing or it exists and
    is not a regular file (a folder, a FIFO, a device): replacing those would lose them.
    Call it before long work, so a bad output path fails fast."""
    path = Path(path)
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        raise AssistantError(f"{path.parent}: no such directory")
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    if not stat.S_ISREG(mode):
        kind = "is a directory" if stat.S_ISDIR(mode) else "is not a regular file"
        raise AssistantError(f"{path}: {kind}; give the path of a file to write")
    return target


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (not all file systems allow it; then it is skipped)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _current_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


# read once at import: setting the umask to read it is not thread-safe, and the UI writes
# exports from worker threads
_NEW_FILE_MODE = 0o666 & ~_current_umask()


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return _NEW_FILE_MODE


def read_jsonl(path: Path | str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, record) for every non-blank line of a JSON Lines file; a missing or
    unreadable file, a malformed line or one that is not an object is a one-line error."""
    path = Path(path)
    if not path.is_file():
        raise AssistantError(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistantError(f"{path}: cannot read ({exc})") from exc
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AssistantError(f"{path}:{number}: malformed JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise AssistantError(f"{path}:{number}: expected a JSON object")
        records.append((number, record))
    return records


def read_model_json(path: Path, what: str, trainer: str) -> Any:
    """The plain data of a model shipped as JSON; a missing file is an error that names
    the script writing it (``trainer``)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise AssistantError(f"{what} missing: {path} (run {trainer})") from exc


def read_word_lines(path: Path | str) -> list[list[str]]:
    """The words of each line of a word-list file (``assistant/data/*.txt``), blank lines
    and ``#`` comments left out."""
    return [line.split() for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
