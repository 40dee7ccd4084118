"""The database's failures as one-line errors, for either backend (each says its own in
``sqlite_file.describe`` or ``pg_login.describe``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError

from congtac12.errors import Conflict, DatabaseError
from congtac12.i18n import _
from congtac12.store import pg_login, sqlite_file
from congtac12.store.constraints import message
from congtac12.store.location import PgUrl, Target


def refused_message() -> str:
    """An update or delete that the row-level policies hid: the row is another cadre's."""
    return _("the database refused the change: this login may change only its own cadre's records; nothing was written")


def describe(path: Target, orig: BaseException | None) -> str:
    """A failure of the database at ``path``, in one line."""
    if isinstance(path, PgUrl):
        return pg_login.describe(path, orig)
    return sqlite_file.describe(path, orig)


@contextmanager
def translate_errors(path: Target) -> Iterator[None]:
    """Turn the database's failures into one-line errors."""
    try:
        yield
    except sa_exc.IntegrityError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else str(exc.orig)
        rule = message(reason)
        if rule is not None:
            raise Conflict(
                _("the database refused the change: {rule}; nothing was written").format(rule=rule)
            ) from None
        raise Conflict(
            _("the change contradicts the record ({reason}); nothing was written").format(reason=reason)
        ) from None
    except StaleDataError:
        # An UPDATE or DELETE that matched no row: on PostgreSQL, a row that
        # the row-level policies keep this login from changing.
        raise DatabaseError(refused_message()) from None
    except sa_exc.DBAPIError as exc:
        raise DatabaseError(describe(path, exc.orig)) from None
    except sqlite3.Error as exc:  # from a raw connection
        raise DatabaseError(describe(path, exc)) from None
