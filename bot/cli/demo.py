"""`coach demo`: seed a small sales organisation and show what the coach does with it.

The organisation itself (people, commitments, deals, history) lives in `bot.demo`, which
this command imports only when it runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.cli.options import DbOpt, JsonOpt, NowOpt, TzOpt, run_work

if TYPE_CHECKING:
    from bot.wiring import Workspace
    from coaching.team.rules import Clock


def demo(
    *,
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """Seed a demo organisation (safe to run twice), send today's reminders, show a digest."""

    async def work(space: Workspace, clock: Clock) -> None:
        from bot.demo import show

        await show(space, clock, as_json=as_json)

    run_work(work, db=db, now=now, tz=tz, as_json=as_json, one_user=False)
