"""What the web tests share: a small record with Vietnamese names (and one hostile name), an HTTP client
on the app, the CSRF token of a page, and a real ``congtac12 web`` process on a free loopback port."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
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


class Stderr:
    """A process's stderr, read line by line in a thread: wait for one line, read the whole after it ends."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self.ended = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self.ended = True
            self._cond.notify_all()

    def wait_for(self, needle: str, timeout: float = 30) -> str:
        """The first line holding ``needle``; fails if the process ends or says nothing of it in time."""
        with self._cond:
            found = self._cond.wait_for(lambda: self.ended or any(needle in line for line in self.lines), timeout)
            line = next((line for line in self.lines if needle in line), None)
        if line is None:
            why = "ended" if found else f"said nothing of it within {timeout:g} s"
            raise AssertionError(f"congtac12 web {why} ({self.proc.poll()}), waiting for {needle!r}: {self.text(0)}")
        return line

    def text(self, timeout: float = 15) -> str:
        """All it wrote, once the process has ended (``timeout``: how long to wait for the end)."""
        self._thread.join(timeout)
        with self._cond:
            return "".join(self.lines)


def serving_line(port: int, host: str = "127.0.0.1") -> str:
    """What ``congtac12 web`` on ``host`` and ``port`` prints once it is listening, in either language."""
    return f"http://{host}:{port}/"


@contextmanager
def web_server(db: str, env: dict[str, str] | None = None, *args: str) -> Iterator[str]:
    """``congtac12 web`` as a real process on a free loopback port; its base URL while it runs (from the
    line it prints once its socket listens: no polling of the port)."""
    port = free_port()
    environ = {**os.environ, "CONGTAC12_DB": db, **(env or {})}
    command = [sys.executable, "-m", "congtac12", "web", "--port", str(port), *args]
    proc = subprocess.Popen(command, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        Stderr(proc).wait_for(serving_line(port))
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


ARTIFACTS = Path(os.environ.get("CONGTAC12_ARTIFACTS", Path(__file__).resolve().parents[1] / "artifacts"))
