"""``congtac12 export`` and ``congtac12 import``: everything out to JSON, CSV or XLSX, and back in."""

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from congtac12.cli.common import console, db_path, error, guarded, notice, print_json, today
from congtac12.errors import InvalidInput
from congtac12.i18n import _

if TYPE_CHECKING:
    from collections.abc import Iterator

FORMATS = ("json", "csv", "xlsx")
PROGRESS_MIN_ROWS = 300  # a bar only where a wait can be felt


def output_format(format_: str | None, out: Path, accepted: tuple[str, ...] = FORMATS) -> str:
    """--format, else guessed from --out's suffix (.json, .xlsx, .csv; no suffix: a CSV folder)."""
    if format_ is None:
        suffix = out.suffix.lower().lstrip(".")
        if suffix in accepted:
            return suffix
        if "csv" in accepted and not suffix:
            return "csv"
        raise InvalidInput(
            _("cannot tell the format from --out {path}; give --format {formats}").format(
                path=out, formats="|".join(accepted)
            )
        )
    fmt = format_.strip().lower()
    if fmt not in accepted:
        raise InvalidInput(
            _("unknown --format {format!r}; accepted: {formats}").format(format=format_, formats=", ".join(accepted))
        )
    return fmt


def write_sheets(fmt: str, out: Path, sheets: list[Any], *, force: bool) -> None:
    """Write sheets in one of the formats (a CSV export is a folder, one file per sheet)."""
    from congtac12.exchange import files

    files.check_target(out, folder=fmt == "csv", force=force)
    if fmt == "json":
        files.write_json(out, sheets)
    elif fmt == "xlsx":
        files.write_xlsx(out, sheets, yes_no=files.XLSX_YES_NO)
    else:
        files.write_csv_folder(out, sheets)


@guarded
def export(
    out: Annotated[Path, typer.Option("--out", metavar="PATH", help=_("The file to write (a folder for csv)."))],
    format_: Annotated[
        str | None, typer.Option("--format", help=_("json, csv or xlsx (default: from the --out suffix)."))
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Overwrite what is at --out."))] = False,
) -> None:
    """Export everything to JSON, a folder of CSV files, or an Excel workbook.

    Settings, units, cadres (service period, active or not), leave, visits (deleted ones
    marked) and reports; files readable by their owner only. The history stays in the database.

    Example: congtac12 export --format xlsx --out congtac12-2020.xlsx
    """
    from congtac12.cli.common import reader
    from congtac12.store.read.exchange import export_sheets

    fmt = output_format(format_, out)
    with reader() as r:  # plain SQL (store.read), no ORM
        sheets = export_sheets(r, spreadsheet=fmt == "xlsx")
    write_sheets(fmt, out, sheets, force=force)
    from congtac12.domain.fields import entity_count

    counts = ", ".join(entity_count(sh.name, len(sh.rows)) for sh in sheets)
    console().print(
        _("Exported {counts} to {path} ({format}).").format(counts=counts, path=out, format=fmt),
        markup=False,
        soft_wrap=True,
    )


class _Bar:
    """Import progress as a Rich bar on stderr (only where stderr is a terminal)."""

    def __init__(self, progress: Any) -> None:
        self.progress = progress
        self.task = None
        self.total = 0

    def start(self, what: str, total: int) -> None:
        if self.task is not None:  # the previous phase is done
            self.progress.update(self.task, completed=self.total)
        self.task = self.progress.add_task(what, total=total)
        self.total = total

    def advance(self, n: int = 1) -> None:
        self.progress.advance(self.task, n)


@contextmanager
def progress_bar(rows: int) -> "Iterator[Any]":
    if rows <= PROGRESS_MIN_ROWS:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    err = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=False,
    ) as progress:
        yield _Bar(progress)


@contextmanager
def _no_cycle_collection() -> "Iterator[None]":
    """Python's cycle collector paused while an import runs: it reads, checks and writes a few
    million objects that all live until the end (the rows), and the collector would walk them
    again and again (a second of 100,000 visits) to find almost nothing. Memory stays bounded:
    what is let go without a cycle is freed at once, as always."""
    import gc

    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@guarded
def import_(
    path: Annotated[
        Path, typer.Argument(metavar="PATH", help=_("A .json, .csv or .xlsx file, or a folder of .csv files."))
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Check everything, write nothing."))] = False,
    json_: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """Import a JSON, CSV or Excel file: every row checked first, then all written or none.

    Headers may be English or Vietnamese (Mã, Họ và tên, Ban; Đơn vị, Cấp; Từ ngày, Đến ngày, Nội dung…);
    rows already recorded are skipped, so importing a file twice adds nothing the second time.

    Example: congtac12 import examples/roster-and-season-2020.xlsx
    """
    from congtac12.exchange.files import read_path

    with _no_cycle_collection():
        sources = read_path(path)
        rows = sum(len(src.rows) for src in sources)
        result = _import(path, sources, rows, dry_run=dry_run, json_=json_)
    for note in result.ignored:
        sys.stderr.write(_("Note: ignored {what}").format(what=note) + "\n")
    if json_:
        from congtac12.render.json import import_dict  # the rules' renderers: only for --json

        print_json(import_dict(path, result))
        return
    console().print(import_summary(path, result), markup=False, soft_wrap=True)


def _import(path: Path, sources: list[Any], rows: int, *, dry_run: bool, json_: bool) -> Any:
    """Check and (unless ``dry_run``) write ``sources`` in one transaction; the result, or exit
    with the errors (all of them as data with ``--json``)."""
    from congtac12.errors import CongtacError, ManyErrors
    from congtac12.store.exchange import import_tables
    from congtac12.store.write.connect import writing

    target = db_path()
    new = not dry_run and isinstance(target, Path) and not target.exists()
    try:
        # On the driver's connection (store.write), as engine.session would open it: no ORM.
        with progress_bar(rows) as bar, writing(target, write=not dry_run, notify=notice) as db:
            return import_tables(db, sources, today=today(), progress=bar, write=not dry_run)
    except CongtacError as exc:
        if new:  # refused: the database this import made goes too, so that nothing is left
            from congtac12.store.engine import forget_new

            forget_new(target)
        if json_ and isinstance(exc, ManyErrors):  # every error as data; stderr keeps the closing line
            print_json({"path": str(path), "written": False, "errors": exc.details, "count": len(exc.details)})
            error(exc.summary)
            raise typer.Exit(exc.exit_code) from None
        raise


def import_summary(path: Path, result: Any) -> str:
    """ "Imported PATH: 61 units added, 30 already recorded; 1,000 cadres added; …" — or that nothing was new.

    Each table's first count names what it counts ("1 cadre", "61 units"); the others follow it.
    """
    from congtac12.domain.fields import entity_count
    from congtac12.render.formats import integer

    parts = []
    for name, c in result.counts.items():
        bits: list[str] = []
        for n, message in (
            (c.added, _("{n} added")),
            (c.present, _("{n} already recorded")),
            (c.repeated, _("{n} repeated in the file")),
        ):
            if n:
                bits.append(message.format(n=integer(n) if bits else entity_count(name, n)))
        if bits:
            parts.append(", ".join(bits))
    detail = "; ".join(parts) or _("no rows")
    if not result.written:
        return _("Checked {path}, nothing written (--dry-run): {detail}.").format(path=path, detail=detail)
    if result.added == 0:
        return _("Nothing new in {path}: every row is already recorded ({detail}).").format(path=path, detail=detail)
    return _("Imported {path}: {detail}.").format(path=path, detail=detail)
