"""Undoing a cadre's own import of plans, on a real PostgreSQL server with the cadre's login: a draft
comes back out; a plan imported as submitted (đã gửi) awaits the decision and is not the cadre's to
delete (the database refuses it), so the command says so in one line, and an administrator's undo
takes it back. The scenario is test_plans_pg's (AN is C01's login, ADM an administrator)."""

from __future__ import annotations

import psycopg
import pytest
from pg_server import PgServer
from test_org import Org, ok, org_copy, org_template, refused
from test_plans_pg import _plans_file, build_plans


@pytest.fixture(scope="module")
def template(pg: PgServer):
    yield from org_template(pg, build_plans)


@pytest.fixture
def org(pg: PgServer, template, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Org:
    return org_copy(pg, template, monkeypatch, request)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ("cannot undo change #", "delete plan 5", "added as submitted", "only its own draft plans",
                "an administrator login must undo this change", "nothing was changed")),
        ("vi", ("không thể hoàn tác thay đổi #", "xóa kế hoạch 5", "trạng thái đã gửi", "kế hoạch nháp",
                "tài khoản quản trị viên hoàn tác")),
    ],
)  # fmt: skip
def test_a_cadre_cannot_undo_its_import_of_a_submitted_plan(org: Org, tmp_path, monkeypatch, lang, words) -> None:
    ok(org.run("an", "import", _plans_file(tmp_path, "submitted", topic="Khảo sát đoàn viên")))
    assert org.rows("SELECT id, state, topic FROM plan WHERE id > 4") == [(5, "submitted", "Khảo sát đoàn viên")]
    (change,) = org.rows("SELECT id FROM change WHERE action = 'import'")
    before = org.dump()
    monkeypatch.setenv("CONGTAC12_LANG", lang)
    run = org.run("an", "undo")
    line = refused(run, *words) if lang == "en" else run.stderr.strip()
    assert run.code == 1 and run.crash is None and line.startswith(("Error: ", "Lỗi: ")) and "\n" not in line
    assert all(w in line for w in words), line
    assert f"#{change[0]}" in line and "not this login's cadre's" not in line  # the database's misleading words
    assert org.dump() == before
    # The rule is the database's: AN's own connection cannot delete it either.
    with psycopg.connect(org.url("an"), autocommit=True) as con, pytest.raises(psycopg.errors.InsufficientPrivilege):
        con.execute("SELECT congtac12_delete_own('plan', 5)")
    assert org.dump() == before
    ok(org.run("adm", "undo"))  # the administrator takes the import back, whole
    assert org.rows("SELECT count(*) FROM plan WHERE id > 4") == [(0,)]


def test_a_cadre_still_undoes_its_import_of_a_draft(org: Org, tmp_path) -> None:
    ok(org.run("an", "import", _plans_file(tmp_path, "draft")))
    ok(org.run("an", "undo"))
    assert org.rows("SELECT count(*) FROM plan WHERE id > 4") == [(0,)]
