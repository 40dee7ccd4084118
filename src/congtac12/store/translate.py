"""The database's failures as one-line errors, for either backend (each says its own in
``sqlite_file.describe`` or ``pg_login.describe``).

``failure`` words one failure of a driver; it imports no ORM, so that the write path on the
driver's connection (``store.write.connect``) says what ``translate_errors``, the ORM's, says.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from congtac12.errors import Conflict, DatabaseError
from congtac12.i18n import _
from congtac12.store import sqlite_file
from congtac12.store.location import PgUrl, Target


def refused_message() -> str:
    """An update or delete that the row-level policies hid: the row is another cadre's."""
    return _("the database refused the change: this login may change only its own cadre's records; nothing was written")


def describe(path: Target, orig: BaseException | None) -> str:
    """A failure of the database at ``path``, in one line."""
    if isinstance(path, PgUrl):
        from congtac12.store import pg_login

        return pg_login.describe(path, orig)
    return sqlite_file.describe(path, orig)


def failure(path: Target, orig: BaseException | None, *, integrity: bool) -> Conflict | DatabaseError:
    """The failure ``orig`` of the driver of the database at ``path`` as a one-line error: a change
    that one of the database's rules refused (``integrity``: the driver's IntegrityError) as a
    Conflict, in the rule's words when it is one of ours (``constraints``)."""
    if not integrity:
        return DatabaseError(describe(path, orig))
    from congtac12.store.constraints import message  # SQLAlchemy's; only when a rule refused a change

    reason = str(orig).strip().splitlines()[0] if str(orig).strip() else str(orig)
    rule = message(reason)
    if rule is not None:
        return Conflict(_("the database refused the change: {rule}; nothing was written").format(rule=rule))
    return Conflict(_("the change contradicts the record ({reason}); nothing was written").format(reason=reason))


@contextmanager
def translate_errors(path: Target) -> Iterator[None]:
    """Turn the database's failures into one-line errors."""
    from sqlalchemy import exc as sa_exc
    from sqlalchemy.orm.exc import StaleDataError

    try:
        yield
    except StaleDataError:
        # An UPDATE or DELETE that matched no row: on PostgreSQL, a row that
        # the row-level policies keep this login from changing.
        raise DatabaseError(refused_message()) from None
    except sa_exc.DBAPIError as exc:
        raise failure(path, exc.orig, integrity=isinstance(exc, sa_exc.IntegrityError)) from None
    except sqlite3.Error as exc:  # from a raw connection
        raise DatabaseError(describe(path, exc)) from None
