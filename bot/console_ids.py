"""Who a console user is: the console's one tenant and the `--user` id every command takes.

A leaf module, so the command line can check a `--user` before it loads the console, the
store or a service, and the team commands build the same `UserRef` without loading the CLI.
"""

from __future__ import annotations

from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.team.rules import MAX_USER_ID
from coaching.types import Platform

CONSOLE_TENANT = "console"


def check_user(user: str) -> str:
    """A `--user` id the store can hold: 1-255 characters, no NUL."""
    if not user.strip() or len(user) > MAX_USER_ID or "\x00" in user:
        raise CoachingError("input.bad_user", f"--user takes an id of 1-{MAX_USER_ID} characters.")
    return user


def console_user(user: str) -> UserRef:
    """The console user `--user` names; a friendly error for an id the store can't hold."""
    return UserRef(platform=Platform.CONSOLE, tenant=CONSOLE_TENANT, user=check_user(user))
