"""Who is asking: sessions in signed cookies, CSRF tokens, and the lock-out after failed logins.

A session lives in this server's memory only: the cookie carries its random id and an
HMAC of it under a key drawn when the server starts (a restart logs everyone out). In
organisation mode a session also holds the login and the password PostgreSQL accepted,
because each request connects as that login (so that row-level security and the history
see it); the password is never written anywhere, never put in a cookie, and is forgotten
when the session ends or expires.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

COOKIE = "ct12_session"
LANG_COOKIE = "ct12_lang"
IDLE_SECONDS = 2 * 3600  # a session unused this long is over
LIFETIME_SECONDS = 10 * 3600  # and none outlives a working day
MAX_FAILURES = 5  # failed logins of one login within FAILURE_WINDOW…
FAILURE_WINDOW = 15 * 60
LOCKOUT_SECONDS = 15 * 60  # …lock it out for this long (PostgreSQL is not even asked)
MAX_SESSIONS = 10_000  # the oldest go first past this many


@dataclass
class WebSession:
    id: str
    csrf: str
    created: float
    seen: float
    login: str | None = None  # organisation mode, once logged in
    password: str | None = field(default=None, repr=False)
    cadre_code: str | None = None  # the cadre the login is tied to (None: an administrator or the owner)
    cadre_name: str | None = None
    everything: bool = False  # an administrator (or the owner): writes every record


class Sessions:
    """The live sessions of one server, thread-safe."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._key = secrets.token_bytes(32)
        self._by_id: dict[str, WebSession] = {}
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()
        self.clock = clock

    # --- cookies -------------------------------------------------------------------

    def _sign(self, sid: str) -> str:
        return hmac.new(self._key, sid.encode(), hashlib.sha256).hexdigest()

    def cookie_value(self, s: WebSession) -> str:
        return f"{s.id}.{self._sign(s.id)}"

    def from_cookie(self, value: str | None) -> WebSession | None:
        """The live session a cookie names; None for a missing, forged or expired one."""
        if not value or value.count(".") != 1:
            return None
        sid, sig = value.split(".")
        if not hmac.compare_digest(sig, self._sign(sid)):
            return None
        now = self.clock()
        with self._lock:
            s = self._by_id.get(sid)
            if s is None:
                return None
            if now - s.seen > IDLE_SECONDS or now - s.created > LIFETIME_SECONDS:
                del self._by_id[sid]
                return None
            s.seen = now
            return s

    def new(self) -> WebSession:
        now = self.clock()
        s = WebSession(secrets.token_urlsafe(24), secrets.token_urlsafe(24), now, now)
        with self._lock:
            if len(self._by_id) >= MAX_SESSIONS:
                oldest = min(self._by_id.values(), key=lambda x: x.seen)
                del self._by_id[oldest.id]
            self._by_id[s.id] = s
        return s

    def end(self, s: WebSession) -> None:
        with self._lock:
            self._by_id.pop(s.id, None)
        s.password = None

    # --- CSRF ----------------------------------------------------------------------

    @staticmethod
    def csrf_ok(s: WebSession | None, token: str | None) -> bool:
        return s is not None and bool(token) and hmac.compare_digest(s.csrf, token or "")

    # --- failed logins -------------------------------------------------------------

    def locked_for(self, login: str) -> int:
        """Seconds left of ``login``'s lock-out (0: not locked out)."""
        now = self.clock()
        with self._lock:
            until = self._locked_until.get(login.lower(), 0.0)
        return max(0, int(until - now + 0.999))

    def failed(self, login: str) -> None:
        key = login.lower()
        now = self.clock()
        with self._lock:
            recent = [t for t in self._failures.get(key, []) if now - t < FAILURE_WINDOW] + [now]
            if len(recent) >= MAX_FAILURES:
                self._locked_until[key] = now + LOCKOUT_SECONDS
                recent = []
            self._failures[key] = recent

    def succeeded(self, login: str) -> None:
        with self._lock:
            self._failures.pop(login.lower(), None)
