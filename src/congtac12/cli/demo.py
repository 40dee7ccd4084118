"""``congtac12 demo``: a demo database of a Thành đoàn 2020 roster, then its status."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from congtac12.cli.common import OPTIONS, db_path, guarded
from congtac12.errors import DatabaseError
from congtac12.i18n import _

DEMO_FILE = "congtac12-demo.db"
DEMO_AS_OF = date(2020, 11, 13)  # the source's date: "results up to November 2020"


@guarded
def demo(
    out: Annotated[Path, typer.Option("--out", metavar="PATH", help="Where to write the demo database.")] = Path(
        DEMO_FILE
    ),
) -> None:
    """Build a demo database (never your own) and show its status as of 13/11/2020.

    Example: congtac12 demo && congtac12 --db congtac12-demo.db status --cadre C01
    """
    from congtac12 import demo as roster
    from congtac12.atomic import check_output
    from congtac12.cli.status import show_status
    from congtac12.store.engine import session

    out = out.expanduser()
    check_output(out, "--out")  # a name too long, a FIFO: refused before anything
    working = db_path()
    if out.exists() and isinstance(working, Path) and out.resolve() == working.resolve():
        raise DatabaseError(
            _("{path} is your working database; the demo writes only to a file of its own").format(path=out)
        )
    roster.replace_demo_file(out)
    roster.build_demo_file(out, session)
    import sys

    sys.stderr.write(
        _("Demo database written to {path}; use it with: congtac12 --db {path} status").format(path=out) + "\n"
    )
    OPTIONS.db = str(out)
    show_status(cadre=None, as_of=DEMO_AS_OF, json_=False)
