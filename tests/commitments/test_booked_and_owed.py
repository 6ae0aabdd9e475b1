"""Round-two shapes from realistic updates: meetings someone booked in a clause that also
reports the past, customer steps under way or joined to another verb by "and", what the rep
says they owe, and the dates those messages use ("Tue Dec 1", "thurs", "on Friday's call",
"the first week of December"). Each sentence is new: no rule or corpus line was written
from it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from coaching.commitments.extract import extract_commitments
from coaching.types import CommitmentKind, Party

# A Wednesday: "Tue" is next week's Tuesday, "by Friday" two days out.
WEDNESDAY = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("America/Chicago"))

K = CommitmentKind
Found = tuple[CommitmentKind, date | None, Party]


def found(text: str) -> list[Found]:
    return [(c.kind, c.due, c.party) for c in extract_commitments(text, WEDNESDAY).commitments]


@pytest.mark.parametrize(
    ("text", "due"),
    [
        (
            "Their finance lead emailed the cost centres and booked a review with her "
            "directors for Tue Dec 1.",
            date(2026, 12, 1),
        ),
        (
            "Quorra Textiles signed the renewal on Monday; kickoff with their merchandisers "
            "is Dec 10, and they already sent the SKU list.",
            date(2026, 12, 10),
        ),
        ("their CTO asked for a final hour-long session on Friday Dec 4", date(2026, 12, 4)),
        ("quick mtg w the ops lead at Brandt Ag thurs", date(2026, 11, 19)),
        ("Booked: Tue 11am with Sergio and their fleet manager", date(2026, 11, 24)),
        ("she said yes straight away and we're meeting next week", date(2026, 11, 27)),
    ],
)
def test_a_booked_meeting_is_kept_with_its_own_day(text: str, due: date) -> None:
    assert found(text) == [(K.MEETING, due, Party.REP)]


def test_a_request_to_present_on_a_day_is_the_reps_meeting() -> None:
    text = "Their COO asked us to present the savings model to the board on Dec 9."
    assert found(text) == [(K.MEETING, date(2026, 12, 9), Party.REP)]


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        (
            "Their buyer has the draft and committed to return it signed by the 30th.",
            K.SEND_MATERIAL,
            date(2026, 11, 30),
        ),
        (
            "Their treasurer, Odile, agreed to send the bank letters by Monday.",
            K.SEND_MATERIAL,
            date(2026, 11, 23),
        ),
        (
            "Wendell is pulling the last six months of claims to share with us by Tuesday.",
            K.SEND_MATERIAL,
            date(2026, 11, 24),
        ),
        (
            "Imani offered to introduce me to their regional VP in the first week of December.",
            K.INTRODUCTION,
            date(2026, 12, 4),
        ),
    ],
)
def test_the_customers_own_step_is_theirs_with_its_date(
    text: str, kind: CommitmentKind, due: date
) -> None:
    assert found(text) == [(kind, due, Party.CUSTOMER)]


@pytest.mark.parametrize(
    "text",
    [
        "Their auditors are reviewing the controls matrix.",
        "Gideon is sending mixed messages about the timeline.",
        "She asked me to sharpen the pricing.",
        "We had a workshop booked for Thursday but their CFO pulled out.",
        "I told her that I'd think it over.",
    ],
)
def test_work_under_way_without_a_date_or_a_past_booking_is_no_commitment(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("I owe Marisol the updated rate card by Thursday.", K.SEND_MATERIAL, date(2026, 11, 19)),
        (
            "I also promised him a summary of the pilot results by the end of the month.",
            K.SEND_MATERIAL,
            date(2026, 11, 30),
        ),
        (
            "I told her plainly that I don't know yet, that I'd ask our tax specialist and get "
            "back to her by Friday.",
            K.FOLLOW_UP,
            date(2026, 11, 20),
        ),
        (
            "She needs to see the finish, so I'm shipping a panel to her on Monday.",
            K.SEND_MATERIAL,
            date(2026, 11, 23),
        ),
        (
            "I'm going to walk them through the cost lines one by one on Thursday's call.",
            K.MEETING,
            date(2026, 11, 19),
        ),
    ],
)
def test_what_the_rep_owes_is_kept_with_its_date(
    text: str, kind: CommitmentKind, due: date
) -> None:
    assert found(text) == [(kind, due, Party.REP)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Handover call with Corvin Steel is Dec 3 and the first ops review is Jan 12.",
            [(K.MEETING, date(2026, 12, 3), Party.REP), (K.MEETING, date(2027, 1, 12), Party.REP)],
        ),
        (
            "Scoping call with Ilford Water was on Monday; next up is a site tour on Dec 2.",
            [(K.MEETING, date(2026, 12, 2), Party.REP)],
        ),
        (
            "Tue - walkthrough with the Brio finance team. Thu - renewal call with their GM.",
            [
                (K.MEETING, date(2026, 11, 24), Party.REP),
                (K.MEETING, date(2026, 11, 19), Party.REP),
            ],
        ),
        (
            "Their COO wants to meet next Thursday with her plant leads.",
            [(K.MEETING, date(2026, 11, 26), Party.CUSTOMER)],
        ),
        (
            "We're presenting to the Harlan Co-op board on Dec 10.",
            [(K.MEETING, date(2026, 12, 10), Party.REP)],
        ),
        (
            "The rollout review is booked for Monday the 30th.",
            [(K.MEETING, date(2026, 11, 30), Party.REP)],
        ),
    ],
)
def test_each_meeting_of_an_update_is_kept_on_its_own_day(text: str, expected: list[Found]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We're presenting a simpler way to run payroll.",
        "He wants to meet our founders one day.",
        "The workshop on Tuesday went long and the demo after it ran over.",
    ],
)
def test_a_pitch_a_wish_or_a_past_meeting_is_no_commitment(text: str) -> None:
    assert found(text) == []


def test_a_promised_introduction_is_the_customers_once_it_has_a_date() -> None:
    dated = "Their CRO promised us an intro to the head of claims by Monday."
    assert found(dated) == [(K.INTRODUCTION, date(2026, 11, 23), Party.CUSTOMER)]
    assert found("Their CRO promised an intro back in the spring.") == []


def test_catching_up_on_a_day_is_a_meeting() -> None:
    text = "We're catching up with their finance lead next Tuesday."
    assert found(text) == [(K.MEETING, date(2026, 11, 24), Party.REP)]


@pytest.mark.parametrize(
    "text",
    [
        "I told him I wasn't sure yet, but that I would ask our billing lead and get back to "
        "him by Friday.",
        "let her know I'd check the SLA wording and get back to her by Friday",
    ],
)
def test_a_reported_promise_with_would_or_let_know_keeps_its_date(text: str) -> None:
    assert found(text) == [(K.FOLLOW_UP, date(2026, 11, 20), Party.REP)]
