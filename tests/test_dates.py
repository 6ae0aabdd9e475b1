"""Due dates as a rep would read them: the digest's §2.4 table, spans, and what is no date."""

from __future__ import annotations

import random
import string
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from coaching.commitments.dates import (
    add_business_days,
    find_due_date,
    find_vague_timing,
    is_vague_timing,
    previous_business_day,
)

CHICAGO = ZoneInfo("America/Chicago")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=CHICAGO)


def due(text: str, now: datetime = MONDAY) -> date | None:
    found = find_due_date(text, now)
    return found.due if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'll send it today", date(2026, 3, 2)),
        ("pricing by EOD", date(2026, 3, 2)),
        ("before end of day", date(2026, 3, 2)),
        ("the deck tomorrow morning", date(2026, 3, 3)),
        ("revised pricing by Friday", date(2026, 3, 6)),
        ("a call on Thursday", date(2026, 3, 5)),
        ("the summary this week", date(2026, 3, 6)),
        ("the contract next week", date(2026, 3, 13)),
        ("a call with their CFO sometime next week", date(2026, 3, 13)),
        ("a demo in two weeks", date(2026, 3, 16)),
        ("an answer in 3 days", date(2026, 3, 5)),
        ("back in a couple of weeks", date(2026, 3, 16)),
        ("the forecast by end of month", date(2026, 3, 31)),
        ("signed by the end of the quarter", date(2026, 3, 31)),
        ("closed by EOQ", date(2026, 3, 31)),
        ("the deck before the board meeting on the 19th", date(2026, 3, 18)),
        ("the kickoff on March 12", date(2026, 3, 12)),
        ("a workshop on 3/12", date(2026, 3, 12)),
        ("the review on 12 March", date(2026, 3, 12)),
        ("renewal on Mar 12th", date(2026, 3, 12)),
        ("the steering group on the 19th", date(2026, 3, 19)),
        ("go-live 2026-03-12", date(2026, 3, 12)),
    ],
)
def test_the_digest_resolution_table(text: str, expected: date) -> None:
    assert due(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next Wednesday", date(2026, 3, 11)),
        ("next Monday", date(2026, 3, 9)),
        ("this Friday", date(2026, 3, 6)),
        ("Friday next week", date(2026, 3, 13)),
        ("by next Wed", date(2026, 3, 11)),
        ("early next week", date(2026, 3, 9)),
        ("end of next week", date(2026, 3, 13)),
        ("the week after next", date(2026, 3, 20)),
        ("the day after tomorrow", date(2026, 3, 4)),
        ("EOD Friday", date(2026, 3, 6)),
        ("before Friday", date(2026, 3, 5)),
        ("before Friday's steering call", date(2026, 3, 5)),
        ("within 2 business days", date(2026, 3, 4)),
        ("within 48 hours", date(2026, 3, 4)),
        ("in a month", date(2026, 4, 2)),
        ("by the end of April", date(2026, 4, 30)),
        ("next month", date(2026, 4, 30)),
        ("by month-end", date(2026, 3, 31)),
        ("on Thursday, March 12, 2027", date(2027, 3, 12)),
        ("the 12th of March", date(2026, 3, 12)),
    ],
)
def test_phrasings_the_digest_leaves_to_us(text: str, expected: date) -> None:
    assert due(text) == expected


def test_the_span_covers_the_whole_time_expression() -> None:
    text = "I'll send Lena the revised pricing by Friday, and the rest later."
    found = find_due_date(text, MONDAY)
    assert found is not None
    assert text[found.start : found.end] == "by Friday"


def test_the_first_date_in_the_text_wins() -> None:
    text = "Demo on Thursday, contract by the end of the month."
    assert due(text) == date(2026, 3, 5)


@pytest.mark.parametrize(
    "text",
    [
        "126 dials, 310 emails out, 48 LinkedIn connection requests",
        "founded 1998, 14 offices, 2,300 employees",
        "I've got our 20-slide corporate overview ready",
        "backlog under 2 days by Q3",
        "Dana closed at 104% of quota",
        "the new 24/7 support tier",
        "a 60/40 Analytics/Platform split",
        "9/10 reps said so",
        "on today's call Sunpeak's COO said",
        "we need this yesterday",
        "a team that stops dreading month-end",
        "the 19th century",
        "I'll get back to her soon",
        "check back in a few weeks",
        "I met her last Friday",
        "Feb 30",
        "by 2/30",
        "the board meets in May",
        "",
        "🙃🙃 ;;;",
    ],
)
def test_things_that_are_not_due_dates(text: str) -> None:
    assert find_due_date(text, MONDAY) is None


def test_a_date_already_passed_this_year_rolls_to_next_year() -> None:
    new_years_eve_eve = datetime(2026, 12, 30, 16, 0, tzinfo=CHICAGO)
    assert due("kickoff on Jan 5", new_years_eve_eve) == date(2027, 1, 5)
    assert due("kickoff on 1/5", new_years_eve_eve) == date(2027, 1, 5)
    assert due("the 2nd", new_years_eve_eve) is None
    assert due("on the 2nd", new_years_eve_eve) == date(2027, 1, 2)


def test_an_explicit_year_is_kept_even_in_the_past() -> None:
    assert due("signed on March 1, 2025") == date(2025, 3, 1)


def test_tomorrow_is_tomorrow_in_the_users_own_zone() -> None:
    utc_evening = datetime(2026, 3, 2, 23, 30, tzinfo=ZoneInfo("UTC"))
    tokyo_morning = utc_evening.astimezone(ZoneInfo("Asia/Tokyo"))
    assert tokyo_morning.date() == date(2026, 3, 3)
    assert due("I'll call him tomorrow", tokyo_morning) == date(2026, 3, 4)
    assert due("I'll call him tomorrow", utc_evening) == date(2026, 3, 3)


@pytest.mark.parametrize(
    "text",
    ["soon", "shortly", "ASAP", "in a few weeks", "at some point", "I'll send it later"],
)
def test_vague_timing_is_recognised(text: str) -> None:
    assert is_vague_timing(text)


@pytest.mark.parametrize("text", ["later today", "sometime next week", "by Friday", "latest"])
def test_precise_timing_is_not_vague(text: str) -> None:
    assert not is_vague_timing(text)


def test_the_vague_words_can_be_located() -> None:
    text = "get back to her on the SSO question soon"
    span = find_vague_timing(text)
    assert span is not None
    assert text[span[0] : span[1]] == "soon"


def test_business_days_skip_the_weekend() -> None:
    friday = date(2026, 3, 6)
    assert add_business_days(friday, 1) == date(2026, 3, 9)
    assert add_business_days(MONDAY.date(), 2) == date(2026, 3, 4)
    assert previous_business_day(date(2026, 3, 9)) == friday


def test_arbitrary_text_never_raises() -> None:
    rng = random.Random(7)
    alphabet = string.printable + "\u2019\u201c\u201d\u2014🙃é"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        find_due_date(text, MONDAY)
        is_vague_timing(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Monday 2026-03-02: the week of March 2 is the first week of March.
        ("an intro in the first week of March", date(2026, 3, 6)),
        ("the second week of March", date(2026, 3, 13)),
        ("pricing in the last week of March", date(2026, 3, 27)),
        # May 2026 opens on a Friday, so its first week is the one holding that Friday.
        ("first week of May", date(2026, 5, 1)),
        ("a workshop for Tue Mar 10", date(2026, 3, 10)),
        ("on Thu, March 12", date(2026, 3, 12)),
        ("big mtg w their cfo thurs", date(2026, 3, 5)),
        ("walk them through it on Thursday's call", date(2026, 3, 5)),
    ],
)
def test_weeks_of_a_month_short_weekdays_and_a_named_days_call(text: str, expected: date) -> None:
    assert due(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Next week Tuesday I will visit them", date(2026, 3, 10)),
        ("I'll circle back in a fortnight", date(2026, 3, 16)),
        ("I'll get it to him before the weekend", date(2026, 3, 6)),
        ("I'll email her first thing in the morning", date(2026, 3, 3)),
        ("I'll check in on the last Friday of the month", date(2026, 3, 27)),
        ("the kickoff is the first Monday of April", date(2026, 4, 6)),
        ("will send pricing to ana fri", date(2026, 3, 6)),
        ("Tue onsite at Kaltech, Thu admin", date(2026, 3, 3)),
    ],
)
def test_the_ways_reps_write_dates_in_chat_and_plans(text: str, expected: date) -> None:
    assert due(text) == expected


def test_a_list_of_options_is_no_single_day_and_a_word_is_no_day() -> None:
    assert due("two options this week, Thursday 11am or Friday 2pm") == date(2026, 3, 6)
    assert due("they got wed in June") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the renewal quote in Q2", date(2026, 6, 30)),
        ("the migration plan by end of Q3", date(2026, 9, 30)),
        ("signed during the fourth quarter", date(2026, 12, 31)),
        ("the rollout in Q1 2027", date(2027, 3, 31)),
    ],
)
def test_a_named_quarter_ends_on_its_last_day(text: str, expected: date) -> None:
    assert due(text) == expected


def test_a_quarter_already_over_is_next_years() -> None:
    november = datetime(2026, 11, 18, 9, 0, tzinfo=CHICAGO)
    assert due("pilot results in Q1", november) == date(2027, 3, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the deck by Tuesay", date(2026, 3, 3)),
        ("pricing by Wendsday", date(2026, 3, 4)),
        ("a call on Satruday", date(2026, 3, 7)),
    ],
)
def test_a_mistyped_weekday_after_a_lead_word_is_that_day(text: str, expected: date) -> None:
    assert due(text) == expected


@pytest.mark.parametrize("text", ["ready by Q3", "hoping for someday", "good for money"])
def test_a_bare_quarter_and_day_like_words_are_no_date(text: str) -> None:
    assert due(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the contract a week from Friday", date(2026, 3, 13)),
        ("the review two weeks from Thursday", date(2026, 3, 19)),
        ("the redlines this time next week", date(2026, 3, 9)),
        ("the plan by the end of the week after next", date(2026, 3, 20)),
        ("the kickoff in the first week of next month", date(2026, 4, 3)),
        ("the quote by next Weds", date(2026, 3, 11)),
    ],
)
def test_weeks_counted_from_a_day_and_next_months_weeks(text: str, expected: date) -> None:
    assert due(text) == expected
