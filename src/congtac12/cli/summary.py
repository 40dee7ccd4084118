"""``congtac12 summary``: figures for the monthly briefing (giao ban) and the year-end summary."""

from typing import Annotated, Any

import typer

from congtac12.cli.common import (
    PolicyOption,
    console,
    cycle_collector_paused,
    db_path,
    guarded,
    notice,
    parse_date,
    print_json,
    today,
)
from congtac12.cli.documents import DocxOption, HtmlOption, Outputs, PdfOption
from congtac12.errors import InvalidInput
from congtac12.i18n import _


@guarded
@cycle_collector_paused  # a window's facts and figures: many small objects, no cycles
def summary(
    month: Annotated[
        str | None,
        typer.Option("--month", metavar="YYYY-MM", help=_("The month of the briefing (giao ban), e.g. 2020-10.")),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help=_("The year-end summary, as text to paste into a report."))
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help=_("States and days as of this day (default: the period's last day, or today if sooner)."),
        ),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
    policy: PolicyOption = None,
    html: HtmlOption = None,
    pdf: PdfOption = None,
    docx: DocxOption = None,
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite the file at --html, --pdf or --docx."))] = False,
) -> None:
    """Figures for the monthly briefing (--month) or the year-end summary (--year).

    Per department: cadres, days by kind, days so far, how many met / on track /
    behind, reports overdue; and which district-level unions were visited.

    With --html, --pdf or --docx: the report as a page, a PDF or (the year-end report,
    --year) a Word document, written to PATH.

    Example: congtac12 summary --month 2020-10     congtac12 summary --year 2020 --docx bao-cao-2020.docx
    """
    from congtac12.services.summary import period_of, summary_of

    first, last, period = period_of(month, year)
    if docx is not None and year is None:
        raise InvalidInput(
            _("--docx is the year-end report: give --year YYYY (for any day, status --as-of DATE --docx PATH)")
        )
    day = parse_date(as_of, "--as-of") if as_of is not None else min(last, today())
    documents = Outputs(html=html, pdf=pdf, docx=docx, force=force)
    documents.check()  # before any counting: a file that would be refused, a missing engine
    sm = summary_of(db_path(), first=first, last=last, period=period, as_of=day, policy_name=policy, notify=notice)
    if documents.any:
        _write_documents(sm, documents, period=period, year=year)
        return
    # each output's renderer imported where it is written: a briefing's table loads no JSON or text renderer
    if json_:
        from congtac12.render.json import summary_dict

        print_json(summary_dict(sm, period=month.strip() if month else period))
    elif month is not None:
        from congtac12.render.tables import summary_tables

        summary_tables(console(), sm, period=period)
    else:
        import sys

        from congtac12.render.text import summary_text

        assert year is not None  # period_of took exactly one of --month and --year
        sys.stdout.write(summary_text(sm, year=year))


def _write_documents(sm: Any, documents: Outputs, *, period: str, year: int | None) -> None:
    from congtac12.render.docx import year_report
    from congtac12.render.page import summary_page
    from congtac12.services.documents import issuer_of

    issuer = issuer_of(db_path())
    documents.write(
        lambda: summary_page(sm, period=period, agency=issuer.agency),
        (lambda: year_report(sm, year=year, agency=issuer.agency, place=issuer.place)) if year is not None else None,
    )
