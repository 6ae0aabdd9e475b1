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
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from coaching.commitments.due import DueState, due_status
from coaching.commitments.ports import Tracked
from coaching.commitments.tracking import DONE, LIVE_STATUSES, is_active
from coaching.digests.deals import REQUALIFY_DAYS, Deal, decaying, recent_win_lines
from coaching.digests.items import RepFacts, items_for
from coaching.digests.model import (
    NOTE,
    CodeCount,
    CommitmentLine,
    DealLine,
    Digest,
    FindingMark,
    RepDigest,
    iso_week,
)
from coaching.team.ports import Member
from coaching.trusted import trusted
from coaching.types import Party

WINDOW_DAYS = 7
LOOKAHEAD_DAYS = 7
CALENDAR_DAYS = 14
MAX_QUESTIONS = 3
FALLBACK_QUESTIONS = (
    "Which customer agreed to do what next, and by when?",
    "What are you planning for the next two weeks?",
)
REP, OVERDUE = Party.REP, DueState.OVERDUE
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
    return trusted(
        Digest,
        {
            "manager": manager.user,
            "manager_name": manager.label,
            "iso_week": iso_week(today),
            "generated_at": now,
            "window_start": since,
            "window_end": today,
            "reps": [
                _rep_section(rep, *by_owner[rep.id], now=now, team_lines=team_lines)
                for rep in ordered
            ],
            "note": NOTE,
        },
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
    week = _sort_week(commitments, now)
    counts = Counter(mark.code for mark in findings)
    quiet = decaying(deals, today) if deals else []
    facts = RepFacts(
        done=week.done,
        overdue=week.overdue,
        undated=week.undated,
        deals=deals,
        decaying=quiet,
        codes=counts,
        wins=recent_win_lines(deals, today),
        team_lines=team_lines,
        scheduled_soon=week.dated_soon or _p3_soon(deals, today),
        today=today,
        since=since,
    )
    items = items_for(facts)
    return trusted(
        RepDigest,
        {
            "rep": rep.user,
            "name": rep.label,
            "done_this_week": week.done,
            "due_next_week": week.due_soon,
            "overdue": week.overdue,
            "decaying_deals": _deal_lines(quiet),
            "trust_gaps": [
                trusted(
                    CodeCount,
                    {
                        "code": code,
                        "count": n,
                        "recurring": n >= 2,
                        "note": NEUTRAL_NOTES.get(code),
                    },
                )
                for code, n in sorted(counts.items())
            ],
            "items": items,
            "questions": _questions([item.question for item in items]),
        },
    )


@dataclass(frozen=True, slots=True)
class _Week:
    """A rep's commitments sorted into the digest's lists in one pass."""

    done: list[CommitmentLine]
    """Finished in the look-back window, in the order given."""
    overdue: list[CommitmentLine]
    """Active and past due, the latest first."""
    due_soon: list[CommitmentLine]
    """Active and due within the look-ahead, the soonest first."""
    undated: list[Tracked]
    """The rep's own active promises without a date, in the order given."""
    dated_soon: bool
    """Whether a live commitment is due within the two-week calendar."""


def _sort_week(commitments: list[Tracked], now: datetime) -> _Week:
    """Each commitment is looked at once and lands in at most one list: only a finished one
    can be done, and only an active one overdue, due soon or undated. How far a date is
    overdue, and its words, are `due_status`'s (cached per date). This loop runs for every
    commitment of a weekly run (~90,000), so it builds each line inline, not in a helper."""
    today = now.date()
    since = today - timedelta(days=WINDOW_DAYS)
    horizon = today + timedelta(days=CALENDAR_DAYS)
    done: list[CommitmentLine] = []
    overdue: list[CommitmentLine] = []
    due_soon: list[CommitmentLine] = []
    undated: list[Tracked] = []
    dated_soon = False
    zone = now.tzinfo
    line, status_of = CommitmentLine, due_status
    for tracked in commitments:
        c = tracked.commitment
        due, status = c.due, c.status
        if status is DONE:
            finished = tracked.updated_at
            if finished is None or not since <= (day := finished.astimezone(zone).date()) <= today:
                continue
            standing = status_of(due, today)
            late, on_time, into = None, due is None or day <= due, done
        elif status not in LIVE_STATUSES:
            continue
        else:
            if due is not None and today <= due <= horizon:
                dated_soon = True
            if not is_active(tracked, today):
                continue
            if due is None:
                if c.party is REP:
                    undated.append(tracked)
                continue
            standing = status_of(due, today)
            if standing.state is OVERDUE:
                late, on_time, into = standing.days, None, overdue
            elif standing.days < LOOKAHEAD_DAYS:
                late, on_time, into = None, None, due_soon
            else:
                continue
        into.append(
            trusted(
                line,
                {
                    "id": c.id or 0,
                    "text": c.text,
                    "kind": c.kind,
                    "counterpart": c.counterpart,
                    "due": due,
                    "party": c.party,
                    "days_late": late,
                    "on_time": on_time,
                    "due_words": standing.words,
                },
            )
        )
    overdue.sort(key=lambda entry: (-(entry.days_late or 0), entry.id))
    due_soon.sort(key=lambda entry: (entry.due or today, entry.id))
    return _Week(done, overdue, due_soon, undated, dated_soon)


def _p3_soon(deals: list[Deal], today: date) -> bool:
    """Whether an open deal has its final presentation within the two-week calendar."""
    horizon = today + timedelta(days=CALENDAR_DAYS)
    return any(d.is_open and d.p3_at is not None and today <= d.p3_at <= horizon for d in deals)


def _deal_lines(quiet: list[tuple[Deal, int]]) -> list[DealLine]:
    """The deals gone quiet, the longest quiet first."""
    lines = [
        trusted(
            DealLine,
            {
                "name": deal.name,
                "quiet_days": days,
                "last_customer_action": deal.last_customer_action_at,
                "requalify": days >= REQUALIFY_DAYS,
            },
        )
        for deal, days in quiet
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
