"""Disk full, for real: ``disk_full.py FOLDER`` inside its own mount namespace.

Run under ``unshare --mount`` (``unshare --user --map-root-user --mount`` when
not root): mounts a 512 KiB tmpfs on FOLDER (seen by this process and its
children only, gone when they end), makes a database there, fills the disk,
and tries writes with the congtac12 command. Prints one JSON object of what
happened.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

folder = Path(sys.argv[1])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)], check=True)
db = folder / "congtac12.db"
env = {**os.environ, "CONGTAC12_DB": str(db), "COLUMNS": "200"}


def congtac12(*args):
    r = subprocess.run([sys.executable, "-m", "congtac12", *args], env=env, capture_output=True, text=True)
    return {"code": r.returncode, "stdout": r.stdout, "stderr": r.stderr}


def visits():
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM visit").fetchone()[0]
    finally:
        con.close()


out = {"add_cadre": congtac12("cadre", "add", "--code", "C01", "--name", "Nguyễn Văn An", "--dept", "VP")}
out["first_visit"] = congtac12(
    "add-visit", "--cadre", "C01", "--unit", "Ba Đình", "--from", "05/03/2020", "--kind", "chuyen-de"
)
filler = folder / "filler"
fd = os.open(filler, os.O_CREAT | os.O_WRONLY, 0o600)
try:
    while True:
        os.write(fd, b"\0" * 4096)
except OSError as exc:
    out["filler_error"] = exc.strerror
finally:
    os.close(fd)
topic = "Khảo sát tình hình đoàn viên thanh niên " * 12  # about 480 characters
out["full_visit"] = congtac12(
    "add-visit",
    "--cadre",
    "C01",
    "--unit",
    "Hoàn Kiếm",
    "--from",
    "06/03/2020",
    "--kind",
    "phoi-hop",
    "--topic",
    topic[:500],
)
out["full_report"] = congtac12("report", "1", "--on", "10/03/2020", "--text", "Báo cáo " * 3000)
out["status_when_full"] = congtac12("status", "--as-of", "31/12/2020", "--json")
filler.unlink()
out["check_after"] = congtac12("db", "check", "--json")
out["retry_visit"] = congtac12(
    "add-visit", "--cadre", "C01", "--unit", "Hoàn Kiếm", "--from", "06/03/2020", "--kind", "phoi-hop"
)
out["visits_after"] = visits()
print(json.dumps(out))
