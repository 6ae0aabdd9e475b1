"""The weekly manager digest: per rep, what needs a conversation and what deserves thanks.

`build_digest` is pure: it gets plain domain values (members, commitments, deals, finding
codes with their times) and returns a `Digest`. A digest is a set of coaching prompts for
1:1s, not a scoreboard: reps are listed by name, never ranked, activity counts (calls,
emails) are never shown, and coaching findings appear as counted codes only. The details
behind a `creepy.never` finding are never read here, let alone repeated.

The digest looks back over the seven days up to its send time (a Monday digest covers the
week just finished) and seven days ahead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from coaching.deals import REQUALIFY_DAYS, Deal, is_decaying, quiet_days, recent_win_lines
from coaching.digest_items import RepFacts, items_for
from coaching.digest_model import (
    CodeCount,
    CommitmentLine,
    DealLine,
    Digest,
    FindingMark,
    RepDigest,
    iso_week,
)
from coaching.due import due_status
from coaching.team import Member
from coaching.tracking import DONE, LIVE_STATUSES, Tracked, days_late, is_active
from coaching.types import Party

WINDOW_DAYS = 7
LOOKAHEAD_DAYS = 7
CALENDAR_DAYS = 14
MAX_QUESTIONS = 3
FALLBACK_QUESTIONS = (
    "Which customer agreed to do what next, and by when?",
    "What are you planning for the next two weeks?",
)
NEUTRAL_NOTES = {
    "creepy.never": "A draft leaned on personal details that stay out of sales conversations.",
}


def build_digest(
    *,
    manager: Member,
    reps: Sequence[Member],
    commitments: Sequence[Tracked],
    deals: Sequence[Deal],
    findings: Sequence[FindingMark],
    now: datetime,
) -> Digest:
    """The digest for `manager` at `now` (aware, in the manager's zone) about their `reps`.

    Data of anyone who is not one of `reps` is ignored, so a caller may pass a wider batch
    without leaking another team into this digest.
    """
    today = now.date()
    since = today - timedelta(days=WINDOW_DAYS)
    team = {rep.id for rep in reps}
    by_owner: dict[int, tuple[list[Tracked], list[Deal], list[FindingMark]]] = {
        rep_id: ([], [], []) for rep_id in team
    }
    for tracked in commitments:
        if tracked.owner_id in team:
            by_owner[tracked.owner_id][0].append(tracked)
    for deal in deals:
        if deal.owner_id in team:
            by_owner[deal.owner_id][1].append(deal)
    for mark in findings:
        if mark.owner_id in team and since <= _day(mark.at, now) <= today:
            by_owner[mark.owner_id][2].append(mark)
    team_lines = {d.product_line for d in deals if d.owner_id in team and d.product_line}
    ordered = sorted(reps, key=lambda r: (r.label.casefold(), r.user))
    return Digest(
        manager=manager.user,
        manager_name=manager.label,
        iso_week=iso_week(today),
        generated_at=now,
        window_start=since,
        window_end=today,
        reps=[
            _rep_section(rep, *by_owner[rep.id], now=now, team_lines=team_lines) for rep in ordered
        ],
    )


def _day(at: datetime, now: datetime) -> date:
    return at.astimezone(now.tzinfo).date()


def _rep_section(
    rep: Member,
    commitments: list[Tracked],
    deals: list[Deal],
    findings: list[FindingMark],
    *,
    now: datetime,
    team_lines: set[str],
) -> RepDigest:
    today = now.date()
    since = today - timedelta(days=WINDOW_DAYS)
    done = [_line(t, now) for t in commitments if _done_between(t, since, now)]
    overdue = sorted(
        (_line(t, now) for t in commitments if days_late(t, today) is not None),
        key=lambda line: (-(line.days_late or 0), line.id),
    )
    counts = Counter(mark.code for mark in findings)
    facts = RepFacts(
        done=done,
        overdue=overdue,
        undated=[t for t in commitments if _undated_promise(t, today)],
        deals=deals,
        codes=counts,
        wins=recent_win_lines(deals, today),
        team_lines=team_lines,
        scheduled_soon=_scheduled_soon(commitments, deals, today),
        today=today,
        since=since,
    )
    items = items_for(facts)
    return RepDigest(
        rep=rep.user,
        name=rep.label,
        done_this_week=done,
        due_next_week=_due_soon(commitments, now),
        overdue=overdue,
        decaying_deals=_decaying(deals, today),
        trust_gaps=[
            CodeCount(code=code, count=n, recurring=n >= 2, note=NEUTRAL_NOTES.get(code))
            for code, n in sorted(counts.items())
        ],
        items=items,
        questions=_questions([item.question for item in items]),
    )


def _done_between(tracked: Tracked, since: date, now: datetime) -> bool:
    finished = tracked.updated_at
    return (
        tracked.commitment.status is DONE
        and finished is not None
        and since <= _day(finished, now) <= now.date()
    )


def _due_soon(commitments: list[Tracked], now: datetime) -> list[CommitmentLine]:
    today = now.date()
    ahead = today + timedelta(days=LOOKAHEAD_DAYS)
    soon = [
        _line(t, now)
        for t in commitments
        if is_active(t, today)
        and t.commitment.due is not None
        and today <= t.commitment.due < ahead
    ]
    return sorted(soon, key=lambda line: (line.due or today, line.id))


def _line(tracked: Tracked, now: datetime) -> CommitmentLine:
    c = tracked.commitment
    on_time = None
    if c.status is DONE and tracked.updated_at is not None:
        on_time = c.due is None or _day(tracked.updated_at, now) <= c.due
    return CommitmentLine(
        id=tracked.id,
        text=c.text,
        kind=c.kind,
        counterpart=c.counterpart,
        due=c.due,
        party=c.party,
        days_late=days_late(tracked, now.date()),
        on_time=on_time,
        due_words=due_status(c.due, now.date()).words,
    )


def _undated_promise(tracked: Tracked, today: date) -> bool:
    c = tracked.commitment
    return c.party is Party.REP and c.due is None and is_active(tracked, today)


def _scheduled_soon(commitments: list[Tracked], deals: list[Deal], today: date) -> bool:
    """Whether anything is planned in the next two weeks: a dated live promise or a P3."""
    horizon = today + timedelta(days=CALENDAR_DAYS)
    dated = [t.commitment.due for t in commitments if t.commitment.status in LIVE_STATUSES]
    p3s = [d.p3_at for d in deals if d.is_open]
    return any(day is not None and today <= day <= horizon for day in dated + p3s)


def _decaying(deals: list[Deal], today: date) -> list[DealLine]:
    lines = [
        DealLine(
            name=deal.name,
            quiet_days=days,
            last_customer_action=deal.last_customer_action_at,
            requalify=days >= REQUALIFY_DAYS,
        )
        for deal in deals
        if is_decaying(deal, today) and (days := quiet_days(deal, today)) is not None
    ]
    return sorted(lines, key=lambda line: (-line.quiet_days, line.name))


def _questions(candidates: list[str]) -> list[str]:
    """Two or three questions for the 1:1, most pressing first, never repeated."""
    picked = list(dict.fromkeys(candidates))[:MAX_QUESTIONS]
    for fallback in FALLBACK_QUESTIONS:
        if len(picked) >= 2:
            break
        if fallback not in picked:
            picked.append(fallback)
    return picked
