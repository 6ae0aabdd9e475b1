"""`coach demo`: a small sales organisation, so a newcomer sees every feature at once.

It seeds the console organisation with an admin (ada), two managers (maria in Chicago,
tom in Berlin) and six reps, commitments in every state, deals (one decaying, one with a
proposal out and no final presentation) and a few weeks of coaching findings, then sends
today's reminders and shows maria's digest. Dates are relative to `--now`. Everything is
keyed, so running it again adds nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.console_ids import CONSOLE_TENANT, console_user
from bot.outbox import render_digest, render_reminder
from bot.wiring import Workspace
from coaching.digests.deals import Deal, DealStage
from coaching.team.ports import Member
from coaching.team.rules import Clock, ImportRow
from coaching.types import (
    CoachingResult,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Finding,
    IncomingMessage,
    Party,
    Platform,
    Role,
    Severity,
)
from storage.seed_repo import SeedCommitment

K, S = CommitmentKind, CommitmentStatus
ADMIN = "ada"
PEOPLE = (
    # user, name, role, manager, tz
    (ADMIN, "Ada Admin", "admin", "", "America/Chicago"),
    ("maria", "Maria Lopez", "manager", "", "America/Chicago"),
    ("tom", "Tom Berg", "manager", "", "Europe/Berlin"),
    ("ana", "Ana Silva", "rep", "maria", "America/Chicago"),
    ("ben", "Ben Okafor", "rep", "maria", "America/Chicago"),
    ("cara", "Cara Jensen", "rep", "maria", "America/Chicago"),
    ("dana", "Dana Wu", "rep", "tom", "Europe/Berlin"),
    ("eli", "Eli Haddad", "rep", "tom", "Europe/Berlin"),
    ("fay", "Fay Morgan", "rep", "tom", "Europe/Berlin"),
)


@dataclass(frozen=True)
class DemoPromise:
    """A commitment relative to today: due and done as day offsets (None: none)."""

    rep: str
    slug: str
    text: str
    kind: CommitmentKind
    counterpart: str | None
    due: int | None
    status: CommitmentStatus
    done: int | None = None
    snoozed: int | None = None
    party: Party = Party.REP


P = DemoPromise
PROMISES = (
    P("ana", "pricing", "send Lena the revised pricing", K.SEND_MATERIAL, "Lena", -3, S.OPEN),
    P("ana", "review", "book the security review with Priya", K.MEETING, "Priya", 1, S.OPEN),
    P("ana", "p3", "ask Acme for a final presentation slot", K.P3_REQUEST, "Acme", 2, S.SUGGESTED),
    P("ben", "pilot", "follow up with Globex on the pilot", K.FOLLOW_UP, "Globex", 0, S.OPEN),
    P("ben", "roi", "share the ROI checklist with Omar", K.SEND_MATERIAL, "Omar", None, S.OPEN),
    P(
        "ben",
        "renewal",
        "call Initech about the renewal",
        K.FOLLOW_UP,
        "Initech",
        -1,
        S.SNOOZED,
        snoozed=2,
    ),
    P("cara", "case", "send Priya the case study", K.SEND_MATERIAL, "Priya", -2, S.DONE, done=-3),
    P(
        "cara",
        "intro",
        "introduce Sam to Jordan at Contoso",
        K.INTRODUCTION,
        "Sam",
        -1,
        S.DONE,
        done=-2,
    ),
    P("cara", "kickoff", "confirm the kickoff agenda with Kim", K.MEETING, "Kim", 5, S.OPEN),
    P("dana", "plan", "send Mark the implementation plan", K.SEND_MATERIAL, "Mark", 3, S.OPEN),
    P("dana", "gift", "send Mark a holiday gift list", K.OTHER, "Mark", 4, S.CANCELLED),
    P(
        "eli",
        "claims",
        "Rosa sends the claims data",
        K.SEND_MATERIAL,
        "Rosa",
        -1,
        S.OPEN,
        party=Party.CUSTOMER,
    ),
    P("eli", "demo", "run the pilot demo for Soylent", K.MEETING, "Soylent", 1, S.OPEN),
    P("fay", "quote", "send Vik the quote", K.SEND_MATERIAL, "Vik", -6, S.DONE, done=-2),
    P("fay", "ref", "connect Vik with a reference customer", K.INTRODUCTION, "Vik", 3, S.SUGGESTED),
)


def demo_deals(today: date, ids: dict[str, int]) -> list[Deal]:
    """Deals relative to today: decay, a missing P3, a P3 without the decider, and mixes."""

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def deal(rep: str, name: str, stage: DealStage, **fields: Any) -> Deal:
        return Deal(owner_id=ids[rep], name=name, stage=stage, **fields)

    won = DealStage.WON
    return [
        deal(
            "ana",
            "Northwind",
            DealStage.PROPOSAL,
            value=250_000,
            product_line="Platform",
            peak_interest_at=ago(20),
            last_customer_action_at=ago(10),
            proposal_sent_at=ago(10),
        ),
        deal(
            "ben",
            "Globex",
            DealStage.NEGOTIATION,
            value=180_000,
            product_line="Platform",
            peak_interest_at=ago(150),
            last_customer_action_at=ago(139),
        ),
        deal(
            "ben",
            "Hooli",
            DealStage.DISCOVERY,
            value=90_000,
            product_line="Analytics",
            peak_interest_at=ago(240),
            last_customer_action_at=ago(200),
        ),
        deal(
            "cara",
            "Initrode",
            DealStage.NEGOTIATION,
            value=300_000,
            product_line="Platform",
            proposal_sent_at=ago(12),
            p3_requested=True,
            p3_at=ago(4),
            decider_confirmed=True,
            last_customer_action_at=ago(4),
        ),
        deal("cara", "Umbrella", won, value=120_000, product_line="Analytics", closed_at=ago(30)),
        deal("cara", "Vandelay", won, value=80_000, product_line="Platform", closed_at=ago(45)),
        deal("dana", "Stark", won, value=60_000, product_line="Analytics", closed_at=ago(20)),
        deal("dana", "Wayne", won, value=75_000, product_line="Analytics", closed_at=ago(50)),
        deal(
            "eli",
            "Soylent",
            DealStage.PROPOSAL,
            value=150_000,
            product_line="Platform",
            proposal_sent_at=ago(5),
            p3_requested=True,
            p3_at=today + timedelta(days=6),
            last_customer_action_at=ago(5),
        ),
        deal(
            "fay",
            "Tyrell",
            DealStage.DISCOVERY,
            value=40_000,
            product_line="Platform",
            peak_interest_at=ago(3),
            last_customer_action_at=ago(3),
        ),
    ]


HISTORY = (
    # rep, days ago, what they said, code, evidence, category
    (
        "ben",
        2,
        "This week: 60 dials, 140 emails, 12 LinkedIn touches.",
        "funnel.activity_metrics",
        "60 dials, 140 emails",
        None,
    ),
    (
        "ben",
        9,
        "Last week I made 55 dials and sent 120 emails.",
        "funnel.activity_metrics",
        "55 dials and sent 120 emails",
        None,
    ),
    (
        "ben",
        16,
        "Update: 70 dials and 150 emails, 3 demos booked.",
        "funnel.activity_metrics",
        "70 dials and 150 emails",
        None,
    ),
    (
        "dana",
        1,
        "Draft: Hi Mark, hope the recovery from your surgery is going well!",
        "creepy.never",
        "recovery from your surgery",
        "health",
    ),
    (
        "ana",
        1,
        "Email: we need this signed by Friday so we make our quarter.",
        "trust.self_orientation",
        "so we make our quarter",
        None,
    ),
    (
        "ana",
        3,
        "Call plan: push them to close before our price rise.",
        "trust.self_orientation",
        "push them to close",
        None,
    ),
)


async def show(space: Workspace, clock: Clock, *, as_json: bool) -> None:
    """Seed the demo organisation, send today's reminders and print maria's digest."""
    created = await seed(space, clock)
    reminders = await space.reminders.run(clock)
    digest = await space.digests.preview(console_user("maria"), "maria", clock)
    if as_json:
        payload = {
            "created": created,
            "people": [p[0] for p in PEOPLE],
            "reminders": [r.model_dump(mode="json") for r in reminders],
            "digest": digest.model_dump(mode="json"),
        }
        print(json.dumps(payload, indent=2))
        return
    print(_summary(created))
    for note in reminders:
        print(f"Reminder to {note.rep}: {render_reminder(note)}")
    print(f"\n{render_digest(digest)}\n\n{TRY}")


async def seed(space: Workspace, clock: Clock) -> dict[str, int]:
    """Create what is missing; counts of what was new."""
    rows = [ImportRow(i + 2, *person) for i, person in enumerate(PEOPLE)]
    saved = await space.team.import_rows(console_user(ADMIN), Role.ADMIN, rows)
    members = await space.team.team(console_user(ADMIN), Role.ADMIN)
    by_user = {m.user: m for m in members}
    await space.digests.set_schedule(console_user("tom"), weekday=4, hour=16)
    turns = await _history(space, clock, by_user)
    promises = [_promise(p, by_user[p.rep], clock) for p in PROMISES]
    today = clock.local(by_user["maria"].time_zone).date()
    return {
        "people": saved.created,
        "commitments": await space.seeder.add_commitments(promises),
        "deals": await space.seeder.add_deals(
            demo_deals(today, {u: m.id for u, m in by_user.items()})
        ),
        "conversation_turns": turns,
    }


def _promise(p: DemoPromise, owner: Member, clock: Clock) -> SeedCommitment:
    now = clock.local(owner.time_zone)
    today = now.date()

    def day(offset: int | None) -> date | None:
        return None if offset is None else today + timedelta(days=offset)

    done_day = day(p.done)
    changed = now if done_day is None else datetime.combine(done_day, time(15), now.tzinfo)
    commitment = Commitment(
        text=p.text,
        kind=p.kind,
        due=day(p.due),
        counterpart=p.counterpart,
        status=p.status,
        party=p.party,
    )
    return SeedCommitment(
        owner_id=owner.id,
        key=f"demo:{p.rep}:{p.slug}",
        commitment=commitment,
        created_at=now - timedelta(days=14),
        updated_at=changed,
        snoozed_until=day(p.snoozed),
    )


async def _history(space: Workspace, clock: Clock, people: dict[str, Member]) -> int:
    """Past coaching turns with their findings, stored through the coach's own store."""
    new = 0
    for rep, days_ago, text, code, evidence, category in HISTORY:
        member = people[rep]
        when = clock.local(member.time_zone) - timedelta(days=days_ago)
        message = IncomingMessage(
            platform=Platform.CONSOLE,
            tenant=CONSOLE_TENANT,
            user=rep,
            user_name=member.name,
            text=text,
            now=when,
            idempotency_key=f"demo:{rep}:{days_ago}",
        )
        finding = Finding(
            code=code,
            severity=Severity.MEDIUM,
            evidence=evidence,
            advice="Talk it through.",
            category=category,
        )
        result = CoachingResult(reply="(demo history)", findings=[finding])
        saved = await space.store.save_turn(message=message, result=result)
        new += saved.first_time
    return new


def _summary(created: dict[str, int]) -> str:
    if not any(created.values()):
        return "The demo organisation is already there; nothing was added."
    parts = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in created.items())
    return f"Demo organisation ready ({parts})."


TRY = """Try next:
  coach team list --user ada                  everyone, as the admin
  coach commitments list --user ana           Ana's promises (one overdue)
  coach commitments accept ID --user ana      confirm what the coach suggested
  coach nudges preview --manager tom          Tom's digest (Dana, Eli, Fay)
  coach nudges run                            send the digests that are due
  coach outbox --user maria                   what reached Maria"""
