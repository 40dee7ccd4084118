"""The web pages' reads in plain SQL (``store.read``) give what their ORM twins gave: the forms' choices
(the visit and plan forms), one visit (the visit edit and report forms), a cadre's visits with their
reports (``/cadre/{code}``). The twins below are those functions as they read through the ORM before;
nothing in the product calls them. On both backends, on a record with a deactivated cadre, a deleted
visit with its report, units of every level and names that sort only in Vietnamese order.
"""

from __future__ import annotations

from typing import Any

import pytest
from support import succeeded as ok

from congtac12.errors import NotFound
from congtac12.i18n import _

pytestmark = pytest.mark.both_backends

CADRES = [
    ("C01", "Nguyễn Văn An", "Ban Tổ chức"),
    ("C02", "Đặng Thị Bình", "Văn phòng"),
    ("C03", "Ân Văn Cường", "Ban Tổ chức"),
    ("C04", "Lê Thị Ánh", "Văn phòng"),  # deactivated below
    ("C05", "Nguyễn Văn Ân", "Ban Tuyên giáo"),
]
TRIPS = [
    # (cadre, unit, from, to, kind, report on)
    ("C01", "Ba Đình", "02/03/2020", "03/03/2020", "chuyen-de", "05/03/2020"),
    ("C01", "Đống Đa", "10/03/2020", "10/03/2020", "sinh-hoat", None),
    ("C01", "Hoàn Kiếm", "20/03/2020", "21/03/2020", "phoi-hop", "30/03/2020"),  # deleted below
    ("C02", "Đoàn phường Ô Chợ Dừa", "04/03/2020", "04/03/2020", "kiem-tra", "06/03/2020"),
    ("C04", "Gia Lâm", "01/04/2020", "02/04/2020", "chuyen-de", "03/04/2020"),
    ("C05", "Chi đoàn Ánh Dương", "15/04/2020", "15/04/2020", "sinh-hoat", None),
]


def build_record(cli) -> None:
    for code, name, dept in CADRES:
        ok(cli("cadre", "add", "--code", code, "--name", name, "--dept", dept))
    ok(cli("unit", "add", "--name", "Đoàn phường Ô Chợ Dừa", "--level", "co-so"))
    ok(cli("unit", "add", "--name", "Chi đoàn Ánh Dương", "--level", "co-so"))
    for n, (code, unit, start, end, kind, reported) in enumerate(TRIPS, 1):
        ok(cli("add-visit", "--cadre", code, "--unit", unit, "--from", start, "--to", end, "--kind", kind))
        if reported is not None:
            ok(cli("report", str(n), "--on", reported, "--text", f"Báo cáo đợt {n}: đã làm việc với đoàn viên"))
    ok(cli("delete-visit", "3"))
    ok(cli("cadre", "delete", "C04"))


@pytest.fixture
def record(built, db):
    built(build_record)
    return db


# --- the ORM twins ------------------------------------------------------------------


def orm_choices(target) -> Any:
    from congtac12.collation import name_key, sort_key
    from congtac12.services.visits import Choices
    from congtac12.store import queries
    from congtac12.store.engine import session

    with session(target, create=False) as s:
        cadres = [(c.code, c.name, c.department) for c in queries.cadres(s)]
        units = [u.name for u in queries.units(s)]
    return Choices(sorted(cadres, key=lambda c: name_key(c[1])), sorted(units, key=sort_key))


def orm_visit_of(target, visit_id: int) -> Any:
    from congtac12.store import queries
    from congtac12.store.engine import session

    with session(target, create=False) as s:
        rows = queries.visit_rows(s, visit_id=visit_id) if 0 < visit_id < 2**63 else []
    if not rows:
        raise NotFound(_("no visit {id}; see 'congtac12 visits' for the ids").format(id=visit_id))
    return rows[0]


def orm_visits_of(target, cadre: str) -> list[Any]:
    from congtac12.services.visits import VisitWithReport
    from congtac12.store import queries
    from congtac12.store.engine import session

    with session(target, create=False) as s:
        the_cadre = queries.find_cadre(s, cadre)
        rows = queries.visit_rows(s, cadre_id=the_cadre.id)
        texts = {r.id: rep.text for r in rows if r.reported_on is not None and (rep := queries.report_of(s, r.id))}
    return [VisitWithReport(r, texts.get(r.id)) for r in rows]


# --- the comparisons ----------------------------------------------------------------


def outcome(read: Any) -> Any:
    """What a read gives: its value, or the error it refuses with (its class and its line)."""
    from congtac12.errors import CongtacError

    try:
        return read()
    except CongtacError as exc:
        return type(exc).__name__, exc.message


def test_the_forms_choices_are_the_orms(record) -> None:
    from congtac12.services.visits import choices

    found = choices(record)
    assert found == orm_choices(record)
    assert "C04" not in [c[0] for c in found.cadres]  # deactivated: not offered
    assert [c[0] for c in found.cadres] == ["C01", "C05", "C02", "C03"]  # by given name: An, Ân, Bình, Cường
    assert {"Đoàn phường Ô Chợ Dừa", "Chi đoàn Ánh Dương"} <= set(found.units)


def test_one_visit_is_the_orms_and_one_not_to_edit_is_not_found_alike(record) -> None:
    from congtac12.services.visits import visit_of

    for visit_id in (*range(1, len(TRIPS) + 1), 99, 0, -1, 2**63):
        assert outcome(lambda v=visit_id: visit_of(record, v)) == outcome(lambda v=visit_id: orm_visit_of(record, v))
    assert visit_of(record, 1).unit == "Quận đoàn Ba Đình" and visit_of(record, 4).cadre_code == "C02"
    for visit_id in (3, 5, 99, 0, -1, 2**63):  # deleted; a deactivated cadre's; none
        with pytest.raises(NotFound, match=f"^no visit {visit_id}; see 'congtac12 visits' for the ids$"):
            visit_of(record, visit_id)


@pytest.mark.parametrize(
    "cadre", ["C01", "C02", "C03", "C04", "C05", "nguyen van an", "Đặng Thị Bình", "ân văn", "nobody at all", ""]
)
def test_a_cadres_visits_with_their_reports_are_the_orms(record, cadre: str) -> None:
    from congtac12.services.visits import visits_of

    found = outcome(lambda: visits_of(record, cadre=cadre))
    assert found == outcome(lambda: orm_visits_of(record, cadre))
    if cadre == "C01":
        assert [(v.row.id, v.report) for v in found] == [
            (1, "Báo cáo đợt 1: đã làm việc với đoàn viên"),
            (2, None),
        ]  # visit 3 deleted, with its report
    if cadre == "C04":
        assert [(v.row.id, v.report) for v in found] == [(5, "Báo cáo đợt 5: đã làm việc với đoàn viên")]
    if cadre == "nguyen van an":
        assert found[0] == "Ambiguous" and "matches 2" in found[1]
    if cadre == "nobody at all":
        assert found[0] == "NotFound"
