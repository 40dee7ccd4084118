"""Helpers the test modules share: what a successful run is, in two strictnesses.

``succeeded``: exit 0 and no exception escaped (messages on stderr allowed,
such as notes and progress); ``clean``: that, and nothing on stderr and no
traceback in the output. Modules import the one they mean (``as ok``).
"""

from __future__ import annotations

from typing import Any


def succeeded(run: Any) -> Any:
    """Assert exit 0 and no escaped exception; return the run."""
    assert run.code == 0 and run.crash is None, str(run)
    return run


def clean(run: Any) -> str:
    """Assert a clean success (exit 0, nothing on stderr, no escaped exception); return stdout."""
    assert run.code == 0 and run.stderr == "" and run.crash is None, str(run)
    assert "Traceback" not in run.stdout
    return run.stdout
