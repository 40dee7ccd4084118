"""The exception family the CLI turns into one-line messages.

Exit codes: 2 for a malformed argument (a date that does not exist, a kind
that is not one of ours), 1 for an operation the record refuses (an unknown
cadre, a duplicate, a file that is not our database).
"""


class CongtacError(Exception):
    """Base of every error a user can cause; its message is shown as is."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(CongtacError):
    """An argument that is malformed in itself (exit 2)."""

    exit_code = 2


class NotFound(CongtacError):
    """A cadre, unit, visit or policy that the record does not hold."""


class Ambiguous(CongtacError):
    """A name that matches more than one record."""


class Conflict(CongtacError):
    """A write that would duplicate or contradict what is recorded."""


class DatabaseError(CongtacError):
    """The database file cannot be used (not ours, not SQLite, not writable)."""


class MailError(CongtacError):
    """The SMTP server could not be reached or refused a message; the message never shows a password."""


class RecipientRefused(MailError):
    """The SMTP server refused one recipient; other messages can still go."""
