"""How the record's tables, fields and changes are named to a person (never the column names).

The history, ``undo``, ``edit-visit``, ``db check``, ``export``/``import`` and
``db copy`` show these names; ``--json`` keeps the column names (a contract for machines).
Translated where shown (``_`` at call time). An unknown name is shown as it is.
"""

from __future__ import annotations

from congtac12.i18n import N_, _, current_language

# A table: its name, and how "n records" of it read (one, many).
ENTITIES: dict[str, tuple[str, str, str]] = {
    "setting": (N_("setting"), N_("{n} setting"), N_("{n} settings")),
    "unit": (N_("unit"), N_("{n} unit"), N_("{n} units")),
    "cadre": (N_("cadre"), N_("{n} cadre"), N_("{n} cadres")),
    "leave": (N_("leave"), N_("{n} leave record"), N_("{n} leave records")),
    "visit": (N_("visit"), N_("{n} visit"), N_("{n} visits")),
    "report": (N_("report"), N_("{n} report"), N_("{n} reports")),
    "reminder_sent": (N_("reminder sent"), N_("{n} reminder sent"), N_("{n} reminders sent")),
    "change": (N_("change"), N_("{n} change"), N_("{n} changes")),
    "change_item": (N_("changed record"), N_("{n} changed record"), N_("{n} changed records")),
    "plan": (N_("plan"), N_("{n} plan"), N_("{n} plans")),
}
# The plural names the export's sheets and the checks' counts use.
_PLURALS = {"settings": "setting", "units": "unit", "cadres": "cadre", "visits": "visit", "reports": "report"}
_PLURALS |= {"changes": "change", "reminders": "reminder_sent", "plans": "plan"}

FIELDS: dict[str, str] = {
    "code": N_("code"),
    "name": N_("name"),
    "department": N_("department"),
    "email": N_("email"),
    "subject": N_("subject to the regime"),
    "joined": N_("joined"),
    "left": N_("left"),
    "deactivated_at": N_("deleted on"),
    "deleted_at": N_("deleted on"),
    "created_at": N_("recorded on"),
    "level": N_("level"),
    "parent_id": N_("parent unit"),
    "cadre_id": N_("cadre"),
    "unit_id": N_("unit"),
    "visit_id": N_("visit"),
    "start": N_("first day"),
    "end": N_("last day"),
    "kind": N_("kind"),
    "topic": N_("topic"),
    "order_no": N_("order number"),
    "reported_on": N_("report date"),
    "text": N_("report text"),
    "key": N_("setting"),
    "value": N_("value"),
    "reason": N_("reason"),
    "state": N_("state"),
    "days": N_("days"),
    "decided_by": N_("decided by"),
    "decided_at": N_("decided on"),
}

# A plan's states (đăng ký), by name; the same msgids as render.labels.PLAN_STATES_SHOWN.
PLAN_STATES = {
    "draft": N_("draft"),
    "submitted": N_("submitted"),
    "approved": N_("approved"),
    "returned": N_("returned"),
    "done": N_("done"),
    "missed": N_("missed"),
}

_VERBS = {
    "add": N_("{what} added"),
    "edit": N_("{what} edited"),
    "delete": N_("{what} deleted"),
    "restore": N_("{what} restored"),
    "set": N_("{what} set"),
    "replace": N_("{what} replaced"),
    "submit": N_("{what} submitted"),
    "approve": N_("{what} approved"),
    "return": N_("{what} returned"),
}
_ACTIONS = {"demo": N_("demo"), "undo": N_("undo"), "import": N_("import"), "change": N_("change")}


def _table(name: str) -> str:
    return _PLURALS.get(name, name)


def entity_name(table: str) -> str:
    """``visit`` → "visit" / "đợt"."""
    entry = ENTITIES.get(_table(table))
    return _(entry[0]) if entry else table


def entity_count(table: str, n: int) -> str:
    """``units``, 39 → "39 units" / "39 đơn vị"; 1 → "1 unit"."""
    entry = ENTITIES.get(_table(table))
    if entry is None:
        return f"{n} {table}"
    grouped = f"{n:,}"  # as render.formats.integer writes it (the domain does not import render)
    if current_language() == "vi":
        grouped = grouped.replace(",", ".")
    return _(entry[1] if n == 1 else entry[2]).format(n=grouped)


_TABLE_LABELS = {
    "settings": N_("settings"),
    "units": N_("units"),
    "cadres": N_("cadres"),
    "leave": N_("leave"),
    "visits": N_("visits"),
    "reports": N_("reports"),
}


def table_label(name: str) -> str:
    """A table of the files (``units``) as a heading: "units" / "đơn vị"."""
    return _(_TABLE_LABELS[name]) if name in _TABLE_LABELS else entity_name(name)


def plan_state_name(state: str) -> str:
    """``submitted`` → "submitted" / "đã gửi"."""
    return _(PLAN_STATES[state]) if state in PLAN_STATES else state


def field_name(column: str) -> str:
    """``deleted_at`` → "deleted on" / "ngày xóa"."""
    return _(FIELDS[column]) if column in FIELDS else column


def action_name(action: str) -> str:
    """``visit.delete`` → "visit deleted" / "xóa đợt"; ``undo`` → "undo" / "hoàn tác"."""
    if action in _ACTIONS:
        return _(_ACTIONS[action])
    table, _sep, verb = action.partition(".")
    if verb in _VERBS and _table(table) in ENTITIES:
        return _(_VERBS[verb]).format(what=entity_name(table))
    return action
