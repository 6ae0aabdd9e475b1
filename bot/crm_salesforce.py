"""Salesforce Opportunities for `coaching.digests.crm.sync_deals`, read with `simple-salesforce`.

Read-only by construction: the only calls made are the OAuth token request and SOQL
queries (`GET .../query/?q=` and the `nextRecordsUrl` batches after it); the connected
app's run-as user needs "API Enabled" and read access to Opportunities and Users only.

- Sign-in: the OAuth 2.0 client credentials flow, a connected app's consumer key and
  secret posted to `{COACH_SALESFORCE_URL}/services/oauth2/token`. We make that one request
  ourselves, because simple-salesforce's own login builds `https://{domain}.salesforce.com`
  and so cannot reach a proxy or the test stand-in; the token and the `instance_url` it
  returns then go to simple-salesforce's `Salesforce(session_id=..., instance_url=...)`.
  An access token that expires mid-sync (401 `INVALID_SESSION_ID`) is renewed once.
- Incremental: Opportunities with `SystemModstamp` at or after the stored cursor (to the
  second: SOQL's datetime literals have no milliseconds), oldest first, following
  `nextRecordsUrl` (2,000 a batch, Salesforce's largest).
- Last customer activity is `LastActivityDate`, the newest logged task or event on the
  opportunity: Salesforce keeps no standard field for when the customer last engaged.
- Stages: the standard sales process maps to ours; a custom stage counts as won or lost
  from `IsWon` / `IsClosed`, and as discovery while open.
- Limits: a 429 waits as long as `Retry-After` says (capped), a few times; the org's API
  request limit (403 `REQUEST_LIMIT_EXCEEDED`) ends the sync with one line, the deals read
  so far kept. The secret and tokens are never logged, nor are Salesforce's error bodies.

simple-salesforce is synchronous (requests), so every call runs in a worker thread, and it
is imported on the first sync only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

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

if TYPE_CHECKING:
    import requests
    from simple_salesforce.api import Salesforce

log = logging.getLogger(__name__)

SOURCE = "salesforce"
API_VERSION = "62.0"
PAGE_SIZE = 2000
REQUEST_SECONDS = 30.0
FIELDS = (
    "Id",
    "Name",
    "Amount",
    "StageName",
    "IsClosed",
    "IsWon",
    "CloseDate",
    "NextStep",
    "LastActivityDate",
    "CreatedDate",
    "SystemModstamp",
    "Owner.Email",
)
STANDARD_STAGES = {
    "Prospecting": DealStage.DISCOVERY,
    "Qualification": DealStage.DISCOVERY,
    "Needs Analysis": DealStage.DISCOVERY,
    "Value Proposition": DealStage.PROPOSAL,
    "Id. Decision Makers": DealStage.PROPOSAL,
    "Perception Analysis": DealStage.PROPOSAL,
    "Proposal/Price Quote": DealStage.PROPOSAL,
    "Negotiation/Review": DealStage.NEGOTIATION,
}

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")


class SalesforceDeals:
    """A `CrmSource` over one Salesforce org (a connected app's client credentials)."""

    name = SOURCE

    def __init__(
        self,
        url: str,
        client_id: str,
        secret: str,
        *,
        page_size: int = PAGE_SIZE,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        import requests  # noqa: PLC0415 - lazy: most runs never sync a CRM

        self._token_url = url.rstrip("/") + "/services/oauth2/token"
        self._credentials = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
        }
        self._session = requests.Session()
        self._session.hooks["response"].append(self._note_retry_after)
        self._headers = {"Sforce-Query-Options": f"batchSize={page_size}"}
        self._client: Salesforce | None = None
        self._retry_after: str | None = None
        self._sleep = sleep

    async def pages(self, since: datetime | None) -> AsyncIterator[Sequence[CrmDeal]]:
        """The sync's pages; its keep-alive connections are closed when it ends (the next
        sync is an hour away, and a one-off `coach crm sync` exits), the token is kept."""
        options = {"headers": self._headers, "timeout": REQUEST_SECONDS}
        try:
            batch = await self._call(partial(_first_batch, _soql(since), options))
            while True:
                yield [_deal(record) for record in _records(batch)]
                if batch.get("done", True):
                    return
                following = batch.get("nextRecordsUrl")
                if not isinstance(following, str):
                    raise _garbled()
                batch = await self._call(partial(_next_batch, following, options))
        finally:
            self._session.close()

    async def _call(self, request: Callable[[Salesforce], T]) -> T:
        """One query in a thread: signs in first, renews an expired token once, waits out
        429s, and turns every other failure into one line."""
        from requests import RequestException  # noqa: PLC0415
        from simple_salesforce.exceptions import (  # noqa: PLC0415
            SalesforceError,
            SalesforceExpiredSession,
        )

        renewed = False
        rate_limited = 0
        while True:
            try:
                if self._client is None:
                    self._client = await asyncio.to_thread(self._sign_in)
                return await asyncio.to_thread(request, self._client)
            except SalesforceExpiredSession:
                if renewed:
                    raise _refused() from None
                log.info("salesforce: access token expired; signing in again")
                self._client, renewed = None, True
            except SalesforceError as error:
                rate_limited += 1
                if error.status != 429 or rate_limited >= MAX_RATE_LIMITED:
                    raise _failed(error.status, _error_code(error.content)) from None
                wait = retry_after_seconds(self._retry_after)
                log.info("salesforce rate limit; waiting %.1f s", wait)
                await self._sleep(wait)
            except (ValueError, KeyError, TypeError):  # not Salesforce's JSON
                raise _garbled() from None
            except RequestException:
                raise _unreachable() from None

    def _sign_in(self) -> Salesforce:
        """The client credentials flow; simple-salesforce then uses the token it returns."""
        from simple_salesforce.api import Salesforce  # noqa: PLC0415

        answer = self._session.post(
            self._token_url, data=self._credentials, timeout=REQUEST_SECONDS
        )
        if answer.status_code in {400, 401, 403}:
            raise _refused()
        if answer.status_code != 200:
            raise _failed(answer.status_code, None)
        token = answer.json()
        return Salesforce(
            session_id=str(token["access_token"]),
            instance_url=str(token["instance_url"]),
            session=self._session,
            version=API_VERSION,
        )

    def _note_retry_after(self, response: requests.Response, *_: Any, **__: Any) -> None:
        """simple-salesforce's errors carry no headers; a response hook keeps Retry-After."""
        self._retry_after = response.headers.get("Retry-After")


def salesforce_source(settings: Settings) -> SalesforceDeals | None:
    """The Salesforce source the COACH_SALESFORCE_* settings configure, None when none is
    set; half a configuration is a mistake to say, not a sync to skip."""
    secret = settings.crm.salesforce_client_secret
    given = {
        "COACH_SALESFORCE_URL": settings.crm.salesforce_url or "",
        "COACH_SALESFORCE_CLIENT_ID": settings.crm.salesforce_client_id or "",
        "COACH_SALESFORCE_CLIENT_SECRET": secret.get_secret_value().strip() if secret else "",
    }
    missing = [name for name, value in given.items() if not value]
    if len(missing) == len(given):
        return None
    if missing:
        raise CoachingError(
            "config.invalid",
            f"Salesforce also needs {' and '.join(missing)} (see docs/crm.md).",
        )
    return SalesforceDeals(*given.values())


def _first_batch(soql: str, options: dict[str, Any], client: Salesforce) -> Any:
    return client.query(soql, **options)


def _next_batch(url: str, options: dict[str, Any], client: Salesforce) -> Any:
    """The batch `nextRecordsUrl` names (queryMore): its locator, held by Salesforce."""
    return client.query_more(url, identifier_is_url=True, **options)


def _soql(since: datetime | None) -> str:
    where = ""
    if since is not None:
        where = f" WHERE SystemModstamp >= {since.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    return f"SELECT {', '.join(FIELDS)} FROM Opportunity{where} ORDER BY SystemModstamp, Id"


def _records(batch: Any) -> list[dict[str, Any]]:
    """A batch's records; an answer without them is not Salesforce's (a proxy's page)."""
    records = batch.get("records") if isinstance(batch, dict) else None
    if not isinstance(records, list):
        raise _garbled()
    return records


def _deal(record: dict[str, Any]) -> CrmDeal:
    record_id, modified = record.get("Id"), _timestamp(record.get("SystemModstamp"))
    if not record_id or modified is None:
        raise _garbled()
    owner = record.get("Owner") or {}
    return to_crm_deal(
        SOURCE,
        str(record_id),
        label="Salesforce",
        name=record.get("Name"),
        owner_email=owner.get("Email") if isinstance(owner, dict) else None,
        stage=_stage(record),
        modified_at=modified,
        amount=record.get("Amount"),
        close_date=_day(record.get("CloseDate")),
        next_step=record.get("NextStep"),
        last_customer_action_at=_day(record.get("LastActivityDate")),
        opened_at=_day(record.get("CreatedDate")),
    )


def _stage(record: dict[str, Any]) -> DealStage:
    if record.get("IsWon") is True:
        return DealStage.WON
    if record.get("IsClosed") is True:
        return DealStage.LOST
    return STANDARD_STAGES.get(str(record.get("StageName") or ""), DealStage.DISCOVERY)


def _timestamp(value: object) -> datetime | None:
    """Salesforce writes datetimes as "2026-03-02T09:00:00.000+0000"."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _day(value: object) -> date | None:
    """A date field ("2026-03-31") or the UTC day of a datetime field."""
    stamp = _timestamp(value)
    return stamp.astimezone(UTC).date() if stamp else None


def _error_code(content: object) -> str | None:
    """Salesforce's REST errors are a list of {message, errorCode}."""
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return str(content[0].get("errorCode") or "") or None
    return None


def _refused() -> CoachingError:
    return CoachingError(
        "crm.unauthorized",
        "Salesforce refused the connected app's credentials (wrong key or secret, or the "
        "client credentials flow is not enabled for it). Check COACH_SALESFORCE_CLIENT_ID "
        "and COACH_SALESFORCE_CLIENT_SECRET.",
    )


def _failed(status: int | None, code: str | None) -> CoachingError:
    if code == "REQUEST_LIMIT_EXCEEDED":
        return CoachingError(
            "crm.unavailable",
            "Salesforce says your org's API request limit is used up; the deals read so far "
            "are kept, and the next sync after the limit resets carries on from there.",
        )
    if status == 429:
        return still_rate_limited("Salesforce")
    if status == 403:
        return CoachingError(
            "crm.unauthorized",
            "Salesforce refused to show Opportunities to the connected app's run-as user. "
            "Give that user read access to Opportunities and Users.",
        )
    return answered_error("Salesforce", status)


def _garbled() -> CoachingError:
    return garbled("Salesforce", "COACH_SALESFORCE_URL")


def _unreachable() -> CoachingError:
    return unreachable("Salesforce", "COACH_SALESFORCE_URL")
