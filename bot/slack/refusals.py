"""Which workspaces refused a Slack feature lately, so their next turns skip the attempt.

A free plan refuses the assistant view's status and the streaming methods; asking on every
turn would cost each of its reps a failed call before the placeholder. A refusal is kept for
an hour per workspace (the admin may turn the feature on), in this process only: another
process asks once for itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable

# A workspace that refused is asked again after this long.
REFUSAL_MEMORY_SECONDS = 3600.0


class RefusalMemory:
    """One feature's refusals, by tenant."""

    def __init__(self) -> None:
        self._refused_at: dict[str, float] = {}

    def offered(self, tenant: str) -> bool:
        """Whether to try the feature in `tenant`: not while a recent refusal stands."""
        refused_at = self._refused_at.get(tenant)
        if refused_at is None:
            return True
        if time.monotonic() - refused_at > REFUSAL_MEMORY_SECONDS:
            del self._refused_at[tenant]
            return True
        return False

    def refuser(self, tenant: str) -> Callable[[], None]:
        """What a reply calls when `tenant` refuses the feature."""

        def refused() -> None:
            self._refused_at[tenant] = time.monotonic()

        return refused
