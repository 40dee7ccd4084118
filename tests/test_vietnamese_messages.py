"""Vietnamese all the way through (issue 18), the messages: a command to copy stays whole when
piped whatever COLUMNS says, import errors name the file's key and the field's Vietnamese name,
the states' labels are written alike, and the exemption's verdict reads in its sentence."""

from __future__ import annotations

import pytest
from test_vietnamese import BAD_FILES

from congtac12 import i18n


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


# --- piped output: messages whole, whatever COLUMNS says -----------------------------


@pytest.mark.parametrize(
    ("lang", "undo"),
    [("vi", "Hoàn tác bằng: congtac12 cadre restore C43"), ("en", "Undo with: congtac12 cadre restore C43")],
)
def test_a_command_to_copy_stays_whole_when_piped_at_60_columns(cli, monkeypatch, lang, undo) -> None:
    name, dept = "Nguyễn Thị Phương Thảo", "Ban Đoàn kết tập hợp thanh niên"
    assert cli("cadre", "add", "--code", "C43", "--name", name, "--dept", dept).code == 0
    assert (
        cli("add-visit", "--cadre", "C43", "--unit", "ba dinh", "--from", "13/10/2020", "--kind", "kiểm tra").code == 0
    )
    monkeypatch.setenv("COLUMNS", "60")
    run = cli("--lang", lang, "cadre", "delete", "C43")
    assert run.code == 0, run
    (line,) = run.stdout.splitlines()  # one message, one line, though wider than 60
    assert len(line) > 60 and line.endswith(undo) and name in line
    assert ("1 đợt đi cơ sở vẫn được giữ" if lang == "vi" else "; 1 visit stays recorded.") in line


@pytest.mark.parametrize(
    ("file", "vi", "en"),
    [
        (
            "bad-date.json",
            "Lỗi: bad-date.json, mục 1 của 'cadres' (Cán bộ), khóa 'joined' (Ngày bắt đầu công tác): ngày '31/02/2020'",
            "Error: bad-date.json, cadres item 1, key 'joined': date '31/02/2020'",
        ),
        (
            "visits.csv",
            "Lỗi: visits.csv, dòng 2, cột 'kind' (Nội dung): 'họp' không hợp lệ ở đây",
            "Error: visits.csv, row 2, column 'kind': 'họp' is not valid here",
        ),
    ],
)
def test_an_import_error_names_the_key_to_type_and_the_vietnamese_field(cli, tmp_path, file, vi, en) -> None:
    (tmp_path / file).write_text(BAD_FILES[file], encoding="utf-8")
    for lang, expected in (("vi", vi), ("en", en)):
        run = cli("--lang", lang, "import", str(tmp_path / file))
        assert run.code == 2 and run.crash is None, run
        assert run.stderr.startswith(expected), run.stderr
    # a header already in Vietnamese is named once
    (tmp_path / "cadres.csv").write_text(
        "Mã,Họ và tên,Ban,Ngày bắt đầu công tác\nC09,Ngô Văn Tú,Văn phòng,32/01/2020\n"
    )
    run = cli("--lang", "vi", "import", str(tmp_path / "cadres.csv"))
    assert run.stderr.startswith("Lỗi: cadres.csv, dòng 2, cột 'Ngày bắt đầu công tác': ngày '32/01/2020'"), run.stderr


def test_the_state_labels_are_written_alike_in_each_language() -> None:
    """Vietnamese labels capitalised as the sheet writes them ("Miễn" beside "Đạt"), English ones
    lowercase; the explanation's verdict stays lowercase inside its sentence."""
    from congtac12.domain.states import STATES
    from congtac12.render.labels import sheet_label, state_label

    i18n.set_language("vi")
    assert [state_label(s) for s in STATES] == [sheet_label(s) for s in STATES]
    assert state_label("exempt") == "Miễn" and all(state_label(s)[0].isupper() for s in STATES)
    i18n.set_language("en")
    assert all(state_label(s) == state_label(s).lower() for s in STATES) and state_label("exempt") == "exempt"


@pytest.mark.parametrize(
    ("lang", "verdict"),
    [
        ("vi", "Xét miễn: nghỉ Học tập, Ốm đau, Thai sản: 181 ngày ≥ 180: miễn."),
        ("en", "Exemption: leave of Study, Sickness, Maternity: 181 days ≥ 180: exempt."),
    ],
)
def test_the_exemption_verdict_reads_in_its_sentence(cli, lang, verdict) -> None:
    assert cli("cadre", "add", "--code", "C01", "--name", "Đào Thị Mai", "--dept", "Văn phòng").code == 0
    args = ["leave", "add", "--cadre", "C01", "--from", "01/03/2020", "--to", "28/08/2020", "--reason", "thai sản"]
    assert cli(*args).code == 0
    policy = ["--policy", "ba-ria-vung-tau", "--year", "2020"]  # exempt after 180 days of leave in the year
    run = cli("--lang", lang, "status", "--cadre", "C01", "--as-of", "31/10/2020", *policy, "--explain")
    assert run.code == 0, run
    assert verdict in run.stdout.splitlines()
    assert ("Trạng thái: Miễn" if lang == "vi" else "State: exempt") in run.stdout.splitlines()
    assert [s for s in ("thai-san", "om-dau", "hoc-tap") if s in run.stdout] == []  # names, not slugs
