"""The checks of each table of an import (a part of ``importer.Import``), and the rows they read.

Each ``_check_<table>`` takes the rows read for its table, keeps an error for each
refused value (``fail``), skips what is already recorded or repeated (``same``),
and collects what is new for ``import_write``. A row that names a refused row
(a visit of a refused cadre, a report of a refused visit, a unit under a refused
parent) is left out without an error of its own: it is a knock-on error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from congtac12.dates import show
from congtac12.errors import CongtacError, InvalidInput, NotFound
from congtac12.exchange import spec
from congtac12.exchange.files import SourceTable
from congtac12.i18n import _
from congtac12.store import validate as commands  # the validators, where no ORM is loaded
from congtac12.store.import_fast import PlainRows
from congtac12.store.import_lean import plain_report, plain_visit
from congtac12.text import fold

if TYPE_CHECKING:
    from collections.abc import Mapping, Set
    from datetime import date

    from congtac12.store.importer import TableCount


@dataclass(slots=True)
class Row:
    """One row of a file, typed, with where each of its values came from (slots: one per row of a file)."""

    source: SourceTable
    number: int
    values: dict[str, Any]
    positions: dict[str, int]
    table: spec.Table
    cells: Sequence[Any] = ()

    def where(self, key: str | None = None) -> str:
        column = self.positions.get(key) if key is not None else None
        return self.source.where(self.number, column)

    def raw(self, key: str) -> Any:
        position = self.positions.get(key)
        return self.cells[position] if position is not None and position < len(self.cells) else None

    def label(self, key: str) -> str:
        """The column's header as the file spells it (for messages)."""
        position = self.positions.get(key)
        if position is None:
            return self.table.column(key).header
        return str(self.source.headers[position])


@dataclass(frozen=True)
class Ref:
    """A cadre or unit that a row may name: recorded (id) or new in this import (row)."""

    key: str
    names: tuple[str, ...]
    label: str
    id: int | None = None
    row: Row | None = None


@dataclass
class NewUnit:
    row: Row
    name: str
    level: str
    parent: Ref | None = None


class ImportParts(Protocol):
    """What every part mixed into ``importer.Import`` (the reading of rows, the per-table checks, the
    plans' check) uses of it: keeping an error, finding the cadre or unit a row names, and telling a
    row that adds nothing."""

    def fail(
        self,
        exc: CongtacError,
        row: Row | None = None,
        key: str | None = None,
        *,
        source: SourceTable | None = None,
        number: int = 0,
        position: int | None = None,
        value: Any = None,
    ) -> None: ...

    def _find(self, what: str, row: Row, key: str) -> Ref | None: ...

    def same(
        self,
        table: str,
        key: Any,
        row: Row,
        fields: Sequence[str],
        values: tuple[Any, ...],
        recorded: tuple[Any, ...] | None,
        first: tuple[Any, ...] | None,
    ) -> bool: ...


class _Tables(ImportParts, Protocol):
    """What the per-table checks use of ``importer.Import``, the one class that mixes them in."""

    new_units: dict[str, NewUnit]
    _found: dict[str, dict[str, Ref]]
    seen: dict[str, dict[Any, tuple[SourceTable, int]]]

    @property
    def settings(self) -> Mapping[str, Any]: ...
    @property
    def units(self) -> Mapping[str, Ref]: ...
    @property
    def unit_rows(self) -> Mapping[int, tuple[str, str, int | None]]: ...
    @property
    def cadres(self) -> Mapping[str, Ref]: ...
    @property
    def cadre_rows(self) -> Mapping[str, tuple[Any, ...]]: ...
    @property
    def deactivated(self) -> Set[str]: ...
    @property
    def leave(self) -> Set[Any]: ...
    @property
    def visits(self) -> Mapping[tuple[Any, ...], tuple[int, str | None, str | None, bool]]: ...
    @property
    def reports(self) -> Mapping[tuple[Any, ...], tuple[date, str]]: ...
    @property
    def counts(self) -> dict[str, TableCount]: ...
    @property
    def new_settings(self) -> dict[str, str]: ...
    @property
    def new_cadres(self) -> dict[str, dict[str, Any]]: ...
    @property
    def new_leave(self) -> dict[tuple[Any, ...], Row]: ...
    @property
    def new_visits(self) -> dict[tuple[Any, ...], tuple[str | None, str | None, bool]]: ...
    @property
    def new_reports(self) -> dict[tuple[Any, ...], tuple[Any, str]]: ...

    def refused_visits(self) -> list[tuple[Any, ...]]: ...
    def _check_version(self, row: Row, value: str) -> None: ...
    def _order_new_units(self) -> None: ...
    def _visit_key(self, row: Row) -> tuple[Any, ...] | None: ...
    def _refused_visit(self, key: tuple[Any, ...]) -> bool: ...


class TableChecks(PlainRows):
    """The per-table checks of ``importer.Import`` (which holds the state they use); the visits'
    and reports' tables are read by ``PlainRows``, which checks their plain rows itself and hands
    every other row to ``_check_visit`` and ``_check_report``."""

    # -- settings -------------------------------------------------------------

    def _check_settings(self: _Tables, rows: list[Row]) -> None:
        for row in rows:
            key = str(row.values["key"]).strip().lower()
            value = str(row.values["value"]).strip()
            if key not in spec.SETTING_KEYS:
                self.fail(
                    InvalidInput(
                        _("unknown setting {key!r}; accepted: {keys}").format(
                            key=row.values["key"], keys=", ".join(spec.SETTING_KEYS)
                        )
                    ),
                    row,
                    "key",
                )
                continue
            if key == "format_version":
                self._check_version(row, value)
                continue
            try:
                value = _setting_value(key, value)
            except CongtacError as exc:
                self.fail(exc, row, "value")
                continue
            recorded = (self.settings[key],) if key in self.settings else None
            first = (self.new_settings[key],) if key in self.new_settings else None
            if self.same("settings", key, row, ("value",), (value,), recorded, first):
                continue
            self.new_settings[key] = value
            self.counts["settings"].added += 1

    def _check_version(self: _Tables, row: Row, value: str) -> None:
        if not value.isdigit() or not 1 <= int(value) <= 10**6:
            self.fail(
                InvalidInput(
                    _("format_version {version!r} is not valid; accepted: 1 to {latest}").format(
                        version=value, latest=spec.FORMAT_VERSION
                    )
                ),
                row,
                "value",
            )
        elif int(value) > spec.FORMAT_VERSION:
            self.fail(
                InvalidInput(
                    _("format_version {version}, newer than this congtac12 reads ({latest}); upgrade congtac12").format(
                        version=value, latest=spec.FORMAT_VERSION
                    )
                ),
                row,
                "value",
            )

    # -- units ----------------------------------------------------------------

    def _check_units(self: _Tables, rows: list[Row]) -> None:
        checked: list[tuple[Row, str, str, str | None]] = []
        for row in rows:
            v = row.values
            try:
                name = commands.check_unit(name=v["name"], level=v["level"])
            except CongtacError as exc:
                self.fail(exc, row)
                continue
            key = fold(name)
            if key not in self.units and key not in self.new_units:
                self.new_units[key] = NewUnit(row, name, v["level"])
            checked.append((row, key, v["level"], v["parent"]))
        # Parents are resolved once every unit of the file is known: a parent may come later.
        first: dict[str, tuple[Any, ...]] = {}
        for row, key, level, parent_text in checked:
            parent: Ref | None = None
            if parent_text is not None:
                parent = self._find("unit", row, "parent")
                if parent is None:
                    continue
                if parent.key == key:
                    self.fail(InvalidInput(_("a unit cannot be its own parent")), row, "parent")
                    continue
            values = (level, parent.label if parent else None)
            recorded = None
            if key in self.units:
                unit_id = self.units[key].id
                assert unit_id is not None  # self.units holds the recorded units only (_load), each with its id
                _name, rec_level, rec_parent = self.unit_rows[unit_id]
                recorded = (rec_level, self.unit_rows[rec_parent][0] if rec_parent else None)
            if not self.same("units", key, row, ("level", "parent"), values, recorded, first.get(key)):
                self.new_units[key].parent = parent
                first[key] = values
        self._order_new_units()

    def _order_new_units(self: _Tables) -> None:
        """New units, parents first; a loop of parents among them is an error (once per loop)."""
        ordered: dict[str, NewUnit] = {}
        visiting: set[str] = set()
        failed: set[str] = set()

        def visit(key: str, unit: NewUnit) -> bool:
            if key in ordered:
                return True
            if key in failed:
                return False
            if key in visiting:
                self.fail(
                    InvalidInput(_("the parents of units {name!r} form a loop").format(name=unit.name)),
                    unit.row,
                    "parent",
                )
                failed.update(visiting)
                return False
            visiting.add(key)
            parent = unit.parent
            if parent is not None and parent.id is None and parent.key in self.new_units:
                if not visit(parent.key, self.new_units[parent.key]):
                    visiting.discard(key)
                    failed.add(key)
                    return False
            visiting.discard(key)
            ordered[key] = unit
            return True

        for key, unit in list(self.new_units.items()):
            visit(key, unit)
        self.new_units = ordered
        self.counts["units"].added = len(ordered)

    # -- cadres and their leave ------------------------------------------------

    def _check_cadres(self: _Tables, rows: Iterable[Row]) -> None:
        fields = ("name", "department", "email", "subject", "joined", "left", "active")
        for row in rows:
            v = row.values
            checked: dict[str, Any] = {}
            # Each field on its own, so that two bad cells of a row are two errors.
            for key, position in (("code", 0), ("name", 1), ("department", 2), ("email", 3)):
                fields_of = {"code": "X", "name": "-", "department": "-", "email": None, key: v[key]}
                try:
                    checked[key] = commands.check_cadre(**fields_of)[position]
                except CongtacError as exc:
                    self.fail(exc, row, key)
            try:
                commands.check_service(v["joined"], v["left"])
            except CongtacError as exc:
                self.fail(exc, row, "left")
                continue
            if len(checked) < 4:
                continue
            key = checked["code"].lower()
            values = (
                checked["name"],
                checked["department"],
                checked["email"],
                bool(v["subject"]),
                v["joined"],
                v["left"],
                bool(v["active"]),
            )
            first = self.new_cadres.get(key)
            first_values = tuple(first[f] for f in fields) if first else None
            if self.same("cadres", key, row, fields, values, self.cadre_rows.get(key), first_values):
                continue
            self.new_cadres[key] = {"row": row, "code": checked["code"], **dict(zip(fields, values, strict=True))}
            self.counts["cadres"].added += 1

    def _check_leave(self: _Tables, rows: Iterable[Row]) -> None:
        for row in rows:
            v = row.values
            if v["end"] < v["start"]:
                self.fail(
                    InvalidInput(
                        _(
                            "{last_label} {end} is before {first_label} {start}; the last day must be on or after the first"
                        ).format(
                            last_label=row.label("end"),
                            end=show(v["end"]),
                            first_label=row.label("start"),
                            start=show(v["start"]),
                        )
                    ),
                    row,
                    "end",
                )
                continue
            cadre = self._find("cadre", row, "cadre")
            if cadre is None:
                continue
            key = (cadre.key, v["start"], v["end"], v["reason"])
            recorded = () if key in self.leave else None
            first = () if key in self.new_leave else None
            if self.same("leave", key, row, (), (), recorded, first):
                continue
            self.new_leave[key] = row
            self.counts["leave"].added += 1

    # -- visits and reports ---------------------------------------------------

    def _visit_key(self: _Tables, row: Row) -> tuple[Any, ...] | None:
        v = row.values
        end = v["end"] if v["end"] is not None else v["start"]
        # the common case, a name already resolved, without the call
        cadre = self._found["cadre"].get(v["cadre"]) or self._find("cadre", row, "cadre")
        unit = self._found["unit"].get(v["unit"]) or self._find("unit", row, "unit")
        if cadre is None or unit is None:
            return None
        return (cadre.key, unit.key, v["start"], end, v["kind"])

    def _check_visit(self: _Tables, row: Row) -> None:
        """One visit row, typed: refused (an error), already there (counted), or new (kept)."""
        v = row.values
        end = v["end"] if v["end"] is not None else v["start"]
        topic, order_no = v["topic"], v["order_no"]
        if not plain_visit(v["start"], end, v["kind"], topic, order_no):  # else: as check_visit gives them
            try:
                topic, order_no = commands.check_visit(
                    start=v["start"],
                    end=end,
                    kind=v["kind"],
                    topic=topic,
                    order_no=order_no,
                    labels=(row.label("start"), row.label("end")),
                )
            except CongtacError as exc:
                self.fail(exc, row)
                self._visit_key(row)  # the cadre and unit are errors of their own, if wrong too
                return
        key = self._visit_key(row)
        if key is None:
            return
        recorded = self.visits.get(key)
        if recorded is None and key[0] in self.deactivated:  # as add-visit refuses it
            ref = self.cadres[key[0]]
            self.fail(commands.deactivated(ref.names[0], ref.names[1], _("record visits")), row, "cadre")
            return
        first = self.new_visits.get(key)
        values = (topic, order_no, bool(v["deleted"]))
        if recorded is None and first is None:  # new: as ``same`` answers it, without the call
            self.seen["visits"][key] = (row.source, row.number)
        elif self.same(
            "visits",
            key,
            row,
            ("topic", "order_no", "deleted"),
            values,
            recorded[1:] if recorded else None,
            first,
        ):
            return
        self.new_visits[key] = values  # topic, order_no, deleted
        self.counts["visits"].added += 1

    def _refused_visit(self: _Tables, key: tuple[Any, ...]) -> bool:
        """Could a refused visit row be the visit of this key? (what it said agrees with the key)"""
        return any(
            all(part is None or part == mine for part, mine in zip(said, key, strict=True))
            for said in self.refused_visits()
        )

    def _check_report(self: _Tables, row: Row) -> None:
        """One report row, typed: refused (an error, unless its visit's row was), already there
        (counted), or new (kept)."""
        v = row.values
        key = self._visit_key(row)
        if key is None:
            return
        if key not in self.visits and key not in self.new_visits:
            if not self._refused_visit(key):
                self.fail(
                    NotFound(
                        _(
                            "no visit of {cadre} to {unit} from {start} to {end} ({kind}) is recorded or imported; a report needs its visit"
                        ).format(
                            cadre=v["cadre"],
                            unit=v["unit"],
                            start=show(key[2]),
                            end=show(key[3]),
                            kind=key[4],
                        )
                    ),
                    row,
                )
            return
        text = v["text"] or ""
        if not plain_report(v["reported_on"], key[3], text):  # else: as check_report gives it
            try:
                text = commands.check_report(on=v["reported_on"], visit_end=key[3], text=text)
            except CongtacError as exc:
                self.fail(exc, row)
                return
        first = self.new_reports.get(key)
        recorded = self.reports.get(key)
        if recorded is None and first is None:  # new: as ``same`` answers it, without the call
            self.seen["reports"][key] = (row.source, row.number)
        elif self.same("reports", key, row, ("reported_on", "text"), (v["reported_on"], text), recorded, first):
            return
        self.new_reports[key] = (v["reported_on"], text)
        self.counts["reports"].added += 1


def _setting_value(key: str, value: str) -> str:
    """A setting's value as 'config set' would store it, or the error it would give."""
    if key == "lang":
        from congtac12.i18n import LANGUAGES, normalise

        lang = normalise(value)
        if lang is None:
            raise InvalidInput(
                _("unknown language {lang!r}; accepted: {accepted}").format(lang=value, accepted=", ".join(LANGUAGES))
            )
        return lang
    if key in spec.ISSUER_KEYS:
        return spec.issuer_text(key, value)
    from congtac12.policies import load_policy

    load_policy(value)  # refuses an unknown id or an invalid file, naming what is wrong
    return value


__all__ = ["NewUnit", "Ref", "Row", "Sequence", "SourceTable", "TableChecks", "Any"]
