"""``congtac12 status``: where each cadre stands against the 1+2 rules."""

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from congtac12.cli.common import (
    PolicyOption,
    YearOption,
    console,
    cycle_collector_paused,
    db_path,
    guarded,
    notice,
    parse_date,
    print_json,
    today,
    warn_outside,
)
from congtac12.cli.documents import DocxOption, HtmlOption, Outputs, PdfOption
from congtac12.dates import show
from congtac12.errors import InvalidInput
from congtac12.i18n import N_, _
from congtac12.render.formats import plural


@cycle_collector_paused
def show_status(
    *,
    cadre: str | None,
    as_of: date,
    json_: bool,
    policy_name: str | None = None,
    year: int | None = None,
    explain: bool = False,
    out_format: str | None = None,
    out: Path | None = None,
    documents: Outputs | None = None,
    force: bool = False,
) -> None:
    """Evaluate and render; shared by ``status`` and ``demo``."""
    from congtac12.services.status import status_of

    found = status_of(db_path(), as_of=as_of, cadre=cadre, policy_name=policy_name, year=year, notify=notice)
    policy, ev = found.policy, found.evaluation
    warn_outside(policy, found.outside)
    if out_format is not None:
        _write_status(ev, out_format, out, force=force)
    if documents is not None and documents.any:
        _write_documents(found, documents)
    if out_format is not None or (documents is not None and documents.any):
        return
    if json_:
        from congtac12.render.json import status_dict

        print_json(status_dict(found))
        return

    def draw(con: Any) -> None:  # the renderers a --json does not need, imported only here
        from congtac12.render.charts import month_chart
        from congtac12.render.explain import cadre_detail, explain_cadre
        from congtac12.render.plans import coming_table
        from congtac12.render.tables import status_tables

        if explain:
            explain_cadre(con, ev, ev.cadres[0])
        elif cadre is not None:
            cadre_detail(con, ev, ev.cadres[0])
            if found.plans:  # plan against record, and the coming trips
                code = ev.cadres[0].code
                coming_table(con, found.coming_plans(code), found.plan_outlooks.get(code))
            if ev.cadres[0].subject:
                from congtac12.domain.summary import month_bars

                month_chart(con, month_bars(ev, found.cadres[0], found.visits), policy)
        else:
            status_tables(con, ev, plans=found.plan_outlooks if found.plans else None)

    draw(console())


def _write_documents(found: Any, documents: Outputs) -> None:
    from congtac12.render.docx import status_report
    from congtac12.render.page import status_page
    from congtac12.services.documents import issuer_of

    issuer = issuer_of(db_path())
    documents.write(
        lambda: status_page(found, agency=issuer.agency),
        lambda: status_report(found.evaluation, agency=issuer.agency, place=issuer.place),
    )


def _write_status(ev: Any, fmt: str, out: Path | None, *, force: bool) -> None:
    from congtac12.cli.exchange import output_format
    from congtac12.exchange import files
    from congtac12.render.sheet import status_sheet

    if out is None:
        raise InvalidInput(_("--format needs --out PATH, the file to write"))
    fmt = output_format(fmt, out, accepted=("xlsx", "csv"))
    files.check_target(out, folder=False, force=force)
    sheet = status_sheet(ev)
    if fmt == "xlsx":
        files.write_xlsx(out, [sheet])
    else:
        files.write_csv(out, sheet, headers="header")
    console().print(
        plural(
            len(sheet.rows),
            N_("Wrote the status of {n} cadre as of {as_of} to {path}."),
            N_("Wrote the status of {n} cadres as of {as_of} to {path}."),
            as_of=show(ev.as_of),
            path=out,
        ),
        markup=False,
    )


@guarded
def status(
    cadre: Annotated[str | None, typer.Option("--cadre", help=_("One cadre (code or name); default all."))] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE", help=_("Count only what happened by this day (default: today).")),
    ] = None,
    policy: PolicyOption = None,
    year: YearOption = None,
    explain: Annotated[
        bool, typer.Option("--explain", help=_("With --cadre: show how each figure was reached."))
    ] = False,
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
    format_: Annotated[
        str | None, typer.Option("--format", help=_("Write the table as xlsx or csv to --out, one row per cadre."))
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", metavar="PATH", help=_("The file --format writes."))] = None,
    html: HtmlOption = None,
    pdf: PdfOption = None,
    docx: DocxOption = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Overwrite the file at --out, --html, --pdf or --docx."))
    ] = False,
) -> None:
    """Show each cadre's days, content minimums, reports and state, grouped by department.

    Example: congtac12 status --cadre "nguyen van an" --as-of 13/11/2020 --explain
    """
    if explain and cadre is None:
        raise InvalidInput(_("--explain needs --cadre; accepted: status --cadre CODE --explain"))
    if out is not None and format_ is None:
        format_ = out.suffix.lower().lstrip(".") or None
        if format_ is None:
            raise InvalidInput(_("cannot tell the format from --out {path}; give --format xlsx|csv").format(path=out))
    if format_ is not None and out is None:
        raise InvalidInput(_("--format needs --out PATH, the file to write"))
    day = parse_date(as_of, "--as-of") if as_of is not None else today()
    documents = Outputs(html=html, pdf=pdf, docx=docx, force=force)
    if out is not None:  # a file that would be refused: before any counting
        from congtac12.exchange import files

        files.check_target(out, folder=False, force=force)
    documents.check()
    show_status(
        cadre=cadre,
        as_of=day,
        json_=json_,
        policy_name=policy,
        year=year,
        explain=explain,
        out_format=format_,
        out=out,
        documents=documents,
        force=force,
    )
