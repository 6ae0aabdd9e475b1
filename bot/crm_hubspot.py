"""HubSpot deals for `coaching.digests.crm.sync_deals`, read with the official `hubspot-api-client`.

Read-only by construction: the only calls made are the CRM v3 deal search
(`POST /crm/v3/objects/deals/search`) and the owners list (`GET /crm/v3/owners/`); the
private app needs the `crm.objects.deals.read` and `crm.objects.owners.read` scopes only.

- Incremental: deals with `hs_lastmodifieddate` at or after the stored cursor, oldest
  first, 100 a page, following `paging.next.after`. HubSpot's search stops at 10,000
  results per query, so at that depth the query starts again from the newest time read.
- Last customer activity is `hs_last_sales_activity_date`, HubSpot's last time a contact on
  the deal engaged (replied, booked a meeting, opened a tracked email). We do not use
  `notes_last_contacted`: it moves whenever the rep calls or emails, and a rep chasing a
  silent customer is exactly the decay the digest must show.
- Stages: HubSpot's default pipeline stages map to ours; a custom pipeline's stage counts
  as won or lost from `hs_is_closed_won` / `hs_is_closed`, and as discovery otherwise.
- The owner's email comes from the owners list and is matched to a rep by the store.
- 429: waits as long as `Retry-After` says (capped), a few times; 401: one line saying the
  token was refused. The token is never logged, and neither are HubSpot's error bodies.

The SDK is synchronous (urllib3), so every call runs in a worker thread, and it is
imported on the first sync only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, date, datetime
from functools import partial
from typing import Any, TypeVar

from bot.crm_failures import (
    MAX_RATE_LIMITED,
    answered_error,
    garbled,
    retry_after_seconds,
    still_rate_limited,
    unreachable,
)
from coaching.digests.crm import to_crm_deal
from coaching.digests.deals import DealStage
from coaching.digests.ports import CrmDeal
from coaching.errors import CoachingError
from config.settings import Settings

log = logging.getLogger(__name__)

SOURCE = "hubspot"
PAGE_SIZE = 100
# HubSpot's search refuses `after` beyond this many results for one query.
SEARCH_DEPTH = 10_000
REQUEST_SECONDS = 30.0
PROPERTIES = (
    "dealname",
    "amount",
    "dealstage",
    "closedate",
    "hs_next_step",
    "hs_last_sales_activity_date",
    "hubspot_owner_id",
    "createdate",
    "hs_lastmodifieddate",
    "hs_is_closed",
    "hs_is_closed_won",
)
DEFAULT_STAGES = {
    "appointmentscheduled": DealStage.DISCOVERY,
    "qualifiedtobuy": DealStage.DISCOVERY,
    "presentationscheduled": DealStage.PROPOSAL,
    "decisionmakerboughtin": DealStage.PROPOSAL,
    "contractsent": DealStage.NEGOTIATION,
    "closedwon": DealStage.WON,
    "closedlost": DealStage.LOST,
}
_TIMEOUT = {"_request_timeout": REQUEST_SECONDS}

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")


class HubSpotDeals:
    """A `CrmSource` over one HubSpot account (a private app's access token)."""

    name = SOURCE

    def __init__(self, token: str, *, host: str, sleep: Sleep = asyncio.sleep) -> None:
        from hubspot import HubSpot  # noqa: PLC0415 - lazy: most runs never sync a CRM

        self._client = HubSpot(access_token=token, host=host.rstrip("/"))
        self._sleep = sleep

    async def pages(self, since: datetime | None) -> AsyncIterator[Sequence[CrmDeal]]:
        owners = await self._owner_emails()
        after: str | None = None
        while True:
            page = await self._call(partial(self._search, since, after))
            deals = [_deal(item, owners) for item in _results(page)]
            yield deals
            after = _next(page)
            if after is not None and int(after) >= SEARCH_DEPTH:
                # As deep as one search goes: search again from the newest time read.
                reached = max((d.modified_at for d in deals), default=since)
                if reached == since:
                    log.warning("hubspot: over %d deals modified at one instant", SEARCH_DEPTH)
                    return
                since, after = reached, None
            elif after is None:
                return

    def _search(self, since: datetime | None, after: str | None) -> Any:
        from hubspot.crm.deals import PublicObjectSearchRequest  # noqa: PLC0415

        filters = []
        if since is not None:
            stamp = str(int(since.timestamp() * 1000))
            filters = [{"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": stamp}]
        request = PublicObjectSearchRequest(
            filter_groups=[{"filters": filters}] if filters else [],
            sorts=[{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
            properties=list(PROPERTIES),
            limit=PAGE_SIZE,
            after=after,
        )
        return self._client.crm.deals.search_api.do_search(
            public_object_search_request=request, **_TIMEOUT
        )

    async def _owner_emails(self) -> dict[str, str]:
        """Owner id -> lower-cased email, every page of the owners list."""
        owners_api = self._client.crm.owners.owners_api
        emails: dict[str, str] = {}
        after: str | None = None
        while True:
            page = await self._call(
                partial(owners_api.get_page, limit=PAGE_SIZE, after=after, **_TIMEOUT)
            )
            for owner in _results(page):
                if owner.email:
                    emails[str(owner.id)] = str(owner.email)
            after = _next(page)
            if after is None:
                return emails

    async def _call(self, request: Callable[[], T]) -> T:
        """One SDK call in a thread; waits out 429s, turns other failures into one line."""
        from hubspot.crm.deals import ApiException as DealsError  # noqa: PLC0415
        from hubspot.crm.owners import ApiException as OwnersError  # noqa: PLC0415
        from urllib3.exceptions import HTTPError  # noqa: PLC0415

        for _ in range(MAX_RATE_LIMITED):
            try:
                return await asyncio.to_thread(request)
            except (DealsError, OwnersError) as error:
                if error.status != 429:
                    raise _refused(error.status) from None
                wait = _retry_after(error.headers)
                log.info("hubspot rate limit; waiting %.1f s", wait)
                await self._sleep(wait)
            except HTTPError:
                raise _unreachable() from None
            except ValueError:  # the SDK's models refuse an answer without HubSpot's fields
                raise _garbled() from None
        raise still_rate_limited("HubSpot")


def hubspot_source(settings: Settings) -> HubSpotDeals | None:
    """The HubSpot source COACH_HUBSPOT_TOKEN configures, None when it is unset."""
    token = (
        settings.crm.hubspot_token.get_secret_value().strip() if settings.crm.hubspot_token else ""
    )
    return HubSpotDeals(token, host=settings.crm.hubspot_url) if token else None


def _results(page: Any) -> list[Any]:
    """A page's results; an answer without them is not HubSpot's (a proxy's page, say)."""
    results = getattr(page, "results", None)
    if not isinstance(results, list):
        raise _garbled()
    return results


def _next(page: Any) -> str | None:
    """`paging.next.after` of a search or list page, None on the last page."""
    paging = page.paging
    return str(paging.next.after) if paging is not None and paging.next is not None else None


def _deal(item: Any, owners: dict[str, str]) -> CrmDeal:
    props: dict[str, str | None] = item.properties or {}
    return to_crm_deal(
        SOURCE,
        str(item.id),
        label="HubSpot",
        name=props.get("dealname"),
        owner_email=owners.get(props.get("hubspot_owner_id") or ""),
        stage=_stage(props),
        modified_at=_timestamp(props.get("hs_lastmodifieddate")) or item.updated_at,
        amount=props.get("amount"),
        close_date=_day(props.get("closedate")),
        next_step=props.get("hs_next_step"),
        last_customer_action_at=_day(props.get("hs_last_sales_activity_date")),
        opened_at=_day(props.get("createdate")),
    )


def _stage(props: dict[str, str | None]) -> DealStage:
    known = DEFAULT_STAGES.get(props.get("dealstage") or "")
    if known is not None:
        return known
    if props.get("hs_is_closed_won") == "true":
        return DealStage.WON
    return DealStage.LOST if props.get("hs_is_closed") == "true" else DealStage.DISCOVERY


def _timestamp(value: str | None) -> datetime | None:
    """HubSpot writes times as ISO 8601 ("2026-03-02T09:00:00.000Z") or epoch milliseconds."""
    if not value:
        return None
    try:
        if value.isdigit():
            return datetime.fromtimestamp(int(value) / 1000, UTC)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _day(value: str | None) -> date | None:
    stamp = _timestamp(value)
    return stamp.astimezone(UTC).date() if stamp else None


def _retry_after(headers: Any) -> float:
    return retry_after_seconds(headers.get("Retry-After") if headers is not None else None)


def _refused(status: int | None) -> CoachingError:
    if status in {401, 403}:
        return CoachingError(
            "crm.unauthorized",
            "HubSpot refused the access token (expired, revoked or missing the deal and owner "
            "read scopes). Create a new private app token and set COACH_HUBSPOT_TOKEN.",
        )
    return answered_error("HubSpot", status)


def _garbled() -> CoachingError:
    return garbled("HubSpot", "COACH_HUBSPOT_URL")


def _unreachable() -> CoachingError:
    return unreachable("HubSpot", "COACH_HUBSPOT_URL")
