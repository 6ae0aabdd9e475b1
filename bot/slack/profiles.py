"""Users' names and time zones from users.info, remembered for an hour.

Due dates ("by Friday") resolve in the rep's own zone, so the coach asks Slack once per
user and hour instead of once per message. A failure falls back to the configured zone (and
is not remembered): a missing profile must never cost the rep their answer.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.delivery import DELIVERY_ERRORS
from bot.slack.translate import Profile

log = logging.getLogger(__name__)

TTL_SECONDS = 3600.0
MAX_ENTRIES = 5000


class UserDirectory:
    def __init__(self) -> None:
        self._cache: OrderedDict[tuple[str, str], tuple[float, Profile]] = OrderedDict()

    async def lookup(self, client: AsyncWebClient, *, tenant: str, user: str) -> Profile:
        key = (tenant, user)
        cached = self._cache.get(key)
        if cached is not None and time.monotonic() - cached[0] < TTL_SECONDS:
            return cached[1]
        profile = await _fetch(client, user)
        if profile is None:
            return Profile()
        self._cache[key] = (time.monotonic(), profile)
        self._cache.move_to_end(key)
        while len(self._cache) > MAX_ENTRIES:
            self._cache.popitem(last=False)
        return profile


async def _fetch(client: AsyncWebClient, user: str) -> Profile | None:
    """The profile, or None when Slack could not say (not remembered, asked again later)."""
    try:
        response = await client.users_info(user=user)
    except DELIVERY_ERRORS:
        log.info("users.info failed; using the default time zone", exc_info=True)
        return None
    info = response.get("user") or {}
    details = info.get("profile") or {}
    name = details.get("display_name") or details.get("real_name") or info.get("real_name")
    return Profile(name=name or None, tz=info.get("tz") or None)
