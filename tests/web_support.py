"""What the web tests share: a small record with Vietnamese names (and one hostile name), an HTTP client
on the app, the CSRF token of a page, and a real ``congtac12 web`` process on a free loopback port."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support import succeeded as ok

AS_OF = "2020-11-13"
HOSTILE = "<script>alert('x')</script>"


def build_record(cli) -> None:  # noqa: ANN001 - conftest's Cli
    """Three cadres in two departments (one named with markup), visits, one report with markup."""
    ok(cli("init"))
    for code, name, dept in (
        ("C01", "Nguyễn Văn An", "Ban Tổ chức"),
        ("C02", "Trần Thị Bình", "Ban Tổ chức"),
        ("C03", f"Đặng Hữu Ước {HOSTILE}", "Văn phòng"),
    ):
        ok(cli("cadre", "add", "--code", code, "--name", name, "--dept", dept, "--joined", "01/01/2020"))
    ok(cli("add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "02/03/2020", "--to", "03/03/2020",
           "--kind", "chuyen-de", "--topic", "Khảo sát"))  # fmt: skip
    ok(cli("report", "1", "--on", "05/03/2020", "--text", f"Đã khảo sát {HOSTILE}"))
    ok(cli("add-visit", "--cadre", "C02", "--unit", "Hoàn Kiếm", "--from", "04/03/2020",
           "--kind", "sinh-hoat"))  # fmt: skip
    ok(cli("add-visit", "--cadre", "C03", "--unit", "Đống Đa", "--from", "06/10/2020", "--to", "08/10/2020",
           "--kind", "kiem-tra", "--topic", HOSTILE))  # fmt: skip


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def field_errors(html: str) -> dict[str, str]:
    """The messages shown beside the fields: field -> text (as the page shows it, unescaped)."""
    import html as html_lib

    return {
        name: html_lib.unescape(text)
        for name, text in re.findall(r'class="field-error" id="error-([a-z_]+)" role="alert">(.*?)</span>', html)
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def web_server(db: str, env: dict[str, str] | None = None, *args: str) -> Iterator[str]:
    """``congtac12 web`` as a real process on a free loopback port; its base URL while it runs."""
    port = free_port()
    environ = {**os.environ, "CONGTAC12_DB": db, **(env or {})}
    command = [sys.executable, "-m", "congtac12", "web", "--port", str(port), *args]
    proc = subprocess.Popen(command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"congtac12 web exited {proc.returncode}: {proc.stderr.read()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("congtac12 web did not start listening within 30 s") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


ARTIFACTS = Path(os.environ.get("CONGTAC12_ARTIFACTS", Path(__file__).resolve().parents[1] / "artifacts"))
