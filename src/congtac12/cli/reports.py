"""``congtac12 report``: the result report (báo cáo kết quả) of a visit."""

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from congtac12.cli.common import console, guarded, parse_date, session, today
from congtac12.errors import InvalidInput

MAX_FILE_BYTES = 1_000_000


def read_report_file(path: Path) -> str:
    """A report's text from a file: UTF-8 text of at most MAX_FILE_BYTES."""
    try:
        if not path.is_file():
            raise InvalidInput(f"--file {path} is not a file; accepted: a UTF-8 text file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidInput(f"--file {path} is larger than {MAX_FILE_BYTES:,} bytes; accepted: a text file up to that size")
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read --file {path}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"--file {path} is not UTF-8 text; accepted: a UTF-8 text file") from None
    if "\x00" in text:
        raise InvalidInput(f"--file {path} is not a text file (it holds NUL bytes)")
    return text


@guarded
def report(
    visit_id: Annotated[int, typer.Argument(metavar="VISIT_ID", help="The visit's id (see 'congtac12 visits').")],
    on: Annotated[Optional[str], typer.Option("--on", metavar="DATE", help="The report's date (default: today).")] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="The report's text.")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", metavar="PATH", help="Read the text from a UTF-8 file.")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the visit's existing report.")] = False,
) -> None:
    """Record the result report of a visit. Without --text or --file, the text is read from standard input when it is not a terminal.

    Example: congtac12 report 7 --on 12/03/2020 --text "Đã khảo sát tình hình đoàn viên"
    """
    from congtac12.policies import load_policy
    from congtac12.rules import report_state
    from congtac12.store import commands

    if text is not None and file is not None:
        raise InvalidInput("give --text or --file, not both")
    reported_on = parse_date(on, "--on") if on is not None else today()
    if file is not None:
        body = read_report_file(file)
    elif text is not None:
        body = text
    elif not sys.stdin.isatty():
        body = sys.stdin.read()
    else:
        body = ""
    policy = load_policy()
    with session(write=True) as s:
        rep, visit, replaced = commands.add_report(
            s, visit_id=visit_id, on=reported_on, text=body, replace=replace
        )
    due = policy.report_due(visit.end)
    state = report_state(due, rep.reported_on, rep.reported_on)
    late = (rep.reported_on - due).days
    verdict = "on time" if state == "on_time" else f"late by {late} day(s)"
    verb = "Replaced" if replaced else "Recorded"
    console().print(
        f"{verb} the report of visit {visit.id}, dated {rep.reported_on.isoformat()}: {verdict} "
        f"(due {due.isoformat()}).",
        markup=False,
    )
