"""The status as a sheet (one row per cadre) for ``status --format xlsx|csv``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from congtac12.domain.results import Evaluation
from congtac12.domain.vocab import KIND_SHORT, KINDS
from congtac12.render.labels import sheet_label


def status_sheet(ev: Evaluation) -> Any:
    """The compliance table, one row per cadre, for ``status --format xlsx|csv``."""
    from congtac12.exchange.files import Sheet
    from congtac12.exchange.spec import BOOL, DATE, INT, Column

    kinds = [m.kind for m in ev.policy.content_minimums]
    columns = [
        Column("code", "Mã", width=10),
        Column("name", "Họ và tên", width=28),
        Column("department", "Ban", width=34),
        Column("subject", "Thuộc diện", BOOL, width=11),
        Column("state", "Trạng thái", width=18),
        Column("days", "Số ngày", INT, width=9),
        Column("required_days", "Yêu cầu", INT, width=9),
        *(Column(f"days_{k}", KIND_SHORT[k], INT, width=11) for k in KINDS),
        *(Column(f"required_{k}", f"{KIND_SHORT[k]} yêu cầu", INT, width=11) for k in kinds),
        Column("reports_on_time", "Báo cáo đúng hạn", INT, width=10),
        Column("reports_late", "Báo cáo muộn", INT, width=10),
        Column("reports_pending", "Báo cáo chưa đến hạn", INT, width=10),
        Column("reports_overdue", "Báo cáo quá hạn", INT, width=10),
        Column("days_needed", "Còn thiếu (ngày)", INT, width=10),
        Column("as_of", "Tính đến ngày", DATE, width=12),
    ]
    rows: list[Sequence[Any]] = []
    for c in ev.cadres:
        required = {k.rule.split(":", 1)[1]: k.required for k in c.checks if k.rule.startswith("kind:")}
        rows.append(
            [
                c.code,
                c.name,
                c.department,
                c.subject,
                sheet_label(c.state),
                c.days,
                c.required_days,
                *(c.days_by_kind.get(k, 0) for k in KINDS),
                *(required.get(k, 0) for k in kinds),
                c.reports.on_time,
                c.reports.late,
                c.reports.pending,
                c.reports.overdue,
                c.days_needed,
                ev.as_of,
            ]
        )
    return Sheet("status", "Tình hình thực hiện", columns, rows)
