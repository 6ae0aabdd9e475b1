"""Prometheus metrics for `/metrics`, fed by the coaching service's observer hooks.

Each `Metrics` owns its own `CollectorRegistry`, so nothing is registered at import time and
tests (or two apps in one process) never collide on the global registry.
"""

from __future__ import annotations

import logging
from typing import Protocol

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class QueueDepth(Protocol):
    async def depth(self) -> int:
        """Jobs waiting for a worker; OSError when the queue cannot be reached."""
        ...


class Metrics:
    """The coach's metrics; implements `coaching.observe.CoachObserver`."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._turns = Histogram(
            "coach_turn_seconds",
            "Time to answer one coaching turn, by the engine that answered.",
            ["engine"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._llm = Histogram(
            "coach_llm_seconds",
            "Time the model took to answer (or fail).",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._llm_errors = Counter(
            "coach_llm_errors",
            "Model calls without a usable answer, by kind.",
            ["kind"],
            registry=self.registry,
        )
        self._fallbacks = Counter(
            "coach_fallbacks",
            "Turns answered offline although a model is configured, by reason.",
            ["reason"],
            registry=self.registry,
        )
        self._queue_depth = Gauge(
            "coach_queue_depth",
            "Jobs waiting on the job queue for a worker (0 when work runs in-process).",
            registry=self.registry,
        )
        self._queue: QueueDepth | None = None
        self._digests = Gauge(
            "coach_digests_sent",
            "Weekly digests recorded as sent in the database (all workers).",
            registry=self.registry,
        )

        # A gauge, not a counter: a rep may change their mind, which moves one rating
        # from up to down. Read from the database at scrape time, like the digests.
        self._feedback = Gauge(
            "coach_feedback_total",
            "Answers rated by the rep who got them, by verdict (up or down).",
            ["verdict"],
            registry=self.registry,
        )

    def turn_finished(self, seconds: float, engine: str) -> None:
        self._turns.labels(engine=engine).observe(seconds)

    def llm_answered(self, seconds: float) -> None:
        self._llm.observe(seconds)

    def llm_failed(self, kind: str) -> None:
        self._llm_errors.labels(kind=kind).inc()

    def fell_back(self, reason: str) -> None:
        self._fallbacks.labels(reason=reason).inc()

    def digests_sent(self, total: int) -> None:
        """Set from the database at scrape time, since digests are sent by `coach nudges run`."""
        self._digests.set(total)

    def feedback_rated(self, totals: dict[str, int]) -> None:
        """Set from the database at scrape time; both verdicts always appear."""
        for verdict in ("up", "down"):
            self._feedback.labels(verdict=verdict).set(totals.get(verdict, 0))

    def watch_queue(self, queue: QueueDepth) -> None:
        """Report this queue's depth at every scrape."""
        self._queue = queue

    async def refresh_queue_depth(self) -> None:
        """Read the depth now; an unreachable queue keeps the last figure (and is logged)."""
        if self._queue is None:
            return
        try:
            self._queue_depth.set(await self._queue.depth())
        except OSError:
            log.warning("The job queue did not answer the depth probe")

    def exposition(self) -> tuple[bytes, str]:
        """The text format body and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def create_metrics() -> Metrics:
    return Metrics()
