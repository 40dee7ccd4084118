"""The record's length and size limits, with no ORM: the models (``models``), the write commands
and the import (``import_*``, on a DB-API connection) read them from here, so one number holds."""

from __future__ import annotations

CODE_MAX = 32
NAME_MAX = 120
DEPARTMENT_MAX = 120
EMAIL_MAX = 254
UNIT_NAME_MAX = 160
TOPIC_MAX = 500
ORDER_MAX = 64
REPORT_MAX = 50_000
REASON_MAX = 500
DECIDED_BY_MAX = 120
SETTING_MAX = 256
MAX_VISIT_DAYS = 366  # a trip of more than a year is a typing error (db check flags it too)
MAX_PLAN_DAYS = 366
