"""What a rep notices when the coach misreads real writing: the promise at the end of a long
clause, the internal step that only prepares it, a meeting agreed in four words, a planned
week written as a list, and the calls that are over ("thanks for the call today"). Every
sentence is new: no rule or corpus line was written from it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from coaching.commitments.extract import extract_commitments
from coaching.types import CommitmentKind, Party

# A Wednesday: "Friday" is two days out, "Tue" and "Mon" are next week's.
WEDNESDAY = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("America/Chicago"))
# A Monday, for a week planned day by day.
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("America/Chicago"))

K = CommitmentKind
Found = tuple[CommitmentKind, date | None, Party]


def found(text: str, now: datetime = WEDNESDAY) -> list[Found]:
    return [(c.kind, c.due, c.party) for c in extract_commitments(text, now).commitments]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I'll walk the numbers through with our CFO tonight and get the final quote "
            "to Imogen by Monday",
            (K.SEND_MATERIAL, date(2026, 11, 23), Party.REP),
        ),
        (
            "Let me pull the renewal history from our billing team, then I'll send it to "
            "Osei on Friday",
            (K.SEND_MATERIAL, date(2026, 11, 20), Party.REP),
        ),
        (
            "I will check with our finance and I send the offer to Mr. Brandt on Friday",
            (K.SEND_MATERIAL, date(2026, 11, 20), Party.REP),
        ),
        (
            "Next week Thursday I will visit Ms. Oduya at the plant",
            (K.MEETING, date(2026, 11, 26), Party.REP),
        ),
        (
            "Their head of HR will send the org chart by Friday",
            (K.SEND_MATERIAL, date(2026, 11, 20), Party.CUSTOMER),
        ),
    ],
)
def test_a_long_clause_yields_the_one_promise_it_makes(text: str, expected: Found) -> None:
    assert found(text) == [expected]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("fri 11 ok for us", date(2026, 11, 20)),
        ("see you Tuesday at 2", date(2026, 11, 24)),
        ("we're booked in for the 3rd at 9", date(2026, 12, 3)),
        ("the 7th @ 10 works", date(2026, 12, 7)),
        ("sure, Monday 4pm then", date(2026, 11, 23)),
    ],
)
def test_a_meeting_agreed_in_a_few_words_is_a_meeting_on_that_day(text: str, day: date) -> None:
    assert found(text) == [(K.MEETING, day, Party.REP)]


@pytest.mark.parametrize(
    "text",
    [
        "fri 11 ok for you?",
        "We had the review booked for the 3rd but it fell through",
        "Thanks for the workshop today, Liesel",
        "Their client asked for a call on Monday and I said no",
        "I'll call you Monday then",
    ],
)
def test_no_meeting_is_invented_from_questions_past_or_thanks(text: str) -> None:
    assert all(kind is not K.MEETING for kind, _, _ in found(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Owe Bettina a follow-up on the SLA by Thursday", (K.FOLLOW_UP, date(2026, 11, 19))),
        ("sending Rune the renewal quote on Monday", (K.SEND_MATERIAL, date(2026, 11, 23))),
        ("Tue: send Kofi the proposal", (K.SEND_MATERIAL, date(2026, 11, 24))),
        ("Friday I send the order form to Lin", (K.SEND_MATERIAL, date(2026, 11, 20))),
        ("Remind me to call Nadia tomorrow", (K.FOLLOW_UP, date(2026, 11, 19))),
    ],
)
def test_a_note_without_its_subject_is_still_the_reps_promise(
    text: str, expected: tuple[CommitmentKind, date]
) -> None:
    assert found(text) == [(*expected, Party.REP)]


@pytest.mark.parametrize(
    "text",
    [
        "They asked me to send the deck by Friday, not sure I can",
        "I'll probably send the summary to Arne tomorrow",
        "I promised to call her Tuesday and didn't",
        "Every Friday I send a pipeline report",
    ],
)
def test_doubt_habit_or_a_broken_promise_records_nothing(text: str) -> None:
    assert found(text) == []


def test_thanks_for_the_demo_keeps_only_the_promise_that_follows() -> None:
    text = "Thanks for the demo today, Liesel. I'll send the recording tomorrow."
    assert found(text) == [(K.SEND_MATERIAL, date(2026, 11, 19), Party.REP)]


def test_a_week_planned_as_a_list_dates_each_item_by_its_own_day() -> None:
    text = "This week: Mon admin, Tue workshop at Brightmoor (2pm), Thu I'll call Ines"
    assert found(text, MONDAY) == [
        (K.MEETING, date(2026, 3, 3), Party.REP),
        (K.FOLLOW_UP, date(2026, 3, 5), Party.REP),
    ]
