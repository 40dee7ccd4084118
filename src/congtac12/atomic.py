"""Files written whole or not at all: the one helper every output goes through.

``db backup``, ``db copy`` to a file, ``export``, ``status --html``/``--format``
and ``demo --out`` write into a temporary file beside the target
(``.NAME.PID.partial``, mode 0600), flush and fsync it, then give it the final
name in one rename and fsync the folder. A process killed at any point leaves
under the final name either what was there before or the complete new file,
never a part of one. A ``.partial`` left by a killed run (its process is gone)
is removed by the next run that writes the same name.

Outputs must be regular files: a FIFO, a device or a socket at the target is
refused (opening a FIFO for writing would wait forever for a reader).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from congtac12.errors import Conflict, CongtacError, DatabaseError, InvalidInput
from congtac12.i18n import _

SUFFIX = ".partial"
# What SQLite may leave beside a database it was writing.
COMPANIONS = ("", "-journal", "-wal", "-shm")
NAME_MAX = 255  # bytes, in every common file system
_STEM_MAX = 120  # bytes of the target's name kept in the temporary name

# Tests set this to stop a writer at a stage ("begun", "written", "synced",
# "renamed") and kill it there (tests/helpers/atomic_write.py).
on_stage: Callable[[str], None] | None = None


def _stage(name: str) -> None:
    if on_stage is not None:
        on_stage(name)


def _kind(mode: int) -> str | None:
    if stat.S_ISFIFO(mode):
        return _("a FIFO (named pipe)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return None


def check_name(path: Path, what: str) -> None:
    """Refuse a file name no file system holds (over 255 bytes), in one line."""
    name = os.fsencode(path.name) if path.name else b""
    if len(name) > NAME_MAX:
        raise InvalidInput(
            _("{what}: the file name is {n} bytes long; accepted: at most {max}").format(
                what=what, n=len(name), max=NAME_MAX
            )
        )


def check_regular(path: Path, what: str) -> None:
    """Refuse a FIFO, device or socket (as an input or an output): it would hang or mean nothing."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # missing (or unreachable: the write says why)
    kind = _kind(mode)
    if kind is not None:
        raise InvalidInput(
            _("{what} {path} is {kind}; accepted: a regular file").format(what=what, path=path, kind=kind)
        )


def check_output(path: Path, what: str) -> None:
    check_name(path, what)
    check_regular(path, what)


def _temporary_name(target: Path) -> str:
    stem = os.fsencode(target.name)[:_STEM_MAX].decode("utf-8", "ignore")
    return f".{stem}.{os.getpid()}{SUFFIX}"


def clean_leftovers(target: Path) -> list[Path]:
    """Remove what killed runs left while writing ``target``; returns what was removed."""
    stem = os.fsencode(target.name)[:_STEM_MAX].decode("utf-8", "ignore")
    removed: list[Path] = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not name.startswith(f".{stem}."):
            continue
        base = next((name[: -len(c)] if c else name for c in COMPANIONS if name.endswith(SUFFIX + c)), None)
        if base is None:
            continue
        pid = base[len(stem) + 2 : -len(SUFFIX)]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        try:
            entry.unlink()
            removed.append(entry)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    try:
        _fsync_path(folder)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename itself is atomic


@contextmanager
def atomic_path(
    target: Path, *, overwrite: bool, what: str = "--out", cannot: Callable[[str], str] | None = None
) -> Iterator[Path]:
    """A new temporary file (mode 0600) beside ``target`` for the caller to fill; named ``target`` on success.

    ``overwrite=False``: an existing ``target`` is never replaced (a Conflict,
    even if one appears while writing). ``cannot(reason)``: the message when the
    file system refuses (else "cannot write …"). On any failure the temporary file and
    SQLite's companions of it are removed and ``target`` is as it was.
    """
    check_output(target, what)
    clean_leftovers(target)
    tmp = target.with_name(_temporary_name(target))
    if not overwrite and target.exists():
        raise _exists(target)
    try:
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise _cannot(target, exc, cannot) from None
    try:
        _stage("begun")
        try:
            yield tmp
        except OSError as exc:  # the folder went read-only, the disk is full…
            raise _cannot(target, exc, cannot) from None
        _stage("written")
        try:
            _fsync_path(tmp)
        except OSError as exc:
            raise _cannot(target, exc, cannot) from None
        _stage("synced")
        try:
            if overwrite:
                os.replace(tmp, target)
            else:
                os.link(tmp, target)  # fails if the name was taken meanwhile: never replaces
                tmp.unlink()
        except FileExistsError:
            raise _exists(target) from None
        except OSError as exc:
            raise _cannot(target, exc, cannot) from None
        _stage("renamed")
        _fsync_folder(target.parent)
    finally:
        for companion in COMPANIONS:
            Path(f"{tmp}{companion}").unlink(missing_ok=True)


def _cannot(target: Path, exc: OSError, cannot: Callable[[str], str] | None) -> CongtacError:
    if cannot is not None:
        return DatabaseError(cannot(exc.strerror or str(exc)))
    return CongtacError(
        _("cannot write {target}: {reason}; nothing was written").format(target=target, reason=exc.strerror or exc)
    )


def _exists(target: Path) -> Conflict:
    return Conflict(_("{target} exists; congtac12 does not overwrite it (give a new file name)").format(target=target))


@contextmanager
def atomic_file(
    target: Path, *, binary: bool = False, overwrite: bool = True, what: str = "--out"
) -> Iterator[IO[Any]]:
    """``atomic_path`` as an open file: text in UTF-8 (newlines as written), or bytes."""
    with atomic_path(target, overwrite=overwrite, what=what) as tmp:
        kwargs: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": ""}
        with open(tmp, "wb" if binary else "w", **kwargs) as f:
            yield f
            f.flush()
