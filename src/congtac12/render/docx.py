"""The year-end report (and a status) as an editable Word document, in the Youth Union's administrative layout.

At the top the issuing body (the agency from the settings) on the left and the motto block
on the right ("ĐOÀN TNCS HỒ CHÍ MINH", then "Hà Nội, ngày … tháng … năm …"); the title; the
policy it is based on; the figures; a table of every cadre by department; the signature
block. Times New Roman on A4 with the usual margins, as clerks edit such reports in Word or
LibreOffice Writer. Every text of the database goes in as a run's text, never as a field or
markup, so nothing of it is interpreted. python-docx is an optional extra
(``congtac12[docs]``), imported only here and only when a document is made.

``year_report`` and ``status_report`` return the file's bytes: the command line writes
them, the web face can serve them.
"""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING, Any

from congtac12.domain.results import CadreEvaluation, Evaluation
from congtac12.domain.vocab import KINDS, kind_name, kind_short, level_short
from congtac12.errors import CongtacError
from congtac12.i18n import N_, _
from congtac12.render.formats import days_text, plural
from congtac12.render.labels import CADRE_STATES, show_date, state_label
from congtac12.render.page import departments_of, number, percent

if TYPE_CHECKING:
    from congtac12.domain.summary import Summary

PLACEHOLDER = "……………"  # what a clerk fills in where the settings say nothing
TABLE_PT = 10.5  # the cadres' table: smaller than the text, as such annexes are
HEAD_PT = 9


def require() -> None:
    """python-docx is installed, or one line naming the extra (exit 1)."""
    try:
        import docx  # noqa: F401
    except ImportError:
        raise CongtacError(_("--docx needs python-docx; install the extra: pip install 'congtac12[docs]'")) from None


def _document() -> Any:
    from docx import Document
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.paragraph_format.space_after = Pt(3)
    return doc


def _para(
    where: Any,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    centre: bool = False,
    size: int | None = None,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = where.add_paragraph()
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size is not None:
        run.font.size = Pt(size)
    return p


def _cell_text(
    cell: Any, text: str, *, bold: bool = False, italic: bool = False, centre: bool = False, size: float | None = None
) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = cell.paragraphs[0]
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    if size is not None:
        run.font.size = Pt(size)


def _date_line(place: str | None, day: date) -> str:
    return _("{place}, {day:02d}/{month:02d}/{year}").format(
        place=place or PLACEHOLDER, day=day.day, month=day.month, year=day.year
    )


def _heading_block(doc: Any, agency: str | None, place: str | None, day: date) -> None:
    """The issuing body (left) and the motto block with the place and date (right), side by side."""
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _cell_text(left, (agency or PLACEHOLDER).upper(), bold=True, centre=True)
    _para(left, "***", centre=True)
    _cell_text(right, _("HO CHI MINH COMMUNIST YOUTH UNION"), bold=True, centre=True)
    _para(right, _date_line(place, day), italic=True, centre=True)
    _para(doc)


def _signature_block(doc: Any, agency: str | None) -> None:
    _para(doc)
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _cell_text(left, _("Recipients:"), bold=True, italic=True)
    _para(left, "- " + _("the standing committee of {agency};").format(agency=agency or PLACEHOLDER))
    _para(left, "- " + _("filed."))
    _cell_text(right, _("ON BEHALF OF THE STANDING COMMITTEE"), bold=True, centre=True)
    for _i in range(3):
        _para(right)
    _para(right, _("(signature and full name)"), italic=True, centre=True)


def _cadre_table(doc: Any, ev: Evaluation) -> None:
    """Every cadre by department: days and each minimum (counted / required), the reports, the result."""
    p = ev.policy
    rules = [(f"kind:{m.kind}", kind_short(m.kind)) for m in p.content_minimums]
    rules += [(f"level:{m.level}", level_short(m.level)) for m in p.level_minimums]
    heads = [_("No."), _("Name"), _("Code"), _("Days"), *(label for _r, label in rules)]
    heads += [_("Reports on time"), _("Reports late"), _("Reports overdue"), _("Result")]
    from docx.shared import Mm

    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    table.autofit = False
    # millimetres of the 165 between the margins: the name on one line, the figures narrow
    figures = max(1, len(heads) - 4)
    widths = [Mm(11), Mm(40), Mm(12), *([Mm((165 - 11 - 40 - 12 - 25) / figures)] * figures), Mm(25)]

    def fill(cells: Any, values: list[str], **style: Any) -> None:
        for cell, value, width in zip(cells, values, widths, strict=True):
            cell.width = width
            _cell_text(cell, value, size=TABLE_PT, **style)

    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice reads (Word reads the cells' widths)
    for cell, head, width in zip(table.rows[0].cells, heads, widths, strict=True):
        cell.width = width
        _cell_text(cell, head, bold=True, centre=True, size=HEAD_PT)
    _repeat_header(table.rows[0])
    n = 0
    for department, members in departments_of(ev.cadres):
        row = table.add_row().cells
        for cell, width in zip(row, widths, strict=True):
            cell.width = width
        merged = row[0].merge(row[-1])
        _cell_text(merged, department, bold=True, size=TABLE_PT)
        for c in members:
            n += 1
            values = [str(n), c.name, c.code, _figure(c, "min_days"), *(_figure(c, r) for r, _l in rules)]
            values += [number(c.reports.on_time), number(c.reports.late), number(c.reports.overdue)]
            values.append(state_label(c.state))
            fill(table.add_row().cells, values)


def _figure(c: CadreEvaluation, rule: str) -> str:
    for check in c.checks:
        if check.rule == rule:
            return f"{number(check.actual)}/{number(check.required)}"
    return number(c.days) if rule == "min_days" else "—"


def _repeat_header(row: Any) -> None:
    """The table's first row repeats at the top of every page (Word's "Repeat as header row")."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _basis(doc: Any, ev: Evaluation) -> None:
    p = ev.policy
    _para(doc, _("Based on {source}; the policy applied: {title}.").format(source=p.source, title=p.title))


def _to_bytes(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def year_report(sm: Summary, *, year: int, agency: str | None = None, place: str | None = None) -> bytes:
    """The year-end report (báo cáo) of the 1+2 regime, dated the as-of day."""
    require()
    ev = sm.evaluation
    t = sm.total
    doc = _document()
    _heading_block(doc, agency, place, ev.as_of)
    _para(doc, _("REPORT"), bold=True, centre=True, size=14)
    _para(
        doc,
        _("Results of field work at the base under the 1+2 policy in {year}").format(year=year),
        bold=True,
        centre=True,
    )
    _para(doc, "-----", centre=True)
    _basis(doc, ev)
    _para(
        doc,
        _("The figures from {first} to {last} (states as of {as_of}) are as follows.").format(
            first=show_date(sm.first), last=show_date(min(sm.last, ev.as_of)), as_of=show_date(ev.as_of)
        ),
    )
    _para(doc, _("I. OVERALL RESULTS"), bold=True)
    subject = t.cadres - t.states["not_subject"]
    lines = [
        _("Cadres subject to the regime: {subject} (of {all} on the roster; {not_subject} not subject).").format(
            subject=number(subject), all=number(t.cadres), not_subject=number(t.states["not_subject"])
        ),
        _("Met: {met}; not met: {not_met}; on track: {on_track}; behind: {behind}; exempt: {exempt}.").format(
            **{k: number(v) for k, v in t.states.items()}
        ),
        _("Days at the base: {days} in {trips}; by content: {by_kind}.").format(
            days=days_text(t.days),
            trips=plural(sm.trips, N_("{n} trip"), N_("{n} trips")),
            by_kind="; ".join(
                _("{kind} {days} ({share})").format(
                    kind=kind_name(k), days=days_text(t.days_by_kind[k]), share=percent(t.days_by_kind[k], t.days)
                )
                for k in KINDS
            ),
        ),
        _("A day of two kinds counts for each of them, so the shares may add up to more than 100%."),
        _("Result reports: {on_time} on time, {late} late, {overdue} overdue, {pending} not yet due.").format(
            **{k: number(v) for k, v in t.reports.items()}
        ),
        _("District-level unions visited: {visited} of {total}.").format(
            visited=number(sm.district_unions - len(sm.unvisited)), total=number(sm.district_unions)
        ),
    ]
    for line in lines:
        _para(doc, "- " + line)
    _para(doc, _("II. RESULTS BY CADRE"), bold=True)
    _cadre_table(doc, ev)
    _legend(doc)
    _signature_block(doc, agency)
    return _to_bytes(doc)


def status_report(ev: Evaluation, *, agency: str | None = None, place: str | None = None) -> bytes:
    """Every cadre's status as of a day: the year-end report's table, with its heading and signature."""
    require()
    doc = _document()
    _heading_block(doc, agency, place, ev.as_of)
    _para(doc, _("REPORT"), bold=True, centre=True, size=14)
    _para(
        doc,
        _("Field work at the base under the 1+2 policy as of {as_of}").format(as_of=show_date(ev.as_of)),
        bold=True,
        centre=True,
    )
    _para(doc, "-----", centre=True)
    _basis(doc, ev)
    counts = {s: sum(1 for c in ev.cadres if c.state == s) for s in CADRE_STATES}
    _para(
        doc,
        plural(
            len(ev.cadres),
            N_("{n} cadre: {counts}."),
            N_("{n} cadres: {counts}."),
            counts=", ".join(f"{state_label(s)} {number(n)}" for s, n in counts.items()),
        ),
    )
    _cadre_table(doc, ev)
    _legend(doc)
    _signature_block(doc, agency)
    return _to_bytes(doc)


def _legend(doc: Any) -> None:
    _para(
        doc,
        _("Days and each minimum: counted/required. Result: the state as of the report's date."),
        italic=True,
    )
