"""A circuit breaker: during a model outage, reps stop waiting for it.

Without one, every turn in an outage waits the full timeout (and its retries) before the
offline coaching arrives. After `failures` consecutive failures of the endpoint itself
(timeouts, connection errors, HTTP 5xx, rate limits; not a junk answer or a refused
request, which say nothing about availability) the model is skipped for
`cooldown_seconds`; then one turn tries again: a success closes the breaker, a failure
opens it for another cool-down. The outage is logged once when it starts and once when it
ends, however long it lasts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class Breaker:
    def __init__(
        self,
        *,
        failures: int,
        cooldown_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`failures` 0 turns the breaker off."""
        self._threshold = failures
        self._cooldown = cooldown_seconds
        self._clock = clock
        self._consecutive = 0
        self._open_until: float | None = None
        self._tripped = False

    def allow(self) -> bool:
        """Whether this turn may ask the model (one trial turn once the cool-down is over)."""
        if self._open_until is None:
            return True
        if self._clock() < self._open_until:
            return False
        # Half-open: this turn tries; another failure re-opens at once.
        self._open_until = None
        self._consecutive = self._threshold - 1
        return True

    def succeeded(self) -> None:
        if self._tripped:
            log.warning("llm answering again; the model coaches once more")
            self._tripped = False
        self._consecutive = 0

    def failed(self) -> None:
        self._consecutive += 1
        if not self._threshold or self._consecutive < self._threshold:
            return
        self._open_until = self._clock() + self._cooldown
        if not self._tripped:
            self._tripped = True
            log.warning(
                "llm failed %d times in a row; serving offline coaching, retrying every %.0f s",
                self._consecutive,
                self._cooldown,
                extra={"kind": "breaker_open", "count": self._consecutive},
            )
