"""``congtac12 db upgrade|backup|check|copy``: looking after the database itself."""

from typing import Annotated

import typer

from congtac12.cli.common import console, db_path, guarded, notice, print_json
from congtac12.i18n import _

app = typer.Typer(
    help=_("Upgrade, back up, check and copy the database."),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@guarded
def init() -> None:
    """Make a new, empty database (with Hanoi's 30 district-level unions), or say that it is there.

    Commands that only read never make a database; this, and any command that writes, does.
    Example: congtac12 --db /srv/congtac12/congtac12.db init
    """
    from congtac12.store.engine import inspect, open_engine, translate_errors
    from congtac12.store.location import PgUrl

    path = db_path()
    with translate_errors(path):
        existed = not isinstance(path, PgUrl) and inspect(path)[0] == "ours"
        open_engine(path, write=True, notify=notice).dispose()  # made, or upgraded, or as it was
    message = _("{path} is already a congtac12 database; nothing to do.") if existed else _("Made the database {path}.")
    console().print(message.format(path=path), markup=False, soft_wrap=True)


@app.command("upgrade")
@guarded
def upgrade() -> None:
    """Bring the database to this congtac12's schema, keeping a copy of the old one beside it.

    Opening an older database does the same by itself; this does it now.
    Example: congtac12 db upgrade
    """
    from congtac12.store.engine import translate_errors, upgrade_database

    path = db_path()
    with translate_errors(path):
        change = upgrade_database(path)
    if not change.changed:
        console().print(
            _("{path} is at schema {version}, the newest this congtac12 knows; nothing to do.").format(
                path=path, version=change.new
            ),
            markup=False,
            soft_wrap=True,
        )
        return
    console().print(
        _("Upgraded {path} from schema {old} to {new}; the schema-{old} copy is {backup}").format(
            path=path, old=change.old, new=change.new, backup=change.backup
        ),
        markup=False,
        soft_wrap=True,
    )


@app.command("backup")
@guarded
def backup(
    target: Annotated[str, typer.Argument(metavar="PATH", help=_("A new file to write the copy to."))],
) -> None:
    """Copy the database to a new file, readable by its owner only, safely while others write.

    Uses SQLite's online backup. Example: congtac12 db backup ~/congtac12-2020-11-13.db
    """
    from congtac12.errors import InvalidInput, NotFound
    from congtac12.store.engine import backup_to, inspect, missing_database, translate_errors
    from congtac12.store.location import PgUrl, checked_path

    path = db_path()
    out = checked_path(target, "PATH")
    if isinstance(path, PgUrl):
        raise InvalidInput(
            _(
                "db backup copies a SQLite file; back up a PostgreSQL database with pg_dump, "
                "or copy it into a new file with 'congtac12 db copy --to FILE.db'"
            )
        )
    with translate_errors(path):
        state, _version = inspect(path)
        if state == "missing":
            raise missing_database(path)
        if state != "ours":
            raise NotFound(_("{path} is not a congtac12 database; nothing to back up").format(path=path))
        backup_to(path, out)
    console().print(_("Backed up {path} to {out}.").format(path=path, out=out), markup=False, soft_wrap=True)


@app.command("check")
@guarded
def check(json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False) -> None:
    """Check the database: SQLite's integrity and foreign keys, then the record's own rules.

    Exits 1 when anything is wrong. Example: congtac12 db check
    """
    from congtac12.render.json import check_dict
    from congtac12.render.text import problems_text
    from congtac12.store import checks
    from congtac12.store.engine import open_engine, translate_errors

    path = db_path()
    with translate_errors(path):
        # A bare connection, rolled back: a damaged file must not fail the
        # check on a commit after the check found the damage.
        engine = open_engine(path, write=False, notify=notice, create=False)
        try:
            with engine.connect() as conn:
                report = checks.check(conn)
                conn.rollback()
        finally:
            engine.dispose()
    if json_:
        print_json(check_dict(report))
    else:
        problems_text(console(), report)
    if not report.ok:
        raise typer.Exit(1)


@app.command("copy")
@guarded
def copy(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="URL|PATH",
            help=_("Where to copy the record: an empty PostgreSQL database (postgresql://…) or a new SQLite file."),
        ),
    ],
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """Copy the whole record, history included, into an empty PostgreSQL database or a new SQLite file.

    One transaction: the row counts of every table are checked before it commits,
    and nothing is written on failure. Moves a SQLite file up to the organisation's
    PostgreSQL database, or a PostgreSQL database down to a file.
    Example: congtac12 db copy --to postgresql://btc@db.thanhdoan.example/congtac12
    """
    from congtac12.render.json import copy_dict
    from congtac12.store.copy import copy as copy_database
    from congtac12.store.location import checked_target

    path = db_path()
    copied = copy_database(path, checked_target(to, "--to"), notify=notice)
    if json_:
        print_json(copy_dict(copied))
        return
    from congtac12.domain.fields import entity_count
    from congtac12.render.formats import integer

    counts = ", ".join(entity_count(table, n) for table, n in copied.counts.items())
    console().print(
        _("Copied {source} to {target}: {rows} rows ({counts}); the counts of every table match.").format(
            source=copied.source, target=copied.target, rows=integer(copied.total), counts=counts
        ),
        markup=False,
        soft_wrap=True,
    )
