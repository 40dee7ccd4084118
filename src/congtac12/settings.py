"""The private settings file: what is secret or personal (the SMTP server and sender).

The database keeps what is shared and not secret (the default policy, the
language: ``config set policy|lang``); this file keeps the mail settings,
whose URL may hold a password, so that no crontab or command line needs one.

The file is ``$CONGTAC12_CONFIG`` when set (tests relocate it so), else
``settings.toml`` in the platform's user config folder
(``~/.config/congtac12/settings.toml`` on Linux). It is TOML, one
``key = "value"`` a line, written with mode 0600 in a folder of mode 0700.

The environment wins over the file: ``CONGTAC12_SMTP_URL`` and
``CONGTAC12_MAIL_FROM`` keep working as before.

A file that cannot be read, that belongs to another user, that others may
read while it holds a password, or that is not valid is refused in one line
naming it; nothing is read from it then.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path

from congtac12.errors import CongtacError
from congtac12.i18n import _

ENV_VAR = "CONGTAC12_CONFIG"
SMTP_URL = "smtp_url"
MAIL_FROM = "mail_from"
FILE_KEYS = (SMTP_URL, MAIL_FROM)
# each key of the file -> the environment variable that wins over it
ENV_OF = {SMTP_URL: "CONGTAC12_SMTP_URL", MAIL_FROM: "CONGTAC12_MAIL_FROM"}


class SettingsError(CongtacError):
    """The settings file cannot be used as it is (exit 1); the message names the file."""


def settings_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    chosen = environ.get(ENV_VAR)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("congtac12", appauthor=False)) / "settings.toml"


def is_default_path(path: Path) -> bool:
    """True when ``path`` is where a run without $CONGTAC12_CONFIG looks (cron's case)."""
    return path == settings_path({k: v for k, v in os.environ.items() if k != ENV_VAR})


def _problem(path: Path, problem: str) -> SettingsError:
    return SettingsError(_("settings file {path}: {problem}").format(path=path, problem=problem))


def has_password(values: Mapping[str, str]) -> bool:
    from urllib.parse import urlsplit

    url = values.get(SMTP_URL)
    if not url:
        return False
    try:
        return bool(urlsplit(url.strip()).password)
    except ValueError:
        return True  # unparseable: treat as secret


def read_settings(path: Path | None = None) -> dict[str, str]:
    """The file's settings ({} when there is no file); SettingsError when it cannot be used."""
    path = settings_path() if path is None else path
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise _problem(path, _("cannot be read ({reason})").format(reason=exc.strerror or exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _problem(path, _("is not a regular file; accepted: a TOML file"))
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            raise _problem(
                path,
                _("belongs to user id {owner}, not to you ({me}); accepted: a file of your own").format(
                    owner=info.st_uid, me=os.geteuid()
                ),
            )
        try:
            raw = b""
            while chunk := os.read(fd, 65536):
                raw += chunk
        except OSError as exc:
            raise _problem(path, _("cannot be read ({reason})").format(reason=exc.strerror or exc)) from None
    finally:
        os.close(fd)
    values = _parse(path, raw)
    mode = stat.S_IMODE(info.st_mode)
    if has_password(values) and mode & 0o077:
        raise _problem(
            path,
            _("holds the SMTP password but others may read it (mode {mode:o}); fix it with: chmod 600 {path}").format(
                mode=mode, path=path
            ),
        )
    return values


def _parse(path: Path, raw: bytes) -> dict[str, str]:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _problem(path, _("is not UTF-8 text; accepted: a UTF-8 TOML file")) from None
    except tomllib.TOMLDecodeError as exc:
        raise _problem(path, _("is not valid TOML ({reason})").format(reason=exc)) from None
    for key, value in data.items():
        if key not in FILE_KEYS:
            raise _problem(path, _("unknown key {key!r}; accepted: {keys}").format(key=key, keys=", ".join(FILE_KEYS)))
        if not isinstance(value, str):
            raise _problem(path, _("{key} must be a string in double quotes").format(key=key))
    return data


def _toml_string(value: str) -> str:
    import json

    # A JSON string is a TOML basic string (same escapes: \" \\ \n \uXXXX).
    return json.dumps(value, ensure_ascii=False)


def write_settings(values: Mapping[str, str], path: Path | None = None) -> Path:
    """Write the settings atomically, mode 0600 (its folder 0700 when made); returns the path."""
    path = settings_path() if path is None else path
    text = "# congtac12 settings (congtac12 config set|unset); keep this file private (chmod 600)\n" + "".join(
        f"{key} = {_toml_string(values[key])}\n" for key in FILE_KEYS if key in values
    )
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        try:
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except (OSError, NameError):
            pass
        raise _problem(path, _("cannot be written ({reason})").format(reason=exc.strerror or exc)) from None
    return path


def mail_environment(environ: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The mail settings as the environment variables' names, and where each came from.

    A variable set in the environment wins; the file is read only for what the
    environment leaves unset (so a broken file does not stop a run fully set
    by the environment).
    """
    merged = {var: environ[var] for var in ENV_OF.values() if environ.get(var, "").strip()}
    origin = dict.fromkeys(merged, "env")
    if len(merged) < len(ENV_OF):
        path = settings_path(environ)
        values = read_settings(path)
        for key, var in ENV_OF.items():
            if var not in merged and values.get(key, "").strip():
                merged[var] = values[key]
                origin[var] = str(path)
    return merged, origin
