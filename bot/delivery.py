"""Proactive delivery: the `DigestSender` protocol adapters implement, and the dispatcher.

The services hand over `Outgoing` items (a digest for a manager, a reminder for a rep);
the `Dispatcher` sends each through the sender of its recipient's platform. The console
outbox (`bot/outbox.py`) is always there; the Slack and Teams adapters add their own
senders (posting with the stored conversation reference) by passing them to
`bot.wiring.open_root(settings, senders=[...])`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

from coaching.digests.ports import Outgoing
from coaching.types import Platform

log = logging.getLogger(__name__)


class DigestSender(Protocol):
    """Delivers digests and reminders on one platform.

    `send` returns the keys of the items it delivered; an item it could not deliver is
    simply left out (the caller marks it failed and a later run retries it). Raising is
    allowed too: the whole batch then counts as failed.
    """

    @property
    def platform(self) -> Platform: ...

    async def send(self, items: Sequence[Outgoing]) -> set[str]: ...


class Dispatcher:
    """The app's `coaching.digests.ports.Outbound`: routes items to their platform's
    sender."""

    def __init__(self, senders: Sequence[DigestSender]) -> None:
        self._senders = {sender.platform: sender for sender in senders}

    @property
    def platforms(self) -> frozenset[Platform]:
        return frozenset(self._senders)

    async def deliver(self, items: Sequence[Outgoing]) -> set[str]:
        by_platform: dict[Platform, list[Outgoing]] = defaultdict(list)
        for item in items:
            by_platform[item.recipient.platform].append(item)
        delivered: set[str] = set()
        for platform, batch in by_platform.items():
            sender = self._senders.get(platform)
            if sender is None:
                continue
            try:
                delivered |= await sender.send(batch)
            except Exception as error:  # a platform outage must not stop the other platforms
                log.warning(
                    "delivery of %d item(s) on %s failed: %s",
                    len(batch),
                    platform.value,
                    type(error).__name__,
                )
        return delivered
