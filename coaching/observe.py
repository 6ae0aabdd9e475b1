"""The hooks the coaching service reports through, so an adapter can count and time turns.

`coaching/` never imports a metrics library: `bot/metrics.py` implements this protocol
with Prometheus, and the default `NullObserver` drops everything. No hook receives text.
"""

from __future__ import annotations

from typing import Protocol


class CoachObserver(Protocol):
    def turn_finished(self, seconds: float, engine: str) -> None:
        """A coaching turn was answered by `engine` ("offline" or "llm")."""

    def llm_answered(self, seconds: float) -> None:
        """The model answered (usable or not) after `seconds`."""

    def llm_failed(self, kind: str) -> None:
        """The model gave no usable answer; `kind` is a short safe label (timeout, http_500)."""

    def fell_back(self, reason: str) -> None:
        """The offline result was served instead of the model's (a failure, or the budget)."""


class NullObserver:
    """Observes nothing: the default when no metrics are wired."""

    def turn_finished(self, seconds: float, engine: str) -> None:
        """Dropped."""

    def llm_answered(self, seconds: float) -> None:
        """Dropped."""

    def llm_failed(self, kind: str) -> None:
        """Dropped."""

    def fell_back(self, reason: str) -> None:
        """Dropped."""
