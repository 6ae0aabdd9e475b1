"""The shapes real messages give promises, each on sentences no rule or corpus line was
written from: long clauses, several promises, terse meetings, the customer's side, and the
plans a rep only weighs."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from coaching.commitments.extract import extract_commitments
from coaching.types import Commitment, CommitmentKind, Party

# A Wednesday: "by Friday" is two days out, "Tue" is next week's Tuesday.
WEDNESDAY = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("America/Chicago"))
FRIDAY = date(2026, 11, 20)
TUESDAY = date(2026, 11, 24)

K = CommitmentKind


def found(text: str) -> list[tuple[CommitmentKind, date | None, Party]]:
    return [(c.kind, c.due, c.party) for c in extract_commitments(text, WEDNESDAY).commitments]


def only(text: str) -> Commitment:
    commitments = extract_commitments(text, WEDNESDAY).commitments
    assert len(commitments) == 1, commitments
    return commitments[0]


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        (
            "I'll sync up with our implementation lead and come back to Marcus by Friday",
            K.FOLLOW_UP,
            FRIDAY,
        ),
        (
            "I'll run this past our pricing desk and get back to Leona by Friday",
            K.FOLLOW_UP,
            FRIDAY,
        ),
        ("ok will forward the signed NDA to Rosa by Friday", K.SEND_MATERIAL, FRIDAY),
        ("ill send the onboarding checklist by fri", K.SEND_MATERIAL, FRIDAY),
        ("I'll get the pricing to him by Friday", K.SEND_MATERIAL, FRIDAY),
        (
            "I'll put the rollout plan together by Friday and share it with Viktor",
            K.SEND_MATERIAL,
            FRIDAY,
        ),
    ],
)
def test_the_dated_promise_inside_a_longer_clause_is_kept(
    text: str, kind: CommitmentKind, due: date
) -> None:
    promise = only(text)
    assert (promise.kind, promise.due, promise.party) == (kind, due, Party.REP)


def test_several_promises_in_one_update_are_each_kept() -> None:
    text = (
        "Notes from Orchid Bank: I'll email Selim the revised SOW today, and I'll intro him to "
        "our customer at Tallis next week. I'm also gonna ask their CRO for a final "
        "presentation slot with the exec team before the 4th."
    )
    assert found(text) == [
        (K.SEND_MATERIAL, date(2026, 11, 18), Party.REP),
        (K.INTRODUCTION, date(2026, 11, 27), Party.REP),
        (K.P3_REQUEST, date(2026, 12, 3), Party.REP),
    ]


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("let's do Tue 3pm", TUESDAY),
        ("Tue 3pm works", TUESDAY),
        ("Dec 4 works", date(2026, 12, 4)),
        ("Jan 12 works for both of us", date(2027, 1, 12)),
        ("Thursday at 11 it is", date(2026, 11, 19)),
        ("Can do Dec 4 at 2pm", date(2026, 12, 4)),
        ("Let's lock in the 9th for the onsite", date(2026, 12, 9)),
        ("booked a call for the 9th with their controller", date(2026, 12, 9)),
        ("we'll regroup on the 30th once legal is done", date(2026, 11, 30)),
    ],
)
def test_a_terse_meeting_is_a_meeting_on_its_day(text: str, due: date) -> None:
    meeting = only(text)
    assert (meeting.kind, meeting.due, meeting.party) == (K.MEETING, due, Party.REP)


def test_the_invite_for_an_agreed_time_is_not_a_second_undated_promise() -> None:
    extraction = extract_commitments("Tue 3pm works, I'll send the invite.", WEDNESDAY)
    assert [(c.kind, c.due) for c in extraction.commitments] == [(K.MEETING, TUESDAY)]
    assert extraction.undated == ()


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("they'll send the vendor questionnaire by Friday", K.SEND_MATERIAL, FRIDAY),
        ("his team will run the proof of concept next week", K.OTHER, date(2026, 11, 27)),
        ("Their finance lead is going to sign off the budget on Tuesday", K.OTHER, TUESDAY),
        ("Amara said she'd chase her legal team by Friday", K.FOLLOW_UP, FRIDAY),
        ("She's going to send over the usage report by Friday", K.SEND_MATERIAL, FRIDAY),
    ],
)
def test_what_the_customer_agreed_to_is_theirs(text: str, kind: CommitmentKind, due: date) -> None:
    action = only(text)
    assert (action.kind, action.due, action.party) == (kind, due, Party.CUSTOMER)


def test_in_a_draft_to_the_customer_you_will_is_the_customers_action() -> None:
    text = (
        "Hi Ilse,\nAs discussed, you'll confirm the signatory by Friday "
        "and I'll send the order form."
    )
    assert found(text) == [
        (K.FOLLOW_UP, FRIDAY, Party.CUSTOMER),
        (K.SEND_MATERIAL, None, Party.REP),
    ]


def test_our_own_people_are_never_the_customer() -> None:
    meeting = only("Our CTO will join the call on the 2nd to take the architecture questions")
    assert (meeting.kind, meeting.due, meeting.party) == (K.MEETING, date(2026, 12, 2), Party.REP)


@pytest.mark.parametrize(
    "text",
    [
        "maybe I'll just send a short video instead",
        "thinking about pinging Noor on Monday",
        "thinking I'll just call their COO tomorrow, thoughts?",
        "I could wait until February",
        "best to lay low until the budget vote",
        "If we lose this one I'll ask for a debrief next week",
        "I sent the proposal Monday",
        "I told her I'd send the deck, which I did on Tuesday",
        "should I send the pricing on Friday?",
        "Can I book a call with their CFO for next week?",
        "Option 1: I call Rui on Monday. Option 2: I wait. Which?",
        "Their buyer will probably reply next week",
        "I hope they'll sign by Friday",
        '"I\'ll send it tomorrow" is what Pia told me last week',
        "Does Dec 4 work for you?",
    ],
)
def test_what_the_rep_only_weighs_asks_or_already_did_is_no_commitment(text: str) -> None:
    assert found(text) == []


def test_an_undated_promise_stays_undated_and_is_flagged() -> None:
    extraction = extract_commitments("I'll send Farid the security overview.", WEDNESDAY)
    assert [(c.kind, c.due) for c in extraction.commitments] == [(K.SEND_MATERIAL, None)]
    assert extraction.undated == ("I'll send Farid the security overview",)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("I'll call Gideon tomorow", date(2026, 11, 19)),
        ("I'll folow up with Gideon nxt week", date(2026, 11, 27)),
        ("I will send the quotation to Mr Lim before 24th", date(2026, 11, 23)),
        ("I'll check in with Gideon by thrusday", date(2026, 11, 19)),
    ],
)
def test_misspelt_days_and_words_keep_their_dates(text: str, due: date) -> None:
    assert only(text).due == due


def test_an_obligation_or_a_plan_line_is_a_promise() -> None:
    text = "Plan: email Noor the revised terms Thursday, then book the exec call for next week"
    assert found(text) == [
        (K.SEND_MATERIAL, date(2026, 11, 19), Party.REP),
        (K.MEETING, date(2026, 11, 27), Party.REP),
    ]
    assert found("Next step is for me to send the renewal quote by the 30th") == [
        (K.SEND_MATERIAL, date(2026, 11, 30), Party.REP)
    ]
    assert found("I have to call Sipho tomorrow") == [(K.FOLLOW_UP, date(2026, 11, 19), Party.REP)]


@pytest.mark.parametrize(
    "text",
    [
        "Haven't heard a word from Lena since the call on Nov 3.",
        "crickets since our demo on the 9th, should I nudge them?",
    ],
)
def test_the_meeting_a_silence_is_counted_from_is_no_meeting_ahead(text: str) -> None:
    assert found(text) == []


def test_a_meeting_set_after_a_silence_is_still_a_meeting() -> None:
    text = "nothing since the pricing call on Nov 3, but their CFO booked a demo for Tue"

    assert found(text) == [(K.MEETING, TUESDAY, Party.REP)]
