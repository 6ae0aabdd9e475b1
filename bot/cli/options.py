"""What every `coach` command shares: its options, and its one way of failing.

Anything the user must fix becomes one line on stderr, exit status 2 and, with `--json`, an
error object on stdout; never a stack trace. This is the leaf of `bot.cli`: it imports no
command module, and the settings, the store and the services are imported inside the
functions that use them, so `coach --help` loads none of them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from coaching.errors import CoachError, CoachingError, user_error
from coaching.types import Role

if TYPE_CHECKING:
    from bot.cli.identity import Claim
    from bot.wiring import Workspace
    from coaching.team.rules import Clock
    from config.settings import Settings

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result object as JSON only.")]
NowOpt = Annotated[
    str | None, typer.Option("--now", help="Clock for due dates: YYYY-MM-DD[THH:MM].")
]
TzOpt = Annotated[str | None, typer.Option("--tz", help="Time zone, e.g. Europe/Berlin.")]
DbOpt = Annotated[str | None, typer.Option("--db", help="Database URL (default: local SQLite).")]
UserOpt = Annotated[str, typer.Option("--user", help="Who is talking to the coach.")]
RoleOpt = Annotated[
    Role | None,
    typer.Option("--role", help="Your stored role, as a check; someone new may claim it."),
]

Work = Callable[["Workspace", "Clock"], Awaitable[None]]


def fail(error: CoachError, *, as_json: bool) -> NoReturn:
    """Report `error` as the user may read it and exit with status 2."""
    if as_json:
        print(json.dumps(error.to_json()))
    print(f"coach: {error.message}", file=sys.stderr)
    raise typer.Exit(2)


def run(coro: Coroutine[Any, Any, None], *, as_json: bool) -> None:
    """Run a command's work on one asyncio loop; a user's error is one line and exit 2."""
    import asyncio

    try:
        asyncio.run(coro)
    except Exception as error:
        reported = user_error(error)
        if reported is None:
            raise
        fail(reported, as_json=as_json)


def settings_for(db: str | None) -> Settings:
    """The settings from the environment, with `--db` over `COACH_DATABASE_URL`."""
    from config.settings import load_settings

    return load_settings(database_url=db)


def claim(config: Settings, user: str, role: Role | None, now: str | None, tz: str | None) -> Claim:
    """The identity and clock flags, checked before anything is opened."""
    from bot.cli.identity import Claim

    return Claim(user, role, now, tz, config.coaching.default_timezone).check()


def run_work(
    work: Work,
    *,
    db: str | None,
    now: str | None,
    tz: str | None,
    as_json: bool,
    one_user: bool = True,
) -> None:
    """Run `work` on a fresh team workspace with the CLI's error handling; a job for every
    user (`one_user=False`) runs with the cyclic collector paused."""
    from bot.clock import make_clock
    from bot.gc_pause import cyclic_gc_paused
    from bot.wiring import workspace

    config = settings_for(db)
    try:
        clock = make_clock(now, tz, config, one_user=one_user)
    except CoachingError as error:
        fail(error, as_json=as_json)

    async def session() -> None:
        async with workspace(config) as space:
            if one_user:
                await work(space, clock)
                return
            with cyclic_gc_paused():
                await work(space, clock)

    run(session(), as_json=as_json)
