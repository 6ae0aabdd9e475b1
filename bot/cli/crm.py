"""`coach crm sync`: read deals from every configured CRM into the coach, for cron or by hand.

Read-only and incremental (see `bot.crm_hubspot`, `bot.crm_salesforce` and `coaching.digests.crm`):
each run reads what changed since the last one, so running it every few minutes is cheap,
and a run that is stopped halfway is finished by the next. HubSpot and Salesforce sync one
after the other, each from its own cursor; one failing does not stop the other, and the
command then exits 2 with that CRM's one line. Credentials come from the COACH_HUBSPOT_* and
COACH_SALESFORCE_* settings and are never printed; the summary counts deals and names none.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import typer

from bot.cli.options import DbOpt, JsonOpt, fail, run_work, settings_for
from coaching.errors import CoachingError

if TYPE_CHECKING:
    from bot.wiring import Workspace
    from coaching.digests.crm import SyncFailure, SyncReport
    from coaching.team.rules import Clock

crm_app = typer.Typer(help="Deals from your CRM (read-only).", no_args_is_help=True)


@crm_app.command("sync")
def sync(as_json: JsonOpt = False, db: DbOpt = None) -> None:
    """Read deals changed since the last sync from HubSpot and Salesforce; never writes to them."""
    from bot.crm_sources import crm_sources
    from coaching.digests.crm import sync_all
    from storage.crm_repo import SqlCrmStore

    settings = settings_for(db)
    try:
        sources = crm_sources(settings)
    except CoachingError as error:
        fail(error, as_json=as_json)
    if not sources:
        fail(
            CoachingError(
                "crm.not_configured",
                "Set COACH_HUBSPOT_TOKEN (a HubSpot private app token) or COACH_SALESFORCE_URL, "
                "COACH_SALESFORCE_CLIENT_ID and COACH_SALESFORCE_CLIENT_SECRET (a Salesforce "
                "connected app) to sync deals; docs/crm.md says how.",
            ),
            as_json=as_json,
        )

    outcomes: list[SyncReport | SyncFailure] = []

    async def work(space: Workspace, _clock: Clock) -> None:
        outcomes.extend(await sync_all(sources, SqlCrmStore(space.store.engine)))

    run_work(work, db=db, now=None, tz=None, as_json=as_json, one_user=False)
    show(outcomes, as_json=as_json)


def show(outcomes: list[SyncReport | SyncFailure], *, as_json: bool) -> None:
    """One line per CRM (or one JSON document); exit 2 after them when a CRM failed."""
    from bot.crm_sources import LABELS
    from coaching.digests.crm import SyncFailure

    failures = [o.error for o in outcomes if isinstance(o, SyncFailure)]
    if as_json:
        payload: dict[str, Any] = {"sources": [_as_json(o) for o in outcomes]}
        if failures:
            payload["error"] = failures[0].to_json()["error"]
        print(json.dumps(payload, indent=2))
    for outcome in outcomes:
        if isinstance(outcome, SyncFailure):
            print(f"coach: {outcome.error.message}", file=sys.stderr)
        elif not as_json:
            _print_report(LABELS.get(outcome.source, outcome.source), outcome)
    if failures:
        raise typer.Exit(2)


def _print_report(label: str, report: SyncReport) -> None:
    print(f"{label}: {report.fetched} deal(s) read, {report.stored} stored.")
    if report.unmatched:
        print(
            f"{report.unmatched} {label} deal(s) skipped: their owner's email is no rep's. "
            "Add an email column to your team CSV ('coach team import')."
        )


def _as_json(outcome: SyncReport | SyncFailure) -> dict[str, Any]:
    from coaching.digests.crm import SyncFailure

    if isinstance(outcome, SyncFailure):
        return {"source": outcome.source, **outcome.error.to_json()}
    cursor = outcome.cursor.isoformat() if outcome.cursor else None
    return {"source": outcome.source, **outcome.counts(), "cursor": cursor}
