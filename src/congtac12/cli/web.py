"""``congtac12 web``: serve the status board, each cadre's page and the forms to a browser."""

from typing import TYPE_CHECKING, Annotated

import typer

from congtac12.cli.common import db_path, guarded, notice, warn
from congtac12.errors import CongtacError
from congtac12.i18n import _

if TYPE_CHECKING:
    import socket

LOOPBACK = ("127.0.0.1", "localhost", "::1")
EXTRA_HINT = "pip install 'congtac12[web]'"


def require_web() -> None:
    """Starlette, Jinja2 and Uvicorn must be installed: say which extra brings them."""
    try:
        import jinja2  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise CongtacError(
            _("the web face needs its optional extra, which is not installed; install it with: {command}").format(
                command=EXTRA_HINT
            )
        ) from None


def listen_on(host: str, port: int) -> "socket.socket":
    """The server's socket, bound and listening; an address this computer cannot listen on
    (taken, not its own) is refused in one line."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise CongtacError(
            _("cannot listen on {host} port {port}: {reason}; choose another --port or --host").format(
                host=host, port=port, reason=exc.strerror or exc
            )
        ) from None
    return sock


@guarded
def web(
    host: Annotated[
        str,
        typer.Option("--host", help=_("The address to listen on (default: this computer only).")),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help=_("The port to listen on."))] = 8012,
    secure_cookies: Annotated[
        bool,
        typer.Option(
            "--secure-cookies",
            help=_(
                "Mark the cookies Secure on every request: browsers reach this server through an HTTPS proxy on "
                "another computer. Over HTTPS, or through a proxy on this computer that sends "
                "X-Forwarded-Proto: https, they are Secure anyway."
            ),
        ),
    ] = False,
) -> None:
    """Serve the status board, each cadre's page and the forms to record visits and reports, in a browser.

    On a SQLite file it is one user's record: no login, on this computer only
    (127.0.0.1). On a shared PostgreSQL database (organisation mode) each person
    logs in with their own database login, and the database's rights apply.

    Example: congtac12 --db ~/congtac12.db web --port 8012
    """
    require_web()
    from congtac12.store.location import PgUrl

    target = db_path()
    if isinstance(target, PgUrl):
        from congtac12.store.postgres import require_driver

        require_driver()
    else:
        from congtac12.store.engine import open_engine, translate_errors

        with translate_errors(target):  # a missing file is refused, an older one upgraded, before serving
            open_engine(target, write=False, notify=notice, create=False).dispose()
    host = host.strip()
    sock = listen_on(host, port)  # bound before the line below says so, and before any warning
    loopback = host in LOOPBACK or host.startswith("127.")
    if not loopback and not isinstance(target, PgUrl):
        warn(
            _(
                "--host {host} serves the SQLite file {path} to the network: it is one person's record, with no "
                "login, and anyone who reaches this address can read and change it; use a PostgreSQL database "
                "(organisation mode) for the agency"
            ).format(host=host, path=target)
        )
    from congtac12.web.app import create_app

    shown = f"[{host}]" if ":" in host else host
    if loopback:
        allowed: tuple[str, ...] = (shown.lower(), "127.0.0.1", "localhost", "[::1]")
    elif host in ("0.0.0.0", "::"):
        allowed = ("*",)
    else:
        allowed = (shown.lower(),)
    app = create_app(target, allowed_hosts=allowed, secure_cookies=secure_cookies)
    where = _("this computer only") if loopback else _("the network")
    mode = _("organisation mode: each person logs in") if isinstance(target, PgUrl) else _("one user, no login")
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, server_header=False)
    )
    # The socket is listening: a browser that connects now is answered once the loop runs.
    notice(
        _("Serving {db} at http://{host}:{port}/ to {where} ({mode}); Ctrl+C stops.").format(
            db=target, host=shown, port=port, where=where, mode=mode
        )
    )
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # Uvicorn stops on Ctrl+C, then raises it again for the caller
        pass
    finally:
        sock.close()
