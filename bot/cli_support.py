"""Runs a feature command's work with `bot.cli`'s error handling: one line on stderr,
exit status 2 and, with `--json`, an error object; never a stack trace.

Only the `bot/cli_*.py` command modules import this, and `bot.cli` imports them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot import cli as base
from bot.team_wiring import Workspace, cyclic_gc_paused, make_clock, workspace
from coaching.team import Clock
from coaching.types import CoachingError

Work = Callable[[Workspace, Clock], Awaitable[None]]


def run_work(
    work: Work,
    *,
    db: str | None,
    now: str | None,
    tz: str | None,
    as_json: bool,
    one_user: bool = True,
) -> None:
    """Run `work` on a fresh workspace with the CLI's error handling; a job for every user
    (`one_user=False`) runs with the cyclic collector paused."""
    settings = base._settings(db)
    try:
        clock = make_clock(now, tz, settings, one_user=one_user)
    except CoachingError as error:
        base._fail(error, as_json=as_json)

    async def session() -> None:
        async with workspace(settings) as space:
            if one_user:
                await work(space, clock)
                return
            with cyclic_gc_paused():
                await work(space, clock)

    base._run(session(), as_json=as_json)
