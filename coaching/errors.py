"""The errors a user may read, and the one rule for what a user may read of any error.

Every failure a person can do something about is a `CoachError`: a contract error code and
a message written for them. `CoachingError` is theirs to fix (bad input, missing rights,
an unknown id); `StoreUnavailable` means the coach's database cannot be opened or is not
answering, which the storage layer raises and the domain defines, so an adapter never
imports storage to recognise it. Anything else is a bug, and `user_message` gives None for
it: the adapter says its own apology and logs the error, and no exception text ever reaches
a user.
"""

from __future__ import annotations

STORE_UNAVAILABLE = "store.unavailable"


class CoachError(Exception):
    """A failure with a contract error `code` and a `message` fit to show a user."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def to_json(self) -> dict[str, dict[str, str]]:
        return {"error": {"code": self.code, "message": self.message}}


class CoachingError(CoachError):
    """A problem the user can fix; a retry would fail the same way."""


class StoreUnavailable(CoachError):
    """The coach's database cannot be opened or is not answering; trying later may work."""

    def __init__(self, message: str) -> None:
        super().__init__(STORE_UNAVAILABLE, message)


def user_error(error: BaseException) -> CoachError | None:
    """`error` as a user may read it, or None for a bug (whose text they must never see)."""
    return error if isinstance(error, CoachError) else None


def user_message(error: BaseException) -> str | None:
    """The line a user may read for `error`; None when only an apology may be said."""
    known = user_error(error)
    return known.message if known is not None else None
