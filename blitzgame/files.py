"""Writing a user's file whole: saves, scenario files, class manifests and reports, tournament
summaries and checkpoints all go through ``write_atomic``.

A reader (or a crash) sees the old file or the new one, never half of one: the data goes to
a temporary file in the same folder (``.NAME.xxxx.tmp``), is flushed and synced to disk, and
is then renamed over the name; the folder is synced so the rename itself survives a crash.
If anything fails the temporary file is removed, the old file is left as it was, and the
``OSError`` goes to the caller, which words it for the player.
"""

import contextlib
import errno
import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike, data: str | bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` (text is written as UTF-8, newlines untouched) to ``path`` whole; returns the path.

    The new file gets the mode of the file it replaces, or the one a plain ``open()`` would
    give. With ``overwrite=False`` an existing file is never replaced, even one that appears
    while writing: ``FileExistsError``. (The temporary file is hard-linked to the name, which
    fails if the name exists; where the file system has no hard links, it is renamed into
    place after a last check.)
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    folder = path.parent
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            _match_mode(handle.fileno(), path)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(temp, path)
        else:
            _place_new(temp, path)
    finally:
        with contextlib.suppress(OSError):  # gone already once renamed into place
            os.unlink(temp)
    _fsync_folder(folder)
    return path


def _place_new(temp: str, path: Path) -> None:
    """Give the written ``temp`` the name ``path``, which must not exist."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (some network or FAT file systems)
        if path.exists():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
        os.replace(temp, path)


def _match_mode(fd: int, path: Path) -> None:
    """mkstemp makes owner-only files; give the file the mode it had, or the one open() would."""
    if not hasattr(os, "fchmod"):
        return
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.fchmod(fd, mode)


def _fsync_folder(folder: Path) -> None:
    """Sync a folder so a rename in it survives a crash (where folders can be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open a folder; the rename is already done
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["write_atomic"]
