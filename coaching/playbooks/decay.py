"""Deal timing: interest decays, so date the peak and act while it is hot.

`decay.stale` needs two things at once: a past moment of interest at least a quarter old (the
most recent past date in the message, so a newer customer action resets the clock) and a rep
who is waiting. `decay.hot_window` needs a spike from the last day or so and a plan to wait.
A lost deal gets a suggested debrief, because the reasons are still fresh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from coaching.commitments.dates import add_business_days
from coaching.playbooks.base import Context, PlaybookReport
from coaching.playbooks.catalog import Playbook, playbook
from coaching.playbooks.signals import (
    Suppress,
    clause_span,
    first_hit,
    has_signal,
    signal,
    to_finding,
)
from coaching.types import Commitment, CommitmentKind, CommitmentStatus

STALE_DAYS = 90
REQUALIFY_DAYS = 180
FOLLOW_UP_BUSINESS_DAYS = 5
HOT_MEETING_DAYS = 14
DEBRIEF_DAYS = 14
AMBIGUOUS_AHEAD_DAYS = 60

_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?:" + "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True)) + ")"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
# Month names are matched capitalised, so "may" the verb is never a date.
_MONTH_DAY = re.compile(rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b{_YEAR}")
_DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\b{_YEAR}"
)
_MONTH_ONLY = re.compile(
    rf"\b(?i:last|back in|since|in early|in late|early|late|mid-?)\s+(?P<month>{_MONTH})\b{_YEAR}"
)
_IN_MONTH = re.compile(rf"\b(?i:in|at the end of|at the start of)\s+(?P<month>{_MONTH})\b{_YEAR}")
_PAST_VERB = re.compile(
    r"\b(?:was|were|said|told|had|met|loved|liked|showed|asked|did|went|saw|demoed|presented|"
    r"wanted|agreed|promised)\b",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)\b")
_AGO = re.compile(
    r"\b(?P<n>\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?P<unit>months?|weeks?|quarters?)\s+ago\b",
    re.IGNORECASE,
)
_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_NUMBERS |= {"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_FUTURE_LEAD = re.compile(
    r"\b(?:before|by|until|till|next|upcoming|coming|due|planned for|scheduled for|meets?|"
    r"starts?|will|in time for)\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PastDate:
    """A moment in the past the rep mentions, and where they mention it."""

    day: date
    start: int
    end: int


def _explicit_day(match: re.Match[str], today: date) -> date | None:
    """A month and day, rolled back a year when still ahead; a date just ahead is ambiguous."""
    month = _MONTHS[match.group("month").lower()]
    day = int(match.group("day"))
    year = int(match.group("year")) if match.group("year") else today.year
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    if found > today and not match.group("year"):
        if (found - today).days <= AMBIGUOUS_AHEAD_DAYS:
            return None
        found -= relativedelta(years=1)
    return found


def _month_end(match: re.Match[str], today: date) -> date:
    """A month named without a day counts from its last day: the latest it can have been."""
    month = _MONTHS[match.group("month").lower()]
    year_text = match.group("year")
    year = int(year_text) if year_text else today.year
    end = date(year, month, 1) + relativedelta(months=1, days=-1)
    if end > today and not year_text:
        end -= relativedelta(years=1)
    return end


def _past_month_end(match: re.Match[str], today: date) -> date | None:
    """ "In November" is a past month only when a past-tense verb comes shortly before it."""
    text = match.string
    if _PAST_VERB.search(text, max(0, match.start() - 60), match.start()) is None:
        return None
    return _month_end(match, today)


def _ago_day(match: re.Match[str], today: date) -> date:
    raw = match.group("n").lower()
    count = int(raw) if raw.isdigit() else _NUMBERS[raw]
    unit = match.group("unit").lower()
    if unit.startswith("week"):
        return today - timedelta(weeks=count)
    return today - relativedelta(months=count * (3 if unit.startswith("quarter") else 1))


def past_dates(text: str, now: datetime) -> list[PastDate]:
    """Every past moment named in the text; dates introduced as deadlines are skipped."""
    today = now.date()
    found: list[PastDate] = []
    readers = (
        (_MONTH_DAY, _explicit_day),
        (_DAY_MONTH, _explicit_day),
        (_MONTH_ONLY, _month_end),
        (_IN_MONTH, _past_month_end),
        (_MONTH_YEAR, _month_end),
        (_AGO, _ago_day),
    )
    for pattern, read in readers:
        for match in pattern.finditer(text):
            if _FUTURE_LEAD.search(text, max(0, match.start() - 40), match.start()):
                continue
            day = read(match, today)
            if day is not None and day <= today:
                found.append(PastDate(day, match.start(), match.end()))
    return found


def analyse(ctx: Context) -> list[PlaybookReport]:
    reports = [
        _whale_report(playbook("whale_decay"), ctx),
        _win_loss(playbook("win_loss_review"), ctx),
    ]
    return [r for r in reports if r is not None]


def _whale_report(book: Playbook, ctx: Context) -> PlaybookReport | None:
    return _stale(book, ctx) or _hot(book, ctx)


def _stale(book: Playbook, ctx: Context) -> PlaybookReport | None:
    """Waiting on a deal whose latest sign of interest is a quarter or more old."""
    rule = book.rule("decay.stale")
    if first_hit(rule, ctx.text) is None:
        return None
    dates = past_dates(ctx.text, ctx.now)
    if not dates:
        return None
    peak = max(dates, key=lambda d: d.day)
    age = (ctx.now.date() - peak.day).days
    if age < STALE_DAYS:
        return None
    phrase = ctx.text[peak.start : peak.end]
    advice = f"The last sign of interest you mention is {phrase}, about {age // 30} months ago. "
    advice += rule.advice
    if age >= REQUALIFY_DAYS:
        advice += " " + signal(book, "requalify").advice
    finding = to_finding(rule, clause_span(ctx.text, peak.start, peak.end), advice)
    follow_up = _suggest(
        "Re-engage the people who decide with something new tied to their goal, or requalify",
        CommitmentKind.FOLLOW_UP,
        add_business_days(ctx.now.date(), FOLLOW_UP_BUSINESS_DAYS),
    )
    return PlaybookReport(book.id, [finding], [book.summary], [follow_up])


def _hot(book: Playbook, ctx: Context) -> PlaybookReport | None:
    """A spike of interest from the last day or so, and a plan to let it cool."""
    if not (has_signal(book, "fresh", ctx.text) and has_signal(book, "interest", ctx.text)):
        return None
    rule = book.rule("decay.hot_window")
    wait = first_hit(rule, ctx.text, Suppress.TEXT)
    if wait is None:
        return None
    meeting = _suggest(
        "Meet on site or by video to help them build the case with the people who decide",
        CommitmentKind.MEETING,
        ctx.now.date() + timedelta(days=HOT_MEETING_DAYS),
    )
    finding = to_finding(rule, ctx.text[wait.start() : wait.end()].strip())
    return PlaybookReport(book.id, [finding], [book.summary], [meeting])


def _win_loss(book: Playbook, ctx: Context) -> PlaybookReport | None:
    """A lost deal with no debrief planned: suggest one while the reasons are fresh."""
    lost = signal(book, "lost")
    if first_hit(lost, ctx.text) is None or has_signal(book, "debrief_planned", ctx.text):
        return None
    debrief = _suggest(
        "Ask the client for a short win/loss debrief on why they chose as they did",
        CommitmentKind.MEETING,
        ctx.now.date() + timedelta(days=DEBRIEF_DAYS),
    )
    return PlaybookReport(book.id, [], [book.summary, lost.advice], [debrief])


def _suggest(text: str, kind: CommitmentKind, due: date) -> Commitment:
    return Commitment(text=text, kind=kind, due=due, status=CommitmentStatus.SUGGESTED)
