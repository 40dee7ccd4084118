"""Typer's conversion of option values, loaded only for values that need it.

Typer (0.29) converts every parameter value through a pydantic TypeAdapter it
builds on first use, and building the first one imports pydantic, which
doubles the time of ``congtac12 status --help``, ``--version`` or a Tab. Most
of our values need no conversion: an option that was not given is None, which
Typer returns as is without consulting the adapter; text given to a text
option comes back from the adapter unchanged (``str(value)``), and so does a
number of the option's own type within its bounds (a default). Those skip the
adapter; every other value (text for a number, a choice, a list) goes through
Typer's own conversion exactly as before.

``install()`` is called once, by ``congtac12.cli``; ``tests/test_speed.py``
checks that help and completion load no pydantic.
"""

from typing import Any

from typer import core


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
        if self._typer is None:
            self._typer = core.build_runtime_param(param.type_descriptor)
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


def _get_runtime_param(self: Any) -> Any:
    if self._runtime_param is None:
        self._runtime_param = _Converter()
    return self._runtime_param


def install() -> None:
    """Replace Typer's eager converter lookup with the lazy one (idempotent)."""
    core._TyperParameter.get_runtime_param = _get_runtime_param  # type: ignore[method-assign]
