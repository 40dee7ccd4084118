"""The words of the pages, through the catalogs (``_`` at render time, in the request's language)."""

from __future__ import annotations

from congtac12.i18n import _


def texts() -> dict[str, str]:
    """Every fixed label the templates show, translated now."""
    return {
        "app": _("congtac12 — field work at the base"),
        "board": _("Status board"),
        "reports": _("Result reports"),
        "summary": _("Summary"),
        "new_visit": _("Record a visit"),
        "log_in": _("Log in"),
        "log_out": _("Log out"),
        "login": _("Login"),
        "password": _("Password"),
        "as_of": _("As of"),
        "show": _("Show"),
        "department": _("Department"),
        "state": _("State"),
        "all": _("(all)"),
        "code": _("Code"),
        "name": _("Name"),
        "days": _("Days"),
        "reports_col": _("Reports"),
        "legend": _("Reports: on time/late/pending/overdue. Days and content: actual/required."),
        "totals": _("Totals by state"),
        "no_cadre": _("No cadre matches these filters."),
        "check": _("Check"),
        "required": _("Required"),
        "actual": _("Actual"),
        "met": _("Met"),
        "missing": _("Still missing:"),
        "nothing_missing": _("Nothing is missing."),
        "visits": _("Visits"),
        "no_visits": _("No visit recorded."),
        "visit": _("Visit"),
        "cadre": _("Cadre"),
        "unit": _("Unit"),
        "first_day": _("First day"),
        "last_day": _("Last day"),
        "kind": _("Kind"),
        "topic": _("Topic"),
        "order": _("Travel order number"),
        "due": _("Due"),
        "reported": _("Reported"),
        "report": _("Report"),
        "no_report": _("No report yet."),
        "edit": _("Correct"),
        "write_report": _("Write the report"),
        "save": _("Save"),
        "report_date": _("Report date"),
        "report_text": _("Report text"),
        "replace": _("Replace the recorded report"),
        "edit_visit": _("Correct visit {id}"),
        "report_of": _("Report of visit {id}"),
        "chart": _("Days at the base by month"),
        "chart_pace": _("the month's share of the pace line"),
        "month": _("Month (MM/YYYY)"),
        "year": _("Year"),
        "cadres": _("Cadres"),
        "so_far": _("So far"),
        "overdue": _("Overdue"),
        "union": _("Union"),
        "coverage": _("Coverage by district-level union"),
        "language": _("English"),
        "signed_in_as": _("Logged in as {login}"),
        "local_user": _("This computer's own record (one user, no login)"),
        "error": _("Error"),
        "back": _("Back to the status board"),
        "optional": _("optional"),
        "date_hint": _("dd/mm/yyyy"),
        "days_left_col": _("Days late or left"),
    }


def other_language(lang: str) -> tuple[str, str]:
    """The language the page offers to switch to, and its name in that language."""
    return ("en", "English") if lang == "vi" else ("vi", "Tiếng Việt")
