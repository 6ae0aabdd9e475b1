"""`coach crm sync`: read deals from HubSpot into the coach, for cron or by hand.

Read-only and incremental (see `bot.crm_hubspot` and `coaching.digests.crm`): each run reads what
changed since the last one, so running it every few minutes is cheap, and a run that is
stopped halfway is finished by the next. The token comes from COACH_HUBSPOT_TOKEN and is
never printed; the summary counts deals and names none.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from bot.cli.options import DbOpt, JsonOpt, fail, run_work, settings_for
from coaching.types import CoachingError

if TYPE_CHECKING:
    from bot.team_wiring import Workspace
    from coaching.team.rules import Clock

crm_app = typer.Typer(help="Deals from your CRM (read-only).", no_args_is_help=True)


@crm_app.command("sync")
def sync(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """Read deals changed since the last sync from HubSpot; never writes to HubSpot."""
    from bot.crm_hubspot import hubspot_source
    from coaching.digests.crm import sync_deals
    from storage.crm_repo import SqlCrmStore

    settings = settings_for(db)
    source = hubspot_source(settings)
    if source is None:
        fail(
            CoachingError(
                "crm.not_configured",
                "Set COACH_HUBSPOT_TOKEN to a HubSpot private app token (deal and owner read "
                "scopes) to sync deals.",
            ),
            as_json=as_json,
        )

    async def work(space: Workspace, _clock: Clock) -> None:
        report = await sync_deals(source, SqlCrmStore(space.store.engine))
        cursor = report.cursor.isoformat() if report.cursor else None
        if as_json:
            payload = {
                "source": report.source,
                "fetched": report.fetched,
                "stored": report.stored,
                "unmatched": report.unmatched,
                "cursor": cursor,
            }
            print(json.dumps(payload, indent=2))
            return
        print(f"HubSpot: {report.fetched} deal(s) read, {report.stored} stored.")
        if report.unmatched:
            print(
                f"{report.unmatched} deal(s) skipped: their owner's email is no rep's. Add "
                "an email column to your team CSV ('coach team import')."
            )

    run_work(work, db=db, now=None, tz=None, as_json=as_json, one_user=False)
