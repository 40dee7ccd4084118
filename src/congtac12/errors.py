"""The exception family the CLI turns into one-line messages.

Exit codes: 2 for a malformed argument (a date that does not exist, a kind
that is not one of ours), 1 for an operation the record refuses (an unknown
cadre, a duplicate, a file that is not our database).
"""

from __future__ import annotations


class CongtacError(Exception):
    """Base of every error a user can cause; its message is shown as is."""

    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the input field at fault ("end", "email"), when one is

    def located(self, where: str) -> CongtacError:
        """The same error, its message prefixed with where it was found (file, row, column)."""
        return type(self)(f"{where}: {self.message}", field=self.field)


class InvalidInput(CongtacError):
    """An argument that is malformed in itself (exit 2)."""

    exit_code = 2


class NotFound(CongtacError):
    """A cadre, unit, visit or policy that the record does not hold."""


class Ambiguous(CongtacError):
    """A name that matches more than one record."""


class Conflict(CongtacError):
    """A write that would duplicate or contradict what is recorded."""


class NotAllowed(CongtacError):
    """A write this database login has no right to make (organisation mode: another cadre's record)."""


class DatabaseError(CongtacError):
    """The database file cannot be used (not ours, not SQLite, not writable)."""


class MailError(CongtacError):
    """The SMTP server could not be reached or refused a message; the message never shows a password."""


class RecipientRefused(MailError):
    """The SMTP server refused one recipient; other messages can still go."""


class ManyErrors(CongtacError):
    """Several independent errors found at once (an import's rows): each is one line.

    ``errors`` are the errors in reading order (the first ``shown`` are listed),
    ``details`` one dict each for ``--json``; the exit code is the first error's.
    """

    def __init__(
        self, errors: list[CongtacError], details: list[dict[str, object]], *, summary: str, shown: int
    ) -> None:
        super().__init__(errors[0].message)
        self.errors = errors
        self.details = details
        self.summary = summary  # the closing line ("3 errors; nothing was imported")
        self.shown = shown
        self.exit_code = errors[0].exit_code

    @property
    def lines(self) -> list[str]:
        """What stderr shows: the first ``shown`` errors, then the summary."""
        return [e.message for e in self.errors[: self.shown]] + [self.summary]
