"""``summarize`` against brute force (hypothesis): the period's figures are the days ``count_visit``
counts, cut to the period, a day once per cadre; the states and reports those of ``evaluate``.

``summarize`` skips the visits that do not touch the period before counting them and merges
each cadre's days once: this checks that it still gives, department by department and in
total, what counting every visit day by day gives.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from congtac12.domain.counting import count_visit, evaluate
from congtac12.domain.facts import CadreFacts, LeaveFacts, ReportFacts, VisitFacts
from congtac12.domain.states import REPORT_STATES, STATES
from congtac12.domain.summary import UnitFacts, summarize
from congtac12.domain.vocab import KINDS, LEAVE_REASONS
from congtac12.policies import load_policy

POLICY = load_policy()  # the 2020 window, 1 March to 31 December
CODES = ("A", "B", "C")
DEPARTMENTS = {"A": "Ban Tổ chức", "B": "Ban Tổ chức", "C": "Văn phòng"}
FIRST, LAST = date(2020, 2, 1), date(2021, 1, 31)  # a little beyond the window on both sides
UNITS = [UnitFacts(1, "Huyện đoàn Ba Vì", "huyen"), UnitFacts(2, "Đoàn xã Tản Lĩnh", "co-so", 1)]
dates = st.dates(min_value=FIRST, max_value=LAST)


@st.composite
def records(draw):
    cadres = []
    for code in CODES:
        joined, left = draw(st.none() | dates), draw(st.none() | dates)
        if joined is not None and left is not None and left < joined:
            joined, left = left, joined
        spells = draw(
            st.lists(st.tuples(dates, st.integers(0, 30), st.sampled_from(sorted(LEAVE_REASONS))), max_size=2)
        )
        leave = tuple(LeaveFacts(i, a, a + timedelta(days=n), r) for i, (a, n, r) in enumerate(spells, 1))
        cadres.append(CadreFacts(code, f"Cán bộ {code}", DEPARTMENTS[code], draw(st.booleans()), joined, left, leave))
    visits, reports, unit_of = [], [], {}
    for i in range(1, draw(st.integers(0, 14)) + 1):
        start = draw(dates)
        end = start + timedelta(days=draw(st.integers(0, 40)))
        visits.append(VisitFacts(i, draw(st.sampled_from(CODES)), start, end, draw(st.sampled_from(sorted(KINDS)))))
        unit_of[i] = draw(st.sampled_from([1, 2]))
        if draw(st.booleans()):
            reports.append(ReportFacts(i, end + timedelta(days=draw(st.integers(0, 20)))))
    return cadres, visits, reports, unit_of


def counted_days(visit, cadre, as_of, first, last) -> set[date]:
    counted = count_visit(visit, cadre, POLICY, as_of)
    days: set[date] = set()
    for a, b in counted.pieces if counted is not None else []:
        days |= {a + timedelta(days=n) for n in range((b - a).days + 1) if first <= a + timedelta(days=n) <= last}
    return days


@settings(max_examples=300, deadline=None)
@given(records(), dates, st.data())
def test_summary_equals_counting_every_visit_day_by_day(record, as_of, data) -> None:
    cadres, visits, reports, unit_of = record
    # the period's edges often on a visit's first or last day (or the day beside it), where a cut can slip
    edges = sorted({d + timedelta(days=k) for v in visits for d in (v.start, v.end) for k in (-1, 0, 1)})
    edge = st.sampled_from(edges) | dates if edges else dates
    a, b = data.draw(edge), data.draw(edge)
    first, last = min(a, b), max(a, b)
    sm = summarize(POLICY, cadres, visits, reports, UNITS, unit_of, first=first, last=last, as_of=as_of)
    ev = {c.code: c for c in evaluate(POLICY, cadres, visits, reports, as_of).cadres}
    first, last = max(first, POLICY.window_start), min(last, POLICY.window_end)
    by_code = {c.code: c for c in cadres}
    days = {code: set() for code in CODES}
    kind_days = {(code, k): set() for code in CODES for k in KINDS}
    trips = 0
    for v in visits:
        got = counted_days(v, by_code[v.cadre], as_of, first, last)
        trips += bool(got)
        days[v.cadre] |= got
        kind_days[(v.cadre, v.kind)] |= got
    assert sm.trips == trips
    for figures in (*sm.departments, sm.total):
        members = [c for c in cadres if figures.department in ("", c.department)]
        codes = [c.code for c in members]
        assert figures.cadres == len(members)
        assert figures.subject == sum(c.subject for c in members)
        assert figures.days == sum(len(days[c]) for c in codes)
        assert figures.days_by_kind == {k: sum(len(kind_days[(c, k)]) for c in codes) for k in KINDS}
        assert figures.days_so_far == sum(ev[c].days for c in codes)
        in_state = Counter(ev[c].state for c in codes)
        assert figures.states == {s: in_state[s] for s in STATES}
        assert figures.reports == {r: sum(getattr(ev[c].reports, r) for c in codes) for r in REPORT_STATES}
    assert [f.department for f in sm.departments] == ["Ban Tổ chức", "Văn phòng"]
