"""Calendar arithmetic for due dates, in the user's own calendar.

`find_due_date` turns the way reps talk about time ("by Friday", "sometime next week", "before
the board meeting on the 19th") into a calendar date, following the product rules of the
playbooks digest (section 2.4). The relative phrases are product decisions and live here;
explicit dates ("March 12", "3/12/2026") go through dateutil's parser, which reads them well.

Rules where the digest is silent:

- "next <weekday>" (or "next week Tuesday") is that weekday in next calendar week (Monday
  to Sunday), so on Monday 2026-03-02 "next Wednesday" is 2026-03-11; a bare or "this
  <weekday>" is the next occurrence, today excluded.
- "early next week" is next week's Monday; "the week after next" is the Friday two weeks on;
  "next month" is the last day of next month; "end of year"/"EOY" is 31 December.
- "before <day>" and "before the <event> on <day>" mean the business day before that day;
  "before" a period end ("before the end of the month") means by that end.
- "EOD Friday" is Friday; "today's"/"Friday's" only count after "by", "before", "ahead of",
  "for" or "until" ("before Friday's call"), not in "on today's call"; a weekday's call may
  also be "on"/"at"/"during" it ("on Thursday's call" is this Thursday).
- "the first (second, third, fourth, last) week of December" is that week's Friday; the
  first week holds the month's first working day, the last week its last Friday.
- "Tue Dec 1" reads as Dec 1 (the weekday is a check, not a second date).
- Numeric dates are US month/day and need a lead word ("on 3/12", "by 3/12/2026"), so ratios
  such as "9/10 reps", "60/40" and "24/7" are never dates; ISO dates need none. Ordinals ("the
  19th") need a lead word too and roll to next month once passed.
- Explicit dates without a year roll to next year once they have passed.
- "last Friday" is no due date.
- Short weekdays need a lead word ("by fri", "on Wed"), a clock time after them ("Tue 3pm",
  "wed 11am"), a label's dash or colon ("Wed - demo with the warehouse team") or, written
  with a capital, the start of a clause in a planned week ("Tue onsite, Thu I'll call");
  lower-case "sat"/"sun" are words, never days. Common misspellings of days and of
  "tomorrow" ("thrusday", "tomorow", "nxt week") resolve like the words they mean;
  "tues", "thur" and "thurs" are no words, so they need no lead ("mtg w their cfo thurs").
- "the last Friday of the month", "the first Monday of December" are those days;
- "first thing in the morning" is tomorrow; "by/before the weekend" is this week's Friday;
  "in a fortnight" is two weeks on; a short weekday closing a clause ("send it to ana fri")
  needs no lead.
- "after two days" reads as "in two days", the way many non-native writers put it.
- A moved meeting's new day leads like "on": "moved up to the 4th" is the 4th.
- "this time next week" is a week from today, "a week from Friday" the coming Friday plus a
  week, "the end of the week after next" that week's Friday; "the first week of next month"
  reads like a named month's; "Weds" is Wednesday.
- "in a few days/weeks" is vague: no date, and `is_vague_timing` says so.
- "in Q2", "by the end of Q3", "during the fourth quarter" are that calendar quarter's last
  day (next year's once it has ended); a bare "by Q3" is no date, as it may mean the start.
- A weekday mistyped beyond the listed spellings ("by Tuesay", "on Wendsday") resolves when
  exactly one weekday is within two typing slips of it and a lead word comes before it.

The span of a `DueDate` covers the lead word ("by Friday", "before the board meeting on the
19th"), so callers can cut the whole time expression out of a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateutil import parser as date_parser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

WORK_WEEK = 5
_RELATIVE_DAYS = (MO, TU, WE, TH, FR, SA, SU)
_LOOKBACK = 80

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ABBREVIATIONS = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "weds": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
    # The misspellings reps actually type; a typo should not cost a promise its date.
    "thrusday": 3,
    "thurday": 3,
    "wensday": 2,
    "wendesday": 2,
    "tuseday": 1,
    "firday": 4,
}
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_APOSTROPHE = "['\u2019]"
_WEEKDAY = "(?:" + "|".join(_WEEKDAYS) + "|thrusday|thurday|wensday|wendesday|tuseday|firday)"
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
_NUMBER = r"(?:\d{1,3}|" + "|".join(_NUMBER_WORDS) + r"|a\s+couple\s+of|a\s+couple|couple\s+of)"
_UNIT = r"(?:(?:business|working)\s+days?|days?|weeks?|fortnights?|months?|hours?)"

# Words that introduce a time expression; "before" and "ahead of" shift it to the day before.
_LEAD = re.compile(
    r"\b(?P<lead>by|on|before|ahead\s+of|until|till|due|for|from|no\s+later\s+than|"
    r"sometime|some\s+time|around|at|"
    # "Demo moved up to the 4th", "pushed back to the 12th": where a meeting now sits.
    r"(?:moved|pushed|bumped|shifted|brought|pulled)(?:\s+(?:up|back|forward|out))?\s+to)\s*,?\s+$",
    re.IGNORECASE,
)
_BEFORE_EVENT = re.compile(
    r"\b(?:before|ahead\s+of)\s+(?:the|their|our|his|her|its|your|my)\s+"
    rf"(?:(?!(?:i|i{_APOSTROPHE}\w+|we|you|she|he|they|it|and|or|but|so|then)\b)"
    rf"[\w{_APOSTROPHE[1:-1]}-]+,?\s+){{1,4}}$",
    re.IGNORECASE,
)
_BEFORE_WORDS = frozenset({"before", "ahead of"})
_POSSESSIVE_LEADS = frozenset({"by", "before", "ahead of", "for", "until", "till"})
# "on Thursday's call" names a coming day; "on today's call" is the call going on now.
_WEEKDAY_POSSESSIVE_LEADS = _POSSESSIVE_LEADS | {"on", "at", "during"}
_POSSESSIVE = re.compile(rf"{_APOSTROPHE}s\b")

_VAGUE = re.compile(
    r"\b(?:soon|shortly|asap|a\.s\.a\.p|as\s+soon\s+as\s+(?:possible|i\s+can)|at\s+some\s+point|"
    r"some\s*time(?!\s+(?:next|this|on|by|before|today|tomorrow|tonight|early|late|mid|in)\b)|"
    r"later(?!\s+(?:today|tonight|this|tomorrow|on|in)\b)|in\s+a\s+(?:bit|while)|"
    r"in\s+(?:a\s+few|several|the\s+coming|the\s+next\s+few)\s+(?:days|weeks|months)|"
    r"down\s+the\s+(?:road|line)|eventually|in\s+due\s+course|when\s+i\s+get\s+a\s+chance)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DueDate:
    """A resolved due date and where its expression sits in the text (lead word included)."""

    due: date
    start: int
    end: int


_Resolver = Callable[[re.Match[str], datetime], date | None]


@dataclass(frozen=True)
class _Rule:
    """One way of saying a date. `point` rules name a single day, so "before" moves them."""

    pattern: re.Pattern[str]
    resolve: _Resolver
    point: bool = True
    needs_lead: bool = False
    weekday: bool = False


def add_business_days(start: date, days: int) -> date:
    """`days` working days (Monday to Friday) after `start`."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < WORK_WEEK:
            remaining -= 1
    return current


def previous_business_day(day: date) -> date:
    """The last working day strictly before `day`: the deadline for "before the 19th"."""
    current = day - timedelta(days=1)
    while current.weekday() >= WORK_WEEK:
        current -= timedelta(days=1)
    return current


def is_vague_timing(text: str) -> bool:
    """Whether the text promises a time without naming one ("soon", "in a few weeks")."""
    return find_vague_timing(text) is not None


def find_vague_timing(text: str) -> tuple[int, int] | None:
    """Where the first vague time word sits, so a promise can be quoted without it."""
    match = _VAGUE.search(text)
    return match.span() if match else None


def find_due_date(text: str, now: datetime) -> DueDate | None:
    """The first date expression in `text`, resolved against `now` in the user's zone.

    One combined scan finds the earliest place any rule matches; only there are the rules
    tried one by one, and the longest reading wins ("Thursday, March 12" over "Thursday").
    """
    for hit in _SCAN.finditer(text):
        found = _best_at(text, hit.start(), now)
        if found is not None:
            return found
    return None


def _best_at(text: str, position: int, now: datetime) -> DueDate | None:
    """The longest valid reading starting at `position`, skipping impossible dates."""
    best: DueDate | None = None
    for rule in _RULES:
        match = rule.pattern.match(text, position)
        hit = _resolve_match(rule, match, text, now) if match else None
        if hit is not None and (best is None or hit.end > best.end):
            best = hit
    return best


def _resolve_match(rule: _Rule, match: re.Match[str], text: str, now: datetime) -> DueDate | None:
    """Apply the lead word: required for some rules, and "before" means the day before."""
    lead = _LEAD.search(text, max(0, match.start() - _LOOKBACK), match.start())
    lead_word = " ".join(lead.group("lead").lower().split()) if lead else ""
    possessive = _POSSESSIVE.match(text, match.end()) is not None
    leads = _WEEKDAY_POSSESSIVE_LEADS if rule.weekday else _POSSESSIVE_LEADS
    if (rule.needs_lead and lead is None) or (possessive and lead_word not in leads):
        return None
    due = _safe_resolve(rule, match, now)
    if due is None:
        return None
    start = lead.start() if lead else match.start()
    if rule.point and lead_word in _BEFORE_WORDS:
        return DueDate(previous_business_day(due), start, match.end())
    event = _BEFORE_EVENT.search(text, max(0, start - _LOOKBACK), start) if lead else None
    if rule.point and event is not None:
        return DueDate(previous_business_day(due), event.start(), match.end())
    return DueDate(due, start, match.end())


def _safe_resolve(rule: _Rule, match: re.Match[str], now: datetime) -> date | None:
    """Impossible dates ("Feb 30", "on 13/45") are simply not dates."""
    try:
        return rule.resolve(match, now)
    except (ValueError, OverflowError):
        return None


def _next_weekday(today: date, weekday: int) -> date:
    """The next `weekday` after today; today itself never counts."""
    return today + relativedelta(days=1, weekday=weekday)


def _weekday_of_week(today: date, weeks_ahead: int, weekday: int) -> date:
    """`weekday` in the calendar week `weeks_ahead` weeks from this one (Monday first)."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(weeks=weeks_ahead, days=weekday)


def _weekday_index(name: str) -> int:
    key = name.lower().rstrip(".")
    if key in _WEEKDAYS:
        return _WEEKDAYS.index(key)
    return _WEEKDAY_ABBREVIATIONS[key]


def _today(_match: re.Match[str], now: datetime) -> date:
    return now.date()


def _end_of_day(match: re.Match[str], now: datetime) -> date:
    """ "EOD" is today, unless a day follows it ("EOD Friday")."""
    then = match.group("then")
    if then is None:
        return now.date()
    if then.lower() == "tomorrow":
        return now.date() + timedelta(days=1)
    return _next_weekday(now.date(), _weekday_index(then))


def _tomorrow(match: re.Match[str], now: datetime) -> date:
    return now.date() + timedelta(days=2 if match.group("after") else 1)


def _weekday(match: re.Match[str], now: datetime) -> date | None:
    """Bare, "this" or "coming" weekday: next occurrence; "next" weekday: in next week.

    "last Friday" is in the past and is no due date at all.
    """
    today = now.date()
    weekday = _weekday_index(match.group("day") or match.groupdict().get("low") or "")
    modifier = (match.group("mod") or "").lower()
    week = (match.group("week") or "").lower()
    if modifier in ("last", "past", "previous"):
        return None
    if modifier in ("next", "nxt") or week == "next":
        return _weekday_of_week(today, 1, weekday)
    if week == "this" or (modifier == "this" and match.groupdict().get("in_week")):
        return max(_weekday_of_week(today, 0, weekday), today)
    return _next_weekday(today, weekday)


def _this_week(_match: re.Match[str], now: datetime) -> date:
    return max(_weekday_of_week(now.date(), 0, 4), now.date())


def _next_week(match: re.Match[str], now: datetime) -> date:
    """Friday of next week; "early next week" is its Monday."""
    early = match.group("early") is not None
    return _weekday_of_week(now.date(), 1, 0 if early else 4)


def _a_week_on(_match: re.Match[str], now: datetime) -> date:
    return now.date() + timedelta(weeks=1)


def _weeks_after_weekday(match: re.Match[str], now: datetime) -> date:
    """ "a week from Friday": the coming Friday, a week (or two) on."""
    weeks = _count(match.group("n"))
    return _next_weekday(now.date(), _weekday_index(match.group("day"))) + timedelta(weeks=weeks)


def _week_after_next(_match: re.Match[str], now: datetime) -> date:
    return _weekday_of_week(now.date(), 2, 4)


def _count(word: str) -> int:
    """ "2", "two", "a couple of": how many units a rep means."""
    key = " ".join(word.lower().split())
    if key.isdigit():
        return int(key)
    if "couple" in key:
        return 2
    return _NUMBER_WORDS[key]


def _in_period(match: re.Match[str], now: datetime) -> date:
    """ "in N days/weeks/months/hours", "within two business days", "3 days from now"."""
    count = _count(match.group("n"))
    unit = match.group("unit").lower()
    if unit.startswith(("business", "working")):
        return add_business_days(now.date(), count)
    if unit.startswith("hour"):
        return (now + timedelta(hours=count)).date()
    if unit.startswith("week"):
        return now.date() + timedelta(weeks=count)
    if unit.startswith("fortnight"):
        return now.date() + timedelta(weeks=2 * count)
    if unit.startswith("month"):
        return now.date() + relativedelta(months=count)
    return now.date() + timedelta(days=count)


def _end_of_month(match: re.Match[str], now: datetime) -> date:
    months = 1 if match.group("next") else 0
    return now.date() + relativedelta(months=months, day=31)


def _end_of_named_month(match: re.Match[str], now: datetime) -> date:
    named = date_parser.parse(match.group("month"), default=now.replace(month=1, day=1))
    end = named.date() + relativedelta(day=31)
    return end if end >= now.date() else end + relativedelta(years=1, day=31)


def _end_of_quarter(match: re.Match[str], now: datetime) -> date:
    quarters = 1 if match.group("next") else 0
    last_month = ((now.month - 1) // 3 + 1 + quarters) * 3
    return date(now.year, 1, 1) + relativedelta(months=last_month - 1, day=31)


def _end_of_named_quarter(match: re.Match[str], now: datetime) -> date:
    """ "in Q2", "by the end of the third quarter": that calendar quarter's last day, next
    year's once it has ended (a rep in November means next year's Q1)."""
    number = match.group("q") or str(_ORDINAL_WEEKS.index(match.group("nth").lower()) + 1)
    year = int(match.group("year") or now.year)
    end = date(year, int(number) * 3, 1) + relativedelta(day=31)
    if end < now.date() and not match.group("year"):
        end = date(year + 1, int(number) * 3, 1) + relativedelta(day=31)
    return end


def _misspelt_weekday(match: re.Match[str], now: datetime) -> date | None:
    """ "by Tuesay", "on Wendsday": the one weekday within two typing slips of the word."""
    day = _weekday_meant(match.group("typo").lower())
    return None if day is None else _next_weekday(now.date(), day)


@lru_cache(maxsize=256)
def _weekday_meant(word: str) -> int | None:
    """The one weekday within two slips of `word`, if exactly one is."""
    close = [day for day in range(7) if _slips(word, _WEEKDAYS[day]) <= _MAX_SLIPS]
    return close[0] if len(close) == 1 else None


_MAX_SLIPS = 2


def _slips(typed: str, meant: str) -> int:
    """Typing slips between two words: letters dropped, added, changed or swapped."""
    previous_row: list[int] | None = None
    row = list(range(len(meant) + 1))
    for i, typed_char in enumerate(typed, 1):
        before, previous_row, row = previous_row, row, [i] + [0] * len(meant)
        for j, meant_char in enumerate(meant, 1):
            row[j] = min(
                previous_row[j] + 1,
                row[j - 1] + 1,
                previous_row[j - 1] + (typed_char != meant_char),
            )
            swapped = i > 1 and j > 1 and typed_char == meant[j - 2] and typed[i - 2] == meant_char
            if swapped and before is not None:
                row[j] = min(row[j], before[j - 2] + 1)
    return row[-1]


def _end_of_year(_match: re.Match[str], now: datetime) -> date:
    return date(now.year, 12, 31)


def _week_of_month(match: re.Match[str], now: datetime) -> date:
    """The Friday of "the first (second, last) week of December": weeks run Monday to
    Friday, the first holds the month's first working day, the last the month's last Friday."""
    if match.group("next"):
        first = now.date().replace(day=1) + relativedelta(months=1)
    else:
        first = date_parser.parse(match.group("month"), default=now.replace(day=1)).date()
    if first < now.date().replace(day=1):
        first += relativedelta(years=1)
    ordinal = match.group("nth").lower()
    if ordinal == "last":
        return first + relativedelta(day=31, weekday=FR(-1))
    working = first
    while working.weekday() >= WORK_WEEK:
        working += timedelta(days=1)
    friday = working + timedelta(days=4 - working.weekday())
    return friday + timedelta(weeks=_ORDINAL_WEEKS.index(ordinal))


_ORDINAL_WEEKS = ("first", "second", "third", "fourth")


def _weekday_of_month(match: re.Match[str], now: datetime) -> date | None:
    """ "the last Friday of the month", "the first Monday of December": that day, rolled to
    the next such month once passed."""
    weekday = _weekday_index(match.group("day"))
    ordinal = match.group("nth").lower()
    named = match.group("month")
    for months_ahead in range(13):
        first = now.date().replace(day=1) + relativedelta(months=months_ahead)
        if named and first.month != date_parser.parse(named, default=now).month:
            continue
        if match.group("next") and months_ahead == 0:
            continue
        if ordinal == "last":
            day = first + relativedelta(day=31, weekday=_RELATIVE_DAYS[weekday](-1))
        else:
            day = first + relativedelta(weekday=_RELATIVE_DAYS[weekday](1))
            day += timedelta(weeks=_ORDINAL_WEEKS.index(ordinal))
        if day.month == first.month and day >= now.date():
            return day
    return None


def _explicit(match: re.Match[str], now: datetime) -> date:
    """A written date, read by dateutil; without a year it rolls forward once passed."""
    written = match.group("date").lower().replace("the ", "").replace(" of ", " ")
    year = match.group("year")
    if year and year not in written:
        written = f"{written} {year}"
    parsed = date_parser.parse(written, default=now.replace(month=1, day=1)).date()
    if not year and parsed < now.date():
        return parsed + relativedelta(years=1)
    return parsed


def _ordinal(match: re.Match[str], now: datetime) -> date | None:
    """ "on the 19th": this month if still ahead, else the next month that has that day."""
    today = now.date()
    day = int(match.group("day"))
    for months_ahead in range(3):
        first = today.replace(day=1) + relativedelta(months=months_ahead)
        candidate = first + relativedelta(day=day)
        if candidate.day == day and candidate >= today:
            return candidate
    return None


def _rule(
    pattern: str,
    resolve: _Resolver,
    *,
    point: bool = True,
    lead: bool = False,
    weekday: bool = False,
) -> _Rule:
    return _Rule(
        re.compile(pattern, re.IGNORECASE), resolve, point=point, needs_lead=lead, weekday=weekday
    )


_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?!\w)"
# A clock time after a short weekday ("Tue 3pm", "wed 11am", "Thu 10:30") makes it a day.
_CLOCK = r"\s+(?:at\s+)?\d{1,2}(?::\d{2}|\s*(?:am|pm)\b)"
_RULES = (
    _rule(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|later\s+today)\b", _today),
    _rule(
        r"\b(?:end\s+of\s+(?:the\s+)?(?:business\s+)?day|eod|cob|close\s+of\s+(?:business|play))"
        rf"\b(?:\s+(?:on\s+)?(?P<then>tomorrow|{_WEEKDAY})\b)?",
        _end_of_day,
        point=False,
    ),
    # "first thing in the morning", said during the day, is tomorrow morning.
    _rule(r"\b(?:first\s+thing\s+)?in\s+the\s+morning\b(?P<after>)", _tomorrow),
    _rule(
        r"\b(?P<after>(?:the\s+)?day\s+after\s+)?(?:tomorrow|tomorow|tommorow|tommorrow|tmrw|tmrow|tmr|2moro)\b",
        _tomorrow,
    ),
    _rule(
        rf"\b(?:(?P<mod>next|nxt|this|coming|this\s+coming|last|past|previous)\s+"
        r"(?:(?P<in_week>wk|week)\s+(?:on\s+)?)?)?"
        rf"(?P<day>{_WEEKDAY})\b"
        r"(?:\s+(?P<week>next|this)\s+week\b)?",
        _weekday,
        weekday=True,
    ),
    _rule(
        r"(?:\b(?P<mod>next|nxt|this)\s+|(?<=\bby\s)|(?<=\bon\s)|(?<=\bdue\s)|(?<=\buntil\s)|"
        r"(?<=\bbefore\s)|(?<=\bfor\s))(?:(?-i:(?P<day>Mon|Tues?|Weds?|Thu(?:rs?)?|Fri|Sat|Sun))|"
        r"(?-i:(?P<low>mon|tues?|weds?|thu(?:rs?)?|fri)))\b\.?(?P<week>)",
        _weekday,
    ),
    _rule(
        rf"\b(?P<mod>)(?P<day>Mon|Tues?|Wed|Thu(?:rs?)?|Fri|(?-i:Sat|Sun))\b\.?(?P<week>)"
        rf"(?={_CLOCK}|\s*[:\u2013\u2014-]\s)",
        _weekday,
    ),
    _rule(r"\b(?P<mod>)(?P<day>tues|thur|thurs)\b\.?(?P<week>)", _weekday),
    # A weekday mistyped past the spellings listed above, after a lead word: "by Tuesay".
    _rule(
        r"(?:(?<=\bby\s)|(?<=\bon\s)|(?<=\bdue\s)|(?<=\buntil\s)|(?<=\bbefore\s)|"
        rf"(?<=\bfor\s))(?!{_WEEKDAY}\b)(?P<typo>[mtwfs][a-z]{{3,7}}ay)\b",
        _misspelt_weekday,
    ),
    # A short weekday closing the message or clause: "will send pricing to ana fri".
    _rule(
        r"(?<=\s)(?P<mod>)(?P<day>mon|tue|wed|thu|fri)\.?(?P<week>)(?=[ \t]*(?:[.!,;)\n]|$))",
        _weekday,
    ),
    # A week planned as a list: "Mon pipeline review, Tue onsite at Kaltech, Thu I'll call".
    _rule(
        r"(?:^|(?<=[,;:(\n]))[ \t]*(?P<mod>)(?P<day>(?-i:Mon|Tues?|Wed|Thu(?:rs?)?|Fri))\b\.?"
        r"(?P<week>)(?=[ \t]+\w|[ \t]*$)",
        _weekday,
    ),
    _rule(
        r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?week|eow|(?:later\s+)?this\s+(?:week|wk))\b",
        _this_week,
        point=False,
    ),
    # "by the weekend", "before the weekend": this week's Friday.
    _rule(r"\b(?:the\s+)?weekend\b", _this_week, point=False, lead=True),
    _rule(
        r"\b(?:(?P<early>early)\s+|(?:the\s+)?end\s+of\s+|(?:later|late|mid)[\s-]+)?n(?:e)?xt\s+(?:week|wk)\b",
        _next_week,
        point=False,
    ),
    _rule(
        r"\b(?:(?:the\s+)?end\s+of\s+)?the\s+week\s+after\s+next\b", _week_after_next, point=False
    ),
    # "this time next week" is a week from today; "a week from Friday" a week after Friday.
    _rule(r"\bthis\s+time\s+next\s+(?:week|wk)\b", _a_week_on),
    _rule(
        rf"\b(?P<n>a|one|two|2)\s+weeks?\s+(?:from|after)\s+(?:this\s+|next\s+)?(?P<day>{_WEEKDAY})\b",
        _weeks_after_weekday,
    ),
    _rule(
        rf"\b(?:in|within|after)\s+(?:the\s+next\s+|the\s+coming\s+|about\s+|around\s+)?"
        rf"(?P<n>{_NUMBER})\s*(?P<unit>{_UNIT})\b",
        _in_period,
        point=False,
    ),
    _rule(rf"\b(?P<n>{_NUMBER})\s+(?P<unit>{_UNIT})\s+from\s+(?:now|today)\b", _in_period),
    _rule(
        r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month|eom|this\s+month|"
        r"(?P<next>(?:the\s+)?end\s+of\s+next\s+month|next\s+month))\b",
        _end_of_month,
        point=False,
    ),
    _rule(r"\b(?:the\s+)?month[\s-]end\b(?P<next>)", _end_of_month, point=False, lead=True),
    _rule(rf"\b(?:the\s+)?end\s+of\s+(?P<month>{_MONTH})\b", _end_of_named_month, point=False),
    _rule(
        r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?quarter|eoq|"
        r"(?P<next>(?:the\s+)?end\s+of\s+next\s+quarter))\b",
        _end_of_quarter,
        point=False,
    ),
    _rule(r"\b(?:the\s+)?quarter[\s-]end\b(?P<next>)", _end_of_quarter, point=False, lead=True),
    _rule(r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?year|eoy)\b", _end_of_year, point=False),
    # "in Q2", "by end of Q3", "during the fourth quarter"; a bare "by Q3" may mean the day
    # the quarter starts, so it is no date.
    _rule(
        r"\b(?:in|during|(?:by\s+|before\s+)?(?:the\s+)?end\s+of)\s+(?:the\s+)?"
        r"(?:q(?P<q>[1-4])|(?P<nth>first|second|third|fourth)\s+quarter)(?:\s+(?P<year>\d{4}))?\b",
        _end_of_named_quarter,
        point=False,
    ),
    _rule(
        rf"\b(?:in\s+|during\s+)?(?:the\s+)?(?P<nth>first|second|third|fourth|last)\s+week\s+of\s+"
        rf"(?:(?P<month>{_MONTH})|(?P<next>next\s+month))\b",
        _week_of_month,
        point=False,
    ),
    _rule(r"\b(?:the\s+)?year[\s-]end\b", _end_of_year, point=False, lead=True),
    _rule(
        rf"\b(?:the\s+)?(?P<nth>first|second|third|fourth|last)\s+(?P<day>{_WEEKDAY})\s+of\s+"
        rf"(?:(?:the|this)\s+month|(?P<next>next\s+month)|(?P<month>{_MONTH}))\b",
        _weekday_of_month,
    ),
    _rule(
        rf"\b(?:(?:{_WEEKDAY}|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?,?\s+)?(?P<date>{_MONTH}\.?\s+{_DAY}|(?:the\s+)?{_DAY}\s+(?:of\s+)?"
        rf"{_MONTH}\b\.?)(?:,?\s+(?P<year>\d{{4}})\b)?",
        _explicit,
    ),
    # "Monday the 30th": the weekday confirms the day of the month.
    _rule(
        rf"\b(?:{_WEEKDAY}|mon|tues?|wed|thu(?:rs?)?|fri),?\s+(?:the\s+)?(?P<day>\d{{1,2}})"
        rf"(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?{_MONTH}\b)",
        _ordinal,
    ),
    _rule(r"(?<![\w/.$£€-])(?P<date>(?P<year>\d{4})[-/]\d{1,2}[-/]\d{1,2})(?![\w/%-])", _explicit),
    _rule(
        r"(?<![\w/.$£€-])(?P<date>\d{1,2}/\d{1,2}(?:/(?P<year>\d{2}|\d{4}))?)(?![\w/%]|\s+of\b)",
        _explicit,
        lead=True,
    ),
    _rule(
        rf"\b(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?{_MONTH}\b)"
        r"(?!\s+(?:floor|century|percentile|place|anniversary|birthday|hole|row|grade|time)\b)",
        _ordinal,
        lead=True,
    ),
)


def _renamed(index: int, pattern: str) -> str:
    """A rule's pattern with its group names made unique, to join all rules in one scan."""
    return re.sub(r"\(\?P<(\w+)>", rf"(?P<r{index}_\1>", pattern)


_SCAN = re.compile(
    "|".join(f"(?:{_renamed(i, rule.pattern.pattern)})" for i, rule in enumerate(_RULES)),
    re.IGNORECASE,
)
