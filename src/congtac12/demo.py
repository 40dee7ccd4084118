"""The deterministic demo roster: a Thành đoàn Hà Nội agency in 2020.

34 cadres over seven Bans and the Văn phòng, with trips from March to
December 2020 and their reports, built so that as of 13/11/2020 (the source's
date) the status shows every in-window state — met, on track, behind (short
of days, a late report, an overdue report) and not subject — and as of
31/12/2020 both met and not met. Same input, same database, every time.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from congtac12.errors import DatabaseError
from congtac12.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

DEMO_MARKER = "demo"
AS_OF = date(2020, 11, 13)
_SEASON_START = date(2020, 3, 2)
_SEASON_END = date(2020, 11, 10)  # trips up to this day are seen as of 13/11
_LATE_START = date(2020, 11, 16)
_LATE_END = date(2020, 12, 29)

DEPARTMENTS = (
    "Văn phòng",
    "Ban Tổ chức – Kiểm tra",
    "Ban Tuyên giáo",
    "Ban Công nhân lao động và Đô thị",
    "Ban Thanh niên Nông thôn",
    "Ban Thanh niên Trường học",
    "Ban Công tác Thiếu nhi",
    "Ban Đoàn kết tập hợp thanh niên",
)

NAMES = (
    "Nguyễn Văn An",
    "Đặng Thị Đào",
    "Trần Minh Đức",
    "Lê Thị Hồng Nhung",
    "Phạm Quang Huy",
    "Hoàng Thị Thu Trang",
    "Vũ Đức Thắng",
    "Đỗ Thị Mai Anh",
    "Bùi Tiến Dũng",
    "Ngô Thị Hạnh",
    "Dương Văn Khánh",
    "Lý Thị Ngọc Ánh",
    "Phan Thanh Tùng",
    "Trịnh Thị Lan",
    "Đinh Công Sơn",
    "Nguyễn Thị Hà",
    "Tạ Quốc Bảo",
    "Lương Thị Thùy Linh",
    "Hồ Sỹ Tuấn",
    "Kiều Thị Yến",
    "Mai Xuân Trường",
    "Chu Thị Phương",
    "Đoàn Văn Hiếu",
    "Cao Thị Minh Nguyệt",
    "Nguyễn Hữu Long",
    "Vương Thị Ngân",
    "Lại Văn Toàn",
    "Quách Thị Diệu",
    "Tô Hoài Nam",
    "Âu Thị Kim Oanh",
    "Nguyễn Văn Anh",
    "Đặng Văn Đạo",
    "Phùng Thị Thảo",
    "Triệu Văn Lực",
)

# Base-level unions and branches added to the 30 district unions of a new database.
BASE_UNITS = (
    ("Đoàn phường Phúc Xá", "co-so", "Quận đoàn Ba Đình"),
    ("Đoàn phường Hàng Bạc", "co-so", "Quận đoàn Hoàn Kiếm"),
    ("Đoàn trường THPT Chu Văn An", "co-so", "Quận đoàn Tây Hồ"),
    ("Đoàn xã Bát Tràng", "co-so", "Huyện đoàn Gia Lâm"),
    ("Đoàn xã Đông Dư", "co-so", "Huyện đoàn Gia Lâm"),
    ("Đoàn Khu công nghiệp Thăng Long", "co-so", "Huyện đoàn Đông Anh"),
    ("Chi đoàn thôn Đông Dư Hạ", "chi-doan", "Đoàn xã Đông Dư"),
    ("Chi đoàn tổ dân phố số 5 Phúc Xá", "chi-doan", "Đoàn phường Phúc Xá"),
    ("Chi đoàn lớp 12A1 THPT Chu Văn An", "chi-doan", "Đoàn trường THPT Chu Văn An"),
)

TOPICS = {
    "chuyen-de": (
        "Khảo sát tình hình đoàn viên thanh niên công nhân",
        "Tìm hiểu tâm tư, nguyện vọng thanh niên nông thôn",
        "Khảo sát việc thu thập dữ liệu Bản đồ số",
        "Nắm tình hình thanh niên trên địa bàn dân cư",
    ),
    "phoi-hop": (
        "Tháng Thanh niên 2020",
        "Ngày Chủ nhật xanh",
        "Thứ Bảy tình nguyện",
        "Thu thập dữ liệu Bản đồ số",
        "Đại hội Cháu ngoan Bác Hồ",
        "Ngày đoàn viên",
    ),
    "kiem-tra": (
        "Kiểm tra công tác đoàn viên theo kế hoạch của Ban Thường vụ",
        "Giám sát thu, nộp đoàn phí",
        "Kiểm tra việc thực hiện Chỉ thị 42",
    ),
    "sinh-hoat": (
        "Dự sinh hoạt chuyên đề Ban Chấp hành",
        "Dự sinh hoạt chi đoàn định kỳ",
        "Dự sinh hoạt chuyên đề Ban Thường vụ",
    ),
}


@dataclass(frozen=True)
class Profile:
    """Days by kind up to 10/11, days after 13/11, and report mishaps."""

    before: tuple[int, int, int, int]  # sinh-hoat, chuyen-de, phoi-hop, kiem-tra
    after: tuple[int, int, int, int] = (0, 0, 0, 0)
    late: bool = False  # one report written 15 days after the trip
    overdue: bool = False  # one report never written
    subject: bool = True


P_EXAMPLE = Profile((24, 12, 20, 5), (2, 1, 1, 0))  # 61 days: the C01
P_MET = Profile((26, 13, 15, 8), (3, 1, 2, 0))  # 62
P_MET_2 = Profile((28, 15, 14, 9), (2, 1, 1, 0))  # 66
P_ON_TRACK = Profile((22, 11, 12, 7), (4, 2, 3, 1))  # 52, 62 by 31/12: met
P_ON_TRACK_2 = Profile((20, 10, 15, 9), (5, 3, 2, 0))  # 54, 64 by 31/12: met
P_ON_TRACK_SHORT = Profile((24, 12, 10, 5), (0, 0, 3, 2))  # 51, 56 by 31/12: not met
P_BEHIND = Profile((15, 7, 10, 5), (4, 2, 3, 1))  # 37, 47 by 31/12: not met
P_CATCH_UP = Profile((18, 9, 12, 6), (6, 3, 4, 2))  # 45 behind, 60 by 31/12: met
P_LATE = Profile((24, 12, 14, 6), (2, 1, 1, 0), late=True)  # 56 but a late report
P_OVERDUE = Profile((22, 11, 13, 6), (3, 1, 2, 1), overdue=True)  # 52, a report never written
P_NOT_SUBJECT = Profile((0, 0, 4, 0), subject=False)

_ROTATION = (
    P_MET,
    P_ON_TRACK,
    P_BEHIND,
    P_LATE,
    P_MET_2,
    P_ON_TRACK_2,
    P_CATCH_UP,
    P_OVERDUE,
    P_ON_TRACK_SHORT,
    P_MET,
)

_KIND_ORDER = ("sinh-hoat", "chuyen-de", "phoi-hop", "kiem-tra")


def roster() -> list[tuple[str, str, str, str, Profile]]:
    """(code, name, department, email, profile) for every demo cadre."""
    people = []
    for i, name in enumerate(NAMES):
        code = f"C{i + 1:02d}"
        if i == 0:
            dept, profile = "Ban Tổ chức – Kiểm tra", P_EXAMPLE
        elif i >= len(NAMES) - 2:
            dept, profile = "Văn phòng", P_NOT_SUBJECT
        else:
            dept = DEPARTMENTS[i % len(DEPARTMENTS)]
            profile = _ROTATION[i % len(_ROTATION)]
        email = f"{code.lower()}@thanhdoan.hanoi.example"
        people.append((code, name, dept, email, profile))
    return people


def _trips(rng: random.Random, days: tuple[int, int, int, int]) -> list[tuple[str, int]]:
    """Split days per kind into trips: meetings one day each, other work 1-3 days."""
    trips: list[tuple[str, int]] = []
    for kind, total in zip(_KIND_ORDER, days, strict=False):
        left = total
        while left > 0:
            length = 1 if kind == "sinh-hoat" else min(left, rng.choice((1, 2, 2, 3)))
            trips.append((kind, length))
            left -= length
    rng.shuffle(trips)
    return trips


def _place(trips: list[tuple[str, int]], first: date, last: date) -> list[tuple[str, date, date]]:
    """Spread trips evenly over [first, last] without overlaps."""
    if not trips:
        return []
    span = (last - first).days + 1
    step = span / len(trips)
    placed = []
    for i, (kind, length) in enumerate(trips):
        start = first + timedelta(days=int(i * step))
        end = start + timedelta(days=length - 1)
        placed.append((kind, start, end))
    return placed


def populate(s: Session) -> None:
    """Fill a new database with the demo roster (one transaction, the caller's)."""
    from congtac12.store import audit, commands, queries
    from congtac12.store.models import Report, Setting, Visit

    audit.describe(s, "demo", _("built the demo roster"))  # one change, not one per cadre
    rng = random.Random(2020)
    for name, level, parent in BASE_UNITS:
        commands.add_unit(s, name=name, level=level, parent=parent)
    units = queries.units(s)
    district = [u for u in units if u.level == "huyen"]
    base = [u for u in units if u.level != "huyen"]
    for code, name, dept, email, profile in roster():
        cadre = commands.add_cadre(s, code=code, name=name, department=dept, email=email, subject=profile.subject)
        trips = _place(_trips(rng, profile.before), _SEASON_START, _SEASON_END)
        trips += _place(_trips(rng, profile.after), _LATE_START, _LATE_END)
        late_at = next((i for i, t in enumerate(trips) if t[2] < date(2020, 9, 1)), None)
        overdue_at = next((i for i, t in reversed(list(enumerate(trips))) if t[2] < date(2020, 10, 20)), None)
        for i, (kind, start, end) in enumerate(trips):
            pool = base if kind == "sinh-hoat" else district
            visit = Visit(
                cadre_id=cadre.id,
                unit_id=rng.choice(pool).id,
                start=start,
                end=end,
                kind=kind,
                topic=rng.choice(TOPICS[kind]),
                order_no=f"{rng.randint(10, 480)}-CL/TĐTN" if kind != "sinh-hoat" else None,
            )
            s.add(visit)
            s.flush()
            if profile.overdue and i == overdue_at:
                continue
            delay = 15 if profile.late and i == late_at else rng.randint(1, 9)
            s.add(
                Report(
                    visit_id=visit.id, reported_on=end + timedelta(days=delay), text=f"Báo cáo kết quả: {visit.topic}."
                )
            )
        if code == "C01":
            # A meeting on a day already counted: the day counts once in the total.
            day = trips[3][1]
            extra = Visit(
                cadre_id=cadre.id,
                unit_id=base[0].id,
                start=day,
                end=day,
                kind="sinh-hoat",
                topic="Dự sinh hoạt chi đoàn định kỳ",
            )
            s.add(extra)
            s.flush()
            s.add(
                Report(
                    visit_id=extra.id,
                    reported_on=day + timedelta(days=2),
                    text="Báo cáo kết quả dự sinh hoạt chi đoàn.",
                )
            )
    s.add(Setting(key=DEMO_MARKER, value="1"))
    # Who issues the demo's documents (status/summary --html, --pdf, --docx).
    s.add(Setting(key="agency", value="BCH Đoàn TP Hà Nội"))
    s.add(Setting(key="place", value="Hà Nội"))


def build_demo_file(path: Path, session: Any) -> None:
    """Write the demo database at ``path`` whole (``atomic``): a killed demo leaves the earlier file or the new one."""
    from congtac12.atomic import atomic_path

    with atomic_path(path, overwrite=True) as partial:
        with session(partial, write=True) as s:
            populate(s)
        con = sqlite3.connect(partial)
        try:
            con.execute("PRAGMA journal_mode = DELETE")  # the WAL folded in: one self-contained file
        finally:
            con.close()


def replace_demo_file(path: Path) -> None:
    """Make way for a new demo database at path (an earlier demo's journal files go); refuse any other file."""
    from congtac12.atomic import check_output
    from congtac12.store.engine import status

    check_output(path, "--out")
    if not path.exists():
        return
    if status(path) == "ours":
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM setting WHERE key = ?", (DEMO_MARKER,)).fetchone()
        except sqlite3.Error:
            row = None
        finally:
            con.close()
        if row is None:
            raise DatabaseError(
                _(
                    "{path} holds a congtac12 database that is not a demo; "
                    "the demo will not overwrite it (give another --out)"
                ).format(path=path)
            )
    elif path.stat().st_size > 0:
        raise DatabaseError(_("{path} exists; the demo will not overwrite it (give another --out)").format(path=path))
    for suffix in ("-wal", "-shm"):  # a new file gets its name: an old WAL must not be applied to it
        Path(f"{path}{suffix}").unlink(missing_ok=True)
