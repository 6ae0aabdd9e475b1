"""Scenario S27 of the playbooks digest: a weekly nudge built from stored state.

Managers M1 (Ana, Ben, Cara, Dana) and M2 (Zed). As of Monday 2026-03-02 (ISO week 10):
Ana has an overdue promise to Lena and a high-value proposal out with no P3; Ben's Globex
deal has been quiet since October and his updates count dials and emails; Cara kept every
promise, held a P3 with the decider and made an introduction; Dana's wins are all on one
line and a draft of hers used a buyer's health details.
"""

from __future__ import annotations

from datetime import date

from coaching.digests.deals import DealStage
from coaching.types import CommitmentKind, CommitmentStatus, Role
from storage.repository import SqlStore
from tests.nudges.org import Org, at

WEEK = "2026-W10"
NOW = "2026-03-02T09:00"
HEALTH_DETAIL = "her chemotherapy"
ACTIVITY_DETAIL = "62 dials and 140 emails"
REPS = ("ana", "ben", "cara", "dana")


async def seed_s27(store: SqlStore) -> Org:
    org = Org(store)
    await org.people(
        ("M1", Role.MANAGER, None),
        ("M2", Role.MANAGER, None),
        *((rep, Role.REP, "M1") for rep in REPS),
        ("zed", Role.REP, "M2"),
    )
    await _ana_and_ben(org)
    await _cara_and_dana(org)
    await org.promise("zed", "zed's private promise", due=date(2026, 2, 2))
    return org


async def _ana_and_ben(org: Org) -> None:
    await org.promise("ana", "send Lena the revised pricing", due=date(2026, 2, 27))
    await org.deal(
        "ana",
        "Northwind",
        DealStage.PROPOSAL,
        value=250_000,
        product_line="Platform",
        proposal_sent_at=date(2026, 2, 20),
        last_customer_action_at=date(2026, 2, 20),
    )
    await org.deal(
        "ben",
        "Globex",
        DealStage.NEGOTIATION,
        value=150_000,
        product_line="Platform",
        peak_interest_at=date(2025, 10, 1),
        last_customer_action_at=date(2025, 10, 14),
    )
    for day in (date(2026, 2, 16), date(2026, 2, 23), date(2026, 3, 1)):
        await org.finding("ben", "funnel.activity_metrics", at(day), evidence=ACTIVITY_DETAIL)


async def _cara_and_dana(org: Org) -> None:
    done = CommitmentStatus.DONE
    await org.promise(
        "cara",
        "send Priya the case study",
        due=date(2026, 2, 25),
        status=done,
        changed=at(date(2026, 2, 24)),
    )
    await org.promise(
        "cara",
        "introduce Sam to Jordan",
        due=date(2026, 2, 27),
        status=done,
        changed=at(date(2026, 2, 26)),
        kind=CommitmentKind.INTRODUCTION,
        counterpart="Sam",
    )
    await org.deal(
        "cara",
        "Initrode",
        DealStage.NEGOTIATION,
        value=300_000,
        product_line="Platform",
        p3_requested=True,
        p3_at=date(2026, 2, 26),
        decider_confirmed=True,
        last_customer_action_at=date(2026, 2, 26),
    )
    for name, closed in (("Stark", date(2026, 1, 20)), ("Wayne", date(2026, 2, 10))):
        await org.deal("dana", name, DealStage.WON, product_line="Analytics", closed_at=closed)
    await org.finding(
        "dana", "creepy.never", at(date(2026, 2, 27)), evidence=HEALTH_DETAIL, category="health"
    )
