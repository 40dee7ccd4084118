"""``congtac12 report`` and ``congtac12 reports``: result reports (báo cáo kết quả) of visits.

``report VISIT_ID`` records one (from --text, --file, an editor on a terminal,
or standard input); ``report show VISIT_ID`` prints it; ``reports`` lists every
visit's report state, the most urgent first.
"""

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from congtac12.cli.common import (
    PolicyOption,
    YearOption,
    console,
    db_path,
    guarded,
    notice,
    parse_date,
    print_json,
    today,
    warn_outside,
)
from congtac12.errors import CongtacError, InvalidInput, NotFound
from congtac12.i18n import _
from congtac12.text import excerpt

if TYPE_CHECKING:
    from datetime import date

MAX_FILE_BYTES = 1_000_000
FALLBACK_EDITORS = ("editor", "nano", "vi")  # tried on PATH when $VISUAL and $EDITOR are unset


def read_report_file(path: Path, what: str = "--file") -> str:
    """A report's text from a file: UTF-8 text of at most MAX_FILE_BYTES."""
    try:
        if not path.is_file():
            raise InvalidInput(
                _("{what} {path} is not a file; accepted: a UTF-8 text file").format(what=what, path=path)
            )
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidInput(
                _("{what} {path} is larger than {limit} bytes; accepted: a text file up to that size").format(
                    what=what, path=path, limit=f"{MAX_FILE_BYTES:,}"
                )
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            _("cannot read {what} {path}: {reason}").format(what=what, path=path, reason=exc.strerror)
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            _("{what} {path} is not UTF-8 text; accepted: a UTF-8 text file").format(what=what, path=path)
        ) from None
    if "\x00" in text:
        raise InvalidInput(_("{what} {path} is not a text file (it holds NUL bytes)").format(what=what, path=path))
    return text


def editor_command(environ: dict[str, str] | os._Environ[str]) -> list[str]:
    """$VISUAL, else $EDITOR (with its arguments: "code --wait"), else the first of FALLBACK_EDITORS."""
    for var in ("VISUAL", "EDITOR"):
        value = environ.get(var, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError:
                raise InvalidInput(
                    _("${var} {value!r} cannot be split into a command").format(var=var, value=value)
                ) from None
            if words:
                return words
    for name in FALLBACK_EDITORS:
        found = shutil.which(name)
        if found:
            return [found]
    raise CongtacError(_("no text editor found; set $EDITOR (e.g. EDITOR=nano), or give --text or --file"))


def edit_text(template: str) -> str | None:
    """Open the editor on the template; the edited text, or None if left empty or unchanged."""
    from congtac12.render.text import strip_comments

    command = editor_command(os.environ)
    with tempfile.TemporaryDirectory(prefix="congtac12-") as folder:
        path = Path(folder) / "bao-cao.txt"
        path.write_text(template, encoding="utf-8")
        try:
            done = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise CongtacError(
                _("cannot start the editor {editor}: {reason}; set $EDITOR, or give --text or --file").format(
                    editor=command[0], reason=exc.strerror
                )
            ) from None
        if done.returncode != 0:
            raise CongtacError(
                _("the editor {editor} exited with status {code}; nothing was recorded").format(
                    editor=command[0], code=done.returncode
                )
            )
        text = strip_comments(read_report_file(path, what=_("the edited file")))
    if not text or text == strip_comments(template):
        return None
    return text


class ReportCommand(TyperCommand):
    """``report`` takes VISIT_ID, or ``show`` and VISIT_ID: its usage line says so."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:  # Click's Context, as Typer carries it
        return ["[OPTIONS]", "[show] VISIT_ID"]


@guarded
def report(
    visit_id: Annotated[
        str,
        typer.Argument(
            metavar="[show] VISIT_ID",
            help=_("The visit's id (see 'congtac12 visits'); 'show ID' prints its report."),
            show_default=False,
        ),
    ],
    shown_id: Annotated[str | None, typer.Argument(hidden=True, show_default=False)] = None,
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help=_("The report's date (default: today)."))
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help=_("The report's text."))] = None,
    file: Annotated[
        Path | None, typer.Option("--file", metavar="PATH", help=_("Read the text from a UTF-8 file."))
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help=_("Replace the visit's existing report."))] = False,
    json_: Annotated[bool, typer.Option("--json", help=_("With 'show': print JSON."))] = False,
) -> None:
    """Record the result report of a visit, or print it with 'report show VISIT_ID'.

    Without --text or --file, on a terminal $VISUAL or $EDITOR opens on the
    usual outline (time, place, content, results, proposals) filled with the
    trip's facts; saving it empty or unchanged records nothing. Off a terminal
    the text is read from standard input.

    Example: congtac12 report 7 --on 12/03/2020 --text "Đã khảo sát tình hình đoàn viên"
    """
    if visit_id == "show":
        if shown_id is None:
            raise InvalidInput(_("'report show' needs a visit id: congtac12 report show 7"))
        if on is not None or text is not None or file is not None or replace:
            raise InvalidInput(_("'report show' takes no --on, --text, --file or --replace"))
        show_report(_visit_id(shown_id), json_=json_)
        return
    if shown_id is not None:
        raise InvalidInput(
            _("unexpected argument {arg!r}; accepted: 'report VISIT_ID' or 'report show VISIT_ID'").format(arg=shown_id)
        )
    if json_:
        raise InvalidInput(_("--json goes with 'report show VISIT_ID'"))
    write_report(_visit_id(visit_id), on=on, text=text, file=file, replace=replace)


def _visit_id(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise InvalidInput(
            _("visit id {value!r} is not a number; accepted: a visit's id, see 'congtac12 visits'").format(
                value=excerpt(text)
            )
        )
    if len(text.lstrip("0")) > 19 or int(text) > 2**63 - 1:  # no row id is larger: no such visit, no query
        raise NotFound(_("no visit {id}; see 'congtac12 visits' for the ids").format(id=excerpt(text)))
    return int(text)


def write_report(visit_id: int, *, on: str | None, text: str | None, file: Path | None, replace: bool) -> None:
    from congtac12.render.text import recorded_report_text
    from congtac12.services.reports import record_report

    if text is not None and file is not None:
        raise InvalidInput(_("give --text or --file, not both"))
    reported_on = parse_date(on, "--on") if on is not None else today()
    if file is not None:
        body = read_report_file(file)
    elif text is not None:
        body = text
    elif not sys.stdin.isatty():
        body = sys.stdin.read()
    else:
        body = _write_in_editor(visit_id, reported_on, replace)
    if not body.strip():
        # As the editor path: an empty report is no report, and never replaces one.
        source = "--file" if file is not None else "--text" if text is not None else _("standard input")
        raise CongtacError(
            _("the report's text from {source} is empty; nothing was recorded (a report needs its text)").format(
                source=source
            )
        )
    recorded = record_report(db_path(), visit_id=visit_id, on=reported_on, text=body, replace=replace, notify=notice)
    console().print(recorded_report_text(recorded), markup=False)
    if recorded.outside is not None:
        assert recorded.policy is not None  # record_report always gives the policy it judged outside by
        warn_outside(recorded.policy, [recorded.outside])


def _write_in_editor(visit_id: int, on: "date", replace: bool) -> str:
    """The report's text from the editor, refusing first what could not be recorded anyway."""
    from congtac12.render.text import report_template
    from congtac12.services.reports import report_draft

    draft = report_draft(db_path(), visit_id=visit_id, on=on, replace=replace, notify=notice)
    body = edit_text(report_template(draft.visit, draft.due, draft.existing))
    if body is None:
        raise CongtacError(_("the report was left empty or unchanged; nothing was recorded"))
    return body


def show_report(visit_id: int, *, json_: bool) -> None:
    from congtac12.render.json import visit_report_dict
    from congtac12.render.text import visit_report_lines
    from congtac12.services.reports import visit_report

    found = visit_report(db_path(), visit_id, notify=notice)
    if json_:
        print_json(visit_report_dict(found))
        return
    out = console()
    for line in visit_report_lines(found):
        out.print(line, markup=False)
    sys.stdout.flush()
    sys.stdout.write("\n" + found.text + "\n")


@guarded
def list_reports(
    cadre: Annotated[str | None, typer.Option("--cadre", help=_("Only this cadre (code or name)."))] = None,
    state: Annotated[
        str | None, typer.Option("--state", help=_("Only this state: on_time, late, pending or overdue."))
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", help=_("The day to look from (default: today)."))
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
    policy: PolicyOption = None,
    year: YearOption = None,
) -> None:
    """List each visit's result report: unit, last day, due day, report date and state, oldest overdue first.

    Lists the visits that owe a report (a day that counts, as in status: in the
    policy's window by --as-of, in the cadre's service and not on leave); a
    report dated after --as-of is not seen.

    Example: congtac12 reports --state overdue --as-of 13/11/2020
    """
    from congtac12.render.json import owed_reports_dict
    from congtac12.render.tables import owed_reports_table
    from congtac12.services.reports import owed_reports_of

    if state is not None:  # before the date, as before: the state is checked first
        from congtac12.domain.states import REPORT_STATES

        if state not in REPORT_STATES:
            raise InvalidInput(
                _("unknown state {state!r}; accepted: {accepted}").format(
                    state=state, accepted=", ".join(REPORT_STATES)
                )
            )
    day = parse_date(as_of, "--as-of") if as_of is not None else today()
    found = owed_reports_of(
        db_path(), as_of=day, cadre=cadre, state=state, policy_name=policy, year=year, notify=notice
    )
    if json_:
        print_json(owed_reports_dict(day, found.owed, found.rows))
    else:
        owed_reports_table(console(), day, found.owed, found.rows, cadre=found.cadre)
