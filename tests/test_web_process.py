"""``congtac12 web`` as a process: where it listens and says so, the SQLite warning, its one-line refusals,
and a load of 50 concurrent sessions reading and writing (every write recorded once, no request failed)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from web_support import ARTIFACTS, Stderr, csrf_of, free_port, serving_line, web_server

LOAD_SECONDS = float(os.environ.get("CONGTAC12_WEB_LOAD_SECONDS", "20"))
SESSIONS = 50


def _start(db: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    environ = {**os.environ, "CONGTAC12_DB": str(db), "CONGTAC12_LANG": "en", **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "congtac12", "web", *args], env=environ, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _stop(proc: subprocess.Popen, stderr: Stderr) -> str:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return stderr.text()


def _serving(port: int, proc: subprocess.Popen, host: str = "127.0.0.1") -> Stderr:
    """Wait for the "Serving … at http://127.0.0.1:PORT/" line, then connect once, at once, no retry:
    the line is printed only once the socket listens, so a connection right after it is answered."""
    stderr = Stderr(proc)
    stderr.wait_for(serving_line(port, host))
    socket.create_connection(("127.0.0.1", port), timeout=5).close()
    return stderr


@pytest.fixture(scope="module")
def demo(demo_module: Path) -> Path:
    """The demo database (conftest's, made once per session), copied for each test."""
    return demo_module


def _copy(demo: Path, tmp_path: Path) -> Path:
    target = tmp_path / "web.db"
    shutil.copyfile(demo, target)
    return target


def _session_cookie(r, secure: bool) -> None:  # noqa: ANN001 - an httpx response
    assert r.status_code == 200, r.text[:300]
    session = next(c for c in r.headers.get_list("set-cookie") if c.startswith("ct12_session="))
    assert ("; secure" in session.lower()) is secure and "HttpOnly" in session and "SameSite=strict" in session


def test_it_listens_on_loopback_by_default_says_so_and_marks_its_cookie_by_the_scheme(demo, tmp_path) -> None:
    """One server with the default options (one start instead of four): it answers, and its session cookie
    is ``Secure`` when a reverse proxy on this computer says it ended HTTPS."""
    import httpx2 as httpx

    port = free_port()
    proc = _start(_copy(demo, tmp_path), "--port", str(port))
    stderr = _serving(port, proc)
    try:
        assert httpx.get(f"http://127.0.0.1:{port}/?as_of=2020-11-13", timeout=30).status_code == 200
        for forwarded, secure in (
            (None, False),  # plain HTTP, straight from the browser
            ("https", True),  # a reverse proxy on this computer that ended HTTPS says so
            ("http", False),
        ):
            headers = {"x-forwarded-proto": forwarded} if forwarded else {}
            _session_cookie(httpx.get(f"http://127.0.0.1:{port}/visits/new", headers=headers, timeout=30), secure)
    finally:
        err = _stop(proc, stderr)
    assert f"at http://127.0.0.1:{port}/ to this computer only (one user, no login)" in err
    assert "Warning" not in err and "Traceback" not in err


def test_another_host_on_a_sqlite_file_is_warned_about(demo, tmp_path) -> None:
    port = free_port()
    proc = _start(_copy(demo, tmp_path), "--host", "0.0.0.0", "--port", str(port))
    err = _stop(proc, _serving(port, proc, "0.0.0.0"))
    warning = [line for line in err.splitlines() if line.startswith("Warning: ")]
    assert len(warning) == 1 and "--host 0.0.0.0 serves the SQLite file" in warning[0] and "no login" in warning[0]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--port", "0"), "--port '0' is not accepted; accepted: a whole number of at least 1"),
        (("--port", "70000"), "--port '70000' is not accepted; accepted: a whole number of at most 65535"),
        (("--host", "203.0.113.7"), "cannot listen on 203.0.113.7 port"),  # not this computer's address
    ],
)
def test_bad_options_are_refused_in_one_line(demo, tmp_path, args, needle) -> None:
    proc = _start(_copy(demo, tmp_path), *args)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == (1 if "listen" in needle else 2)
    assert needle in err and "Traceback" not in err


def test_a_taken_port_and_a_missing_database_are_refused(demo, tmp_path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _start(_copy(demo, tmp_path), "--port", str(port))
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1 and err.count("\n") == 1 and f"cannot listen on 127.0.0.1 port {port}" in err
    assert "Traceback" not in err and "Serving" not in err
    missing = tmp_path / "nothing.db"
    proc = _start(missing, "--port", str(free_port()))
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1 and "no congtac12 database at" in err and not missing.exists()


def test_without_the_extra_one_line_names_it(demo, tmp_path) -> None:
    hidden = tmp_path / "hide"
    (hidden / "starlette").mkdir(parents=True)
    (hidden / "starlette" / "__init__.py").write_text("raise ImportError('not installed')\n")
    proc = _start(_copy(demo, tmp_path), env={"PYTHONPATH": str(hidden)})
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1 and err.count("\n") == 1
    assert err.startswith("Error: the web face needs its optional extra") and "pip install 'congtac12[web]'" in err


def test_the_session_cookie_is_secure_when_the_operator_says_https_is_elsewhere(demo, tmp_path) -> None:
    import httpx2 as httpx

    port = free_port()
    proc = _start(_copy(demo, tmp_path), "--port", str(port), "--secure-cookies")
    stderr = _serving(port, proc)
    try:
        r = httpx.get(f"http://127.0.0.1:{port}/visits/new", timeout=30)  # the browsers come through HTTPS elsewhere
    finally:
        err = _stop(proc, stderr)
    _session_cookie(r, True)
    assert "Traceback" not in err


# --- load -------------------------------------------------------------------------------------------------


def test_fifty_concurrent_sessions_read_and_write(demo, tmp_path) -> None:
    import httpx2 as httpx

    db = _copy(demo, tmp_path)
    codes = [f"C{i:02d}" for i in range(1, 33)]  # the demo's subject cadres
    times: list[float] = []
    failures: list[str] = []
    written: list[str] = []
    lock = threading.Lock()

    def session(n: int, base: str, stop_at: float) -> None:
        with httpx.Client(base_url=base, timeout=60) as c:
            token = csrf_of(c.get("/visits/new").text)
            i = 0
            while time.monotonic() < stop_at:
                i += 1
                if i % 4 == 0:  # a write: a visit of 2021 (the demo has none then), one day each, never a duplicate
                    topic = f"load-{n}-{i}"
                    day = date(2021, 1, 1) + timedelta(days=(n * 7 + i) % 360)
                    data = {"csrf": token, "cadre": codes[n % len(codes)], "unit": f"Đoàn phường Tải {n}",
                            "from": day.isoformat(), "kind": "kiem-tra", "topic": topic}  # fmt: skip
                    path, r0 = "/visits/new", time.monotonic()
                    r = c.post(path, data=data, follow_redirects=False)
                    ok = r.status_code == 303
                    if ok:
                        with lock:
                            written.append(topic)
                else:
                    path = "/?as_of=2020-11-13" if i % 2 else f"/cadre/{codes[(n + i) % len(codes)]}?as_of=2020-11-13"
                    r0 = time.monotonic()
                    r = c.get(path)
                    ok = r.status_code == 200
                with lock:
                    times.append(time.monotonic() - r0)
                    if not ok:
                        failures.append(f"{path}: {r.status_code} {r.text[:200]}")

    # Units the writes go to: the web refuses a unit that is not recorded, as add-visit does.
    from conftest import invoke
    from support import succeeded as ok

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONGTAC12_DB", str(db))
        for n in range(SESSIONS):
            ok(invoke("unit", "add", "--name", f"Đoàn phường Tải {n}", "--level", "co-so"))
    with web_server(str(db)) as base:
        stop_at = time.monotonic() + LOAD_SECONDS
        threads = [threading.Thread(target=session, args=(n, base, stop_at)) for n in range(SESSIONS)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=LOAD_SECONDS + 120)
        elapsed = time.monotonic() - started
    assert not any(t.is_alive() for t in threads)
    assert failures == []
    listed = json.loads(
        subprocess.run(
            [sys.executable, "-m", "congtac12", "--db", str(db), "visits", "--from", "01/01/2021", "--json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout  # fmt: skip
    )
    topics = [v["topic"] for v in listed if (v["topic"] or "").startswith("load-")]
    assert sorted(topics) == sorted(written) and len(set(topics)) == len(topics)  # each write once
    assert written
    median = statistics.median(times)
    report = (
        f"{SESSIONS} sessions for {LOAD_SECONDS:g} s ({elapsed:.1f} s with the last answers): {len(times)} requests, "
        f"{len(written)} visits written, 0 failed; median {median * 1000:.0f} ms, "
        f"90th percentile {statistics.quantiles(times, n=10)[-1] * 1000:.0f} ms"
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "web-load.txt").write_text(report + "\n", encoding="utf-8")
    print(report)
    assert re.match(r"\d+ sessions", report)


def test_each_request_is_answered_in_its_own_language_under_concurrency(demo, tmp_path) -> None:
    """The language is one request's (a context variable), never the process's: two languages at once."""
    import httpx2 as httpx

    wrong: list[str] = []

    def ask(n: int, base: str) -> None:
        lang = ("vi", "en")[n % 2]
        title, kind = (("Ghi đợt đi cơ sở", "Theo chuyên đề"), ("Record a visit", "Thematic work"))[n % 2]
        with httpx.Client(base_url=base, timeout=60) as c:
            for _ in range(8):
                page = c.get(f"/visits/new?lang={lang}").text
                if f"<h1>{title}</h1>" not in page or f">{kind}</option>" not in page:
                    wrong.append(f"{lang}: {page[:200]}")

    with web_server(str(_copy(demo, tmp_path))) as base:
        threads = [threading.Thread(target=ask, args=(n, base)) for n in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert wrong == []
