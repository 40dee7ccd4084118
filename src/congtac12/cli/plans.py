"""``congtac12 plan add|list|submit|approve|return|delete``: registered trips (đăng ký)."""

from pathlib import Path
from typing import Annotated

import typer

from congtac12.cli.common import console, db_path, guarded, notice, parse_date, print_json, today
from congtac12.errors import InvalidInput
from congtac12.i18n import N_, _, ngettext
from congtac12.render.formats import plural

app = typer.Typer(
    help=_("Register trips ahead (đăng ký), send them for approval, approve or return them, and list them."),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

IdsArgument = Annotated[list[int], typer.Argument(metavar="ID...", help=_("Plan ids (see 'congtac12 plan list')."))]


@app.command("add")
@guarded
def add(
    cadre: Annotated[str, typer.Option("--cadre", help=_("Code or name (diacritics optional)."))],
    unit: Annotated[str, typer.Option("--unit", help=_('Unit name, or its place name: "Ba Đình".'))],
    kind: Annotated[str, typer.Option("--kind", help=_("chuyen-de, phoi-hop, kiem-tra or sinh-hoat."))],
    from_: Annotated[str | None, typer.Option("--from", metavar="DATE", help=_("First day of the trip."))] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="DATE", help=_("Last day (default: the first)."))] = None,
    month: Annotated[
        str | None, typer.Option("--month", metavar="MM/YYYY", help=_("A rough plan: a month (with --days)."))
    ] = None,
    days: Annotated[
        int | None, typer.Option("--days", metavar="N", help=_("With --month: the days planned in it."))
    ] = None,
    topic: Annotated[str | None, typer.Option("--topic", help=_("What the trip is about."))] = None,
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """Register a trip ahead, as a draft (send it with 'plan submit').

    Example: congtac12 plan add --cadre C01 --unit "Ba Đình" --from 10/11/2020 --to 12/11/2020 --kind sinh-hoat
    """
    from congtac12.domain.vocab import kind_name, parse_kind
    from congtac12.render.plans import period_text, plan_dict
    from congtac12.services import plans

    start = parse_date(from_, "--from") if from_ is not None else None
    end = parse_date(to, "--to") if to is not None else None
    added = plans.add(
        db_path(),
        cadre=cadre,
        unit=unit,
        kind=parse_kind(kind),
        start=start,
        end=end,
        month=month,
        days=days,
        topic=topic,
        notify=notice,
    )
    p = added.plan
    if json_:
        print_json(plan_dict(added.row, p.state))
        return
    facts = added.row.facts
    console().print(
        _("Added plan {id} (draft): {code} {name} at {unit}, {when} ({kind}). Send it with 'plan submit {id}'.").format(
            id=p.id,
            code=added.cadre.code,
            name=added.cadre.name,
            unit=added.unit.name,
            when=period_text(facts),
            kind=kind_name(p.kind),
        ),
        markup=False,
    )


@app.command("list")
@guarded
def list_(
    cadre: Annotated[str | None, typer.Option("--cadre", help=_("Only this cadre (code or name)."))] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help=_("Only trips to this unit: who is coming, and when."))
    ] = None,
    dept: Annotated[str | None, typer.Option("--dept", help=_("Only this department (Ban), in full or part."))] = None,
    month: Annotated[
        str | None, typer.Option("--month", metavar="MM/YYYY", help=_("Only plans with a day in this month."))
    ] = None,
    quarter: Annotated[
        str | None,
        typer.Option("--quarter", metavar="Q/YYYY", help=_("Only plans with a day in this quarter: 2/2020.")),
    ] = None,
    state: Annotated[
        str | None,
        typer.Option(
            "--state", help=_("draft, submitted, approved, returned, done or missed (nháp, đã gửi, đã duyệt…).")
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE", help=_("States as of this day (default: today).")),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
    format_: Annotated[
        str | None, typer.Option("--format", help=_("Write the list as xlsx or csv to --out (the sheet to approve)."))
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", metavar="PATH", help=_("The file --format writes."))] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite the file at --out."))] = False,
) -> None:
    """List plans by first day, each in its state as of today (or --as-of).

    Example: congtac12 plan list --unit "Ba Đình" --month 11/2020
    """
    from congtac12.render.plans import plans_dict, plans_table
    from congtac12.services import plans

    day = parse_date(as_of, "--as-of") if as_of is not None else today()
    fmt = None
    if format_ is not None or out is not None:
        from congtac12.cli.exchange import output_format
        from congtac12.exchange import files

        if out is None:
            raise InvalidInput(_("--format needs --out PATH, the file to write"))
        fmt = output_format(format_, out, accepted=("xlsx", "csv"))
        files.check_target(out, folder=False, force=force)
    listing = plans.list_plans(
        db_path(),
        as_of=day,
        cadre=cadre,
        unit=unit,
        dept=dept,
        month=month,
        quarter=quarter,
        state=state,
        notify=notice,
    )
    if fmt is not None:
        from congtac12.exchange import files
        from congtac12.render.plans import plan_sheet

        sheet = plan_sheet(listing)
        if fmt == "xlsx":
            files.write_xlsx(out, [sheet])
        else:
            files.write_csv(out, sheet, headers="header")
        console().print(
            plural(len(sheet.rows), N_("Wrote {n} plan to {path}."), N_("Wrote {n} plans to {path}."), path=out),
            markup=False,
        )
        return
    if json_:
        print_json(plans_dict(listing))
        return
    plans_table(console(), listing, by_unit=unit is not None)


def _done(one: str, many: str, ids: list[int]) -> None:
    console().print(ngettext(one, many, len(ids)).format(ids=", ".join(str(i) for i in ids)), markup=False)


@app.command("submit")
@guarded
def submit(ids: IdsArgument) -> None:
    """Send draft (or returned) plans to the standing office for approval.

    Example: congtac12 plan submit 4 5 6
    """
    from congtac12.services import plans

    done = plans.submit(db_path(), ids, notify=notice)
    _done(N_("Submitted plan {ids}."), N_("Submitted plans {ids}."), [p.id for p in done])


@app.command("approve")
@guarded
def approve(
    ids: IdsArgument,
    by: Annotated[str | None, typer.Option("--by", metavar="NAME", help=_("Who approves (default: you)."))] = None,
) -> None:
    """Approve submitted plans (the standing office).

    Example: congtac12 plan approve 4 5 --by "Văn phòng"
    """
    from congtac12.services import plans

    done = plans.approve(db_path(), ids, by=by, notify=notice)
    _done(N_("Approved plan {ids}."), N_("Approved plans {ids}."), [p.id for p in done])


@app.command("return")
@guarded
def return_(
    plan_id: Annotated[int, typer.Argument(metavar="ID", help=_("The plan's id."))],
    reason: Annotated[str, typer.Option("--reason", help=_("Why it is returned (the cadre reads it)."))],
    by: Annotated[str | None, typer.Option("--by", metavar="NAME", help=_("Who returns it (default: you)."))] = None,
) -> None:
    """Return a submitted plan to its cadre, with the reason; it may be submitted again.

    Example: congtac12 plan return 6 --reason "Trùng lịch Đại hội"
    """
    from congtac12.services import plans

    p = plans.return_plan(db_path(), plan_id, reason=reason, by=by, notify=notice)
    console().print(_("Returned plan {id}: {reason}").format(id=p.id, reason=p.reason), markup=False)


@app.command("delete")
@guarded
def delete(plan_id: Annotated[int, typer.Argument(metavar="ID", help=_("The plan's id."))]) -> None:
    """Delete a draft plan (a plan once submitted stays on record).

    Example: congtac12 plan delete 7
    """
    from congtac12.services import plans

    text = plans.delete(db_path(), plan_id, notify=notice)
    console().print(_("Deleted {plan}.").format(plan=text), markup=False)
