"""Deals as the weekly digest reads them, and the deal rules behind its nudges.

The thresholds follow the playbooks: interest decays when the customer has done nothing
for a quarter after its peak (requalify at two quarters); a high-value proposal should be
followed by a presentation to the decision group (P3) with the final decision maker there;
revenue is judged by its mix, not only its total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

STALE_DAYS = 90
REQUALIFY_DAYS = 180
HIGH_VALUE = 100_000
MIX_WINDOW_DAYS = 90


class DealStage(StrEnum):
    DISCOVERY = "discovery"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"


CLOSED_STAGES = (DealStage.WON, DealStage.LOST)


@dataclass(frozen=True, slots=True)
class Deal:
    """One rep's opportunity; dates are calendar days in the rep's own zone."""

    owner_id: int
    name: str
    stage: DealStage
    value: int | None = None
    product_line: str | None = None
    peak_interest_at: date | None = None
    last_customer_action_at: date | None = None
    proposal_sent_at: date | None = None
    p3_requested: bool = False
    p3_at: date | None = None
    decider_confirmed: bool = False
    closed_at: date | None = None

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED_STAGES


def quiet_days(deal: Deal, today: date) -> int | None:
    """Days since the customer last acted (or since peak interest if they never did)."""
    if not deal.is_open:
        return None
    peak, last = deal.peak_interest_at, deal.last_customer_action_at
    latest = last if peak is None else peak if last is None else max(peak, last)
    return None if latest is None else (today - latest).days


def decaying(deals: Sequence[Deal], today: date) -> list[tuple[Deal, int]]:
    """The open deals whose customer has done nothing for a quarter or more, each with its
    quiet days, in the order given: worked out once per rep, for the deal lines and the
    nudges alike."""
    return [
        (deal, days)
        for deal in deals
        if (days := quiet_days(deal, today)) is not None and days >= STALE_DAYS
    ]


def needs_p3(deal: Deal) -> bool:
    """A high-value proposal is out and no presentation to the deciders is asked for."""
    return (
        deal.is_open
        and deal.proposal_sent_at is not None
        and (deal.value or 0) >= HIGH_VALUE
        and not deal.p3_requested
        and deal.p3_at is None
    )


def p3_without_decider(deal: Deal, today: date) -> bool:
    return (
        deal.is_open
        and deal.p3_at is not None
        and deal.p3_at >= today
        and not (deal.decider_confirmed)
    )


def p3_held_with_decider(deal: Deal, since: date, today: date) -> bool:
    return deal.p3_at is not None and since <= deal.p3_at <= today and deal.decider_confirmed


def recent_win_lines(deals: Sequence[Deal], today: date) -> list[str]:
    """Product lines of the deals won in the last quarter, one entry per deal."""
    since = today - timedelta(days=MIX_WINDOW_DAYS)
    return [
        d.product_line
        for d in deals
        if d.stage is DealStage.WON
        and d.product_line
        and d.closed_at is not None
        and since <= d.closed_at <= today
    ]


def single_line(wins: Sequence[str], team_lines: set[str]) -> str | None:
    """The one line all recent wins came from, when the team sells more than that."""
    lines = set(wins)
    if len(wins) >= 2 and len(lines) == 1 and len(team_lines - lines) >= 1:
        return next(iter(lines))
    return None
