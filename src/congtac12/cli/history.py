"""``congtac12 history`` and ``congtac12 undo``: every change, and taking one back."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from congtac12.cli.common import console, guarded, print_json, reader, session
from congtac12.errors import InvalidInput
from congtac12.i18n import N_, _
from congtac12.render.formats import plural

if TYPE_CHECKING:
    from collections.abc import Callable

    from congtac12.store.read.history import ItemView


@guarded
def history(
    visit: Annotated[
        int | None, typer.Option("--visit", metavar="ID", help=_("Only this visit (and its report)."))
    ] = None,
    cadre: Annotated[str | None, typer.Option("--cadre", help=_("Only this cadre (and its visits)."))] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", metavar="N", min=1, help=_("Only the N newest changes."))
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """Show the changes made to the record, newest first: who, when, what, before and after.

    Example: congtac12 history --visit 7
    """
    from congtac12.render.json import change_dict
    from congtac12.render.text import history_text
    from congtac12.store.read.cadres import find_cadre
    from congtac12.store.read.history import history as changes_of

    if visit is not None and cadre is not None:
        raise InvalidInput(_("give --visit or --cadre, not both"))
    with reader() as r:  # plain SQL (store.read), no ORM
        cadre_id = find_cadre(r, cadre).id if cadre is not None else None
        changes = changes_of(r, visit_id=visit, cadre_id=cadre_id, limit=limit)
    if json_:
        print_json([change_dict(c) for c in changes])
    else:
        history_text(console(), changes)


@guarded
def undo(
    change: Annotated[
        int | None,
        typer.Argument(metavar="[CHANGE]", help=_("The change's number in 'congtac12 history' (default: the latest).")),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """Take back the latest change (or change CHANGE), and say exactly what was taken back.

    The undo is itself a change: a second 'undo' redoes what the first took back.
    Example: congtac12 undo
    """
    from congtac12.domain.fields import action_name
    from congtac12.render.json import change_dict
    from congtac12.render.text import item_lines, local_time
    from congtac12.store import undo as undoing

    with session(write=True) as s:
        undone = undoing.undo(s, change)
    if json_:
        print_json({"undid": change_dict(undone)})
        return
    console().print(
        _("Undid change #{id} ({action}, {at}, by {who}): {summary}").format(
            id=undone.id,
            action=action_name(undone.action),
            at=local_time(undone.at),
            who=undone.who,
            summary=undone.summary,
        ),
        markup=False,
        soft_wrap=True,
    )
    for item in undone.items[:12]:
        for line in _reverted_lines(item, item_lines):
            console().print("    " + line, markup=False, soft_wrap=True)
    if len(undone.items) > 12:
        more = plural(len(undone.items) - 12, N_("… and {n} more record"), N_("… and {n} more records"))
        console().print("    " + more, markup=False)


def _reverted_lines(item: "ItemView", item_lines: "Callable[[Any], list[str]]") -> list[str]:
    """The item as it was taken back: an insert is removed, a delete comes back, fields go back."""
    from congtac12.store.read.history import ItemView

    return item_lines(ItemView(item.entity, item.key, item.after, item.before))
