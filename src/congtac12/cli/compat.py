"""The one place that reaches into Typer's internals, for speed only.

Typer (0.29) converts every parameter value through a pydantic TypeAdapter it
builds on first use, and building the first one imports pydantic, which
doubles the time of ``congtac12 status --help``, ``--version`` or a Tab. Most
of our values need no conversion: an option that was not given is None, which
Typer returns as is without consulting the adapter; text given to a text
option comes back from the adapter unchanged (``str(value)``), and so does a
number of the option's own type within its bounds (a default), and a whole
number typed in plain digits for a number option within its bounds; text given
to a ``Path`` option is ``Path(value)`` (what pydantic's Path validation makes of
it) before Typer's own checks of the path, which need no pydantic. Those skip
the adapter; every other value (text for a number, a choice, a list) goes through
Typer's own conversion exactly as before.

The hook replaces a private method (``typer.core._TyperParameter.get_runtime_param``),
so ``install()`` applies it only to the Typer versions CI tests it with
(``TESTED``, the minor versions of ``constraints.txt``) and only when the
names it relies on are there. On any other Typer it does nothing: congtac12
then runs on plain Typer, slower to print help, never broken.
``tests/test_speed.py`` checks both ways.
"""

from pathlib import Path
from typing import Any

import typer
from typer import core

try:  # Typer's path conversion (0.29); another Typer may not have the module: plain Typer then
    from typer import _param_types
except ImportError:  # pragma: no cover - only on an untested Typer
    _param_types = None  # type: ignore[assignment]

TESTED = ("0.29.",)  # Typer versions the hook is tested with (CI installs constraints.txt)


def supported(version: str | None = None) -> bool:
    """Whether the hook may be installed on this Typer (or on ``version``)."""
    version = typer.__version__ if version is None else version
    if not version.startswith(TESTED):
        return False
    parameter = getattr(core, "_TyperParameter", None)
    return (
        parameter is not None
        and callable(getattr(parameter, "get_runtime_param", None))
        and callable(getattr(core, "build_runtime_param", None))
        and callable(getattr(_param_types, "coerce_cli_path", None))
    )


class _Converter:
    """Stands where Typer keeps a parameter's converter; builds Typer's only when needed."""

    def __init__(self) -> None:
        self._typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        single = not (param.multiple or param.nargs == -1)
        if single and value is None:
            return None  # what Typer returns for a missing single value
        if single and _kept_as_is(value, param.type_descriptor):
            return value
        if single and (number := _plain_whole_number(value, param.type_descriptor)) is not None:
            return number
        if single and _plain_path(value, param.type_descriptor):
            # Typer's path adapter: coerce_cli_path, after pydantic's Path(value)
            info = param.type_descriptor.parameter_info
            return _param_types.coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
        if self._typer is None:
            # typer.core imports it from typer._coercion and uses it, without re-exporting it
            self._typer = core.build_runtime_param(param.type_descriptor)  # type: ignore[attr-defined]
        return self._typer.coerce(value, param=param, ctx=ctx)


def _kept_as_is(value: Any, described: Any) -> bool:
    """Whether Typer's adapter would hand this value back unchanged.

    Text given to a text option (the adapter returns ``str(value)``), and a
    number of exactly the option's type within its bounds, such as a default
    (``--ahead`` = 3): a clamp or a refusal only happens out of bounds.
    """
    info = described.parameter_info
    if info.parser is not None or type(value) is not described.annotation:
        return False
    if type(value) is str:
        return True
    if type(value) in (int, float):
        return (info.min is None or value >= info.min) and (info.max is None or value <= info.max)
    return False


def _plain_whole_number(value: Any, described: Any) -> int | None:
    """A whole number typed in plain ASCII digits for an int option, within its bounds
    (``--ahead 7``): what Typer's adapter makes of it is ``int(value)``; None for
    anything else (a sign, spaces, underscores, out of bounds: Typer judges those)."""
    info = described.parameter_info
    if info.parser is not None or described.annotation is not int or type(value) is not str:
        return None
    if not (0 < len(value) <= 9 and value.isascii() and value.isdigit()):
        return None
    number = int(value)
    if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
        return None
    return number


def _plain_path(value: Any, described: Any) -> bool:
    """Text given to an option annotated ``Path`` (no other path type, no parser): pydantic makes
    ``Path(value)`` of any text, then Typer checks it (``coerce_cli_path``) without pydantic."""
    info = described.parameter_info
    return (
        info.parser is None
        and info.path_type is None
        and described.annotation is Path
        and described.file_annotation is None
        and type(value) is str
    )


def _get_runtime_param(self: Any) -> Any:
    if self._runtime_param is None:
        self._runtime_param = _Converter()
    return self._runtime_param


def install() -> bool:
    """Skip pydantic for values that need no conversion, on a tested Typer (idempotent).

    Returns whether the hook is in place; False means plain Typer behaviour.
    """
    if not supported():
        return False
    core._TyperParameter.get_runtime_param = _get_runtime_param  # type: ignore[method-assign]  # the hook
    return True
