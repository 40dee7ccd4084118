"""A SQLite file of ours, looked at with the standard library alone: no SQLAlchemy.

What both the write path (``engine``, SQLModel) and the read path (``read``, plain
``sqlite3``) need to find, check and open a file, and to word its failures: the
header marks, the schema version (``PRAGMA user_version``; ``SCHEMA_VERSION`` is
the newest revision in store/migrations/versions, a test checks), the busy
timeout, the file's URI, the one-line messages, and how a writer takes the write
lock (``begin_writing``, on the driver's connection of either path).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from congtac12.errors import DatabaseError, InvalidInput, NotFound
from congtac12.i18n import _
from congtac12.store.location import Target

APPLICATION_ID = 0x43543132  # "CT12", in the SQLite header (PRAGMA application_id)
# PRAGMA user_version: the newest revision in store/migrations/versions (a test checks).
SCHEMA_VERSION = 9
BUSY_TIMEOUT_MS = 10_000
BUSY_ENV_VAR = "CONGTAC12_BUSY_TIMEOUT_MS"
SQLITE_MAGIC = b"SQLite format 3\x00"
# How many busy timeouts a writer waits in a row, as long as others commit meanwhile.
QUEUE_ROUNDS = 30


def busy_timeout_ms() -> int:
    """How long a command waits for another one's write lock: $CONGTAC12_BUSY_TIMEOUT_MS, else 10 s."""
    text = os.environ.get(BUSY_ENV_VAR, "").strip()
    if not text:
        return BUSY_TIMEOUT_MS
    if not text.isdigit() or not text.isascii():
        raise InvalidInput(
            _("{var}={value!r} is not valid; accepted: a whole number of milliseconds").format(
                var=BUSY_ENV_VAR, value=text
            )
        )
    return int(text)


def inspect(path: Path) -> tuple[str, int]:
    """('missing' | 'empty' (usable as new) | 'ours', schema version); raises for anything else."""
    try:
        exists, is_dir = path.exists(), path.is_dir()
    except OSError as exc:  # a name too long, a loop of links…
        raise DatabaseError(_("cannot use {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    if not exists:
        return "missing", 0
    if is_dir:
        raise DatabaseError(_("{path} is a folder; give the path of a database file").format(path=path))
    from congtac12.atomic import check_name, check_regular

    check_regular(path, _("the database"))  # opening a FIFO would wait forever
    check_name(path, _("the database"))
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as exc:
        raise DatabaseError(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    if not header:
        return "empty", 0
    if not header.startswith(SQLITE_MAGIC):
        raise DatabaseError(
            _("{path} is not a SQLite database; give a congtac12 database or a new file name").format(path=path)
        )
    try:
        con = sqlite3.connect(file_uri(path, read_only=True), uri=True)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError as exc:  # a read-only folder, a lock: not the file's fault
        raise DatabaseError(describe(path, exc)) from None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            _("{path} cannot be read as a SQLite database ({reason})").format(path=path, reason=exc)
        ) from None
    if app_id != APPLICATION_ID:
        if tables == 0:
            return "empty", 0
        raise DatabaseError(
            _("{path} is a SQLite database of another program, not congtac12; it was left untouched").format(path=path)
        )
    if version > SCHEMA_VERSION:
        raise DatabaseError(newer(path, version))
    return "ours", version


def newer(path: Target, version: int) -> str:
    return _(
        "{path} has schema version {version}, newer than this congtac12 knows "
        "({known}); upgrade congtac12. The file was left untouched"
    ).format(path=path, version=version, known=SCHEMA_VERSION)


def file_uri(path: Path, *, read_only: bool = False) -> str:
    """The SQLite URI of a file: every character of its name taken literally.

    A plain name would be parsed by SQLite and SQLAlchemy alike: "q?x.db"
    would open a file "q" with the options "x.db". Percent-encoding the path
    (``Path.as_uri``) leaves no character special. ``read_only``: the file's
    folder cannot be written (a read-only mount), where SQLite could not even
    make the shared-memory file a reader of a WAL database needs: open it
    immutable, as nothing can change it there.
    """
    uri = path.resolve().as_uri()
    if read_only:
        return uri + ("?mode=ro&immutable=1" if not os.access(path.parent, os.W_OK) else "?mode=ro")
    return uri


def read_only_medium(path: Path) -> bool:
    """The file or its folder cannot be written: open it read-only (a reading command only)."""
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def missing_database(path: Path) -> NotFound:
    """A command that only reads was pointed at a file that is not a database yet."""
    return NotFound(
        _(
            "no congtac12 database at {path}; a command that only reads never makes one "
            "(make it with 'congtac12 init', or any command that writes); check --db and {var}"
        ).format(path=path, var="CONGTAC12_DB")
    )


def busy(orig: BaseException | None) -> bool:
    """The failure ``orig`` of SQLite is another connection holding the lock."""
    text = str(orig).lower()
    return "locked" in text or "busy" in text


def begin_writing(con: sqlite3.Connection) -> None:
    """``BEGIN IMMEDIATE`` on the driver's connection: wait for the write lock while the queue
    moves, fail when it does not.

    SQLite's busy handler polls for the lock: among many writers one may lose every race for it
    while the others take turns, and fail although no program held the lock for long. A busy
    timeout in which another connection committed (``PRAGMA data_version`` moved) is the queue
    moving: the writer waits again, up to ``QUEUE_ROUNDS`` timeouts. A busy timeout in which
    nobody committed is a lock held too long: the error ("locked by another program for more
    than N s; nothing was written"), as before.
    """
    seen = con.execute("PRAGMA data_version").fetchone()[0]
    for _round in range(QUEUE_ROUNDS):
        try:
            con.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not busy(exc):
                raise
            now = con.execute("PRAGMA data_version").fetchone()[0]
            if now == seen:
                raise
            seen = now
    con.execute("BEGIN IMMEDIATE")


def describe(path: Path, orig: BaseException | None) -> str:
    """One line for a failure of SQLite on the file ``path``."""
    text = str(orig).lower()
    if busy(orig):
        return _(
            "{path} is locked by another program for more than {seconds} s; nothing was written, try again"
        ).format(path=path, seconds=f"{busy_timeout_ms() / 1000:g}")
    if "readonly" in text or "read-only" in text:
        return _("{path} is read-only (the file or its folder); nothing was written").format(path=path)
    if ("disk" in text and "full" in text) or ("disk i/o error" in text and nearly_full(path)):
        # A full disk often surfaces as an I/O error of the WAL index (-shm),
        # not as SQLITE_FULL: the free space says which it is.
        return _("the disk holding {path} is full; nothing was written").format(path=path)
    if "disk i/o error" in text:
        return _("cannot write {path}: disk I/O error (is the disk full or failing?); nothing was written").format(
            path=path
        )
    if "malformed" in text or "not a database" in text:
        return _("{path} is damaged ({reason}); restore a backup").format(path=path, reason=orig)
    if "unable to open" in text:
        return _("cannot open {path}; check that its folder exists and is writable").format(path=path)
    return _("database error on {path}: {reason}").format(path=path, reason=orig)


def nearly_full(path: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < 1 << 20  # under 1 MiB
    except OSError:
        return False
