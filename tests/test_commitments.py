"""Commitment extraction as a rep would notice it: who owes what to whom, and by when."""

from __future__ import annotations

import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from coaching.commitments.extract import Extraction, extract_commitments
from coaching.types import Commitment, CommitmentKind, CommitmentStatus, Party

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("America/Chicago"))

S24 = (
    "Recap from my call with Lena (Brookfield Insurance): I'll send Lena the revised pricing "
    "by Friday, set up a call with their CFO sometime next week, and get back to her on the "
    "SSO question soon. She agreed to send us their current claims volumes by Wednesday."
)


def extract(text: str, now: datetime = MONDAY) -> Extraction:
    return extract_commitments(text, now)


def only(text: str, now: datetime = MONDAY) -> Commitment:
    commitments = extract(text, now).commitments
    assert len(commitments) == 1, commitments
    return commitments[0]


def rep(extraction: Extraction) -> list[Commitment]:
    return [c for c in extraction.commitments if c.party is Party.REP]


def test_s24_three_promises_one_undated_and_the_customers_action() -> None:
    extraction = extract(S24)
    pricing, cfo_call, sso = rep(extraction)
    assert (pricing.kind, pricing.counterpart, pricing.due) == (
        CommitmentKind.SEND_MATERIAL,
        "Lena",
        date(2026, 3, 6),
    )
    assert pricing.text == "send Lena the revised pricing"
    assert (cfo_call.kind, cfo_call.due) == (CommitmentKind.MEETING, date(2026, 3, 13))
    assert cfo_call.counterpart == "Brookfield Insurance CFO"
    assert cfo_call.text == "set up a call with their CFO"
    assert (sso.kind, sso.counterpart, sso.due) == (CommitmentKind.FOLLOW_UP, "Lena", None)
    assert sso.text == "get back to her on the SSO question"
    assert all(c.status is CommitmentStatus.OPEN for c in extraction.commitments)
    assert extraction.undated == ("get back to her on the SSO question soon",)
    assert extraction.undated[0] in S24


def test_s24_the_customers_agreed_action_is_never_the_reps() -> None:
    customer = [c for c in extract(S24).commitments if c.party is Party.CUSTOMER]
    assert len(customer) == 1
    volumes = customer[0]
    assert (volumes.kind, volumes.due, volumes.counterpart) == (
        CommitmentKind.SEND_MATERIAL,
        date(2026, 3, 4),
        "Lena",
    )
    assert volumes.text == "Lena to send us their current claims volumes"


def test_two_promises_in_one_short_sentence_are_split() -> None:
    promises = extract("I'll send pricing by Friday and set up a CFO call next week.").commitments
    assert [(c.kind, c.due) for c in promises] == [
        (CommitmentKind.SEND_MATERIAL, date(2026, 3, 6)),
        (CommitmentKind.MEETING, date(2026, 3, 13)),
    ]


def test_finding_out_after_an_honest_i_dont_know_is_one_follow_up() -> None:
    text = (
        "Their CFO asked whether we've migrated a credit union before. I told her I don't "
        "know yet, but I'll find out and get back to her by Wednesday."
    )
    follow_up = only(text)
    assert (follow_up.kind, follow_up.due) == (CommitmentKind.FOLLOW_UP, date(2026, 3, 4))
    assert follow_up.text == "find out and get back to her"
    assert follow_up.counterpart == "CFO"


def test_drafting_then_sending_it_is_one_delivery() -> None:
    text = "Great chat with Tom Reyes. I'm going to draft a summary and send it over tomorrow."
    summary = only(text)
    assert (summary.kind, summary.due) == (CommitmentKind.SEND_MATERIAL, date(2026, 3, 3))


@pytest.mark.parametrize(
    ("text", "kind", "counterpart", "due"),
    [
        (
            "First meeting tomorrow 10am with Dan Weller at Corvid Systems' new HQ.",
            CommitmentKind.MEETING,
            "Dan Weller",
            date(2026, 3, 3),
        ),
        (
            "Intro call with Pinecrest tomorrow. They asked us to start with our company.",
            CommitmentKind.MEETING,
            "Pinecrest",
            date(2026, 3, 3),
        ),
        (
            "Outline for the Ridgeway Health final meeting (COO Maria Chen gives final sign-off "
            "and has confirmed she'll attend on March 12):\n1. Where Ridgeway is today",
            CommitmentKind.MEETING,
            "Maria Chen",
            date(2026, 3, 12),
        ),
        (
            "Quarterly business review with Priya Raman at Northwind on Thursday.",
            CommitmentKind.MEETING,
            "Priya Raman",
            date(2026, 3, 5),
        ),
    ],
)
def test_scheduled_meetings_stated_as_facts(
    text: str, kind: CommitmentKind, counterpart: str, due: date
) -> None:
    meeting = only(text)
    assert (meeting.kind, meeting.counterpart, meeting.due) == (kind, counterpart, due)
    assert meeting.party is Party.REP
    assert meeting.status is CommitmentStatus.OPEN


@pytest.mark.parametrize(
    "text",
    [
        "We had a great demo with Acme last Friday.",
        "She said the steering committee makes the call on March 19.",
        "Should we book a lunch with their CFO on Thursday?",
        "Let's find time for a call with Dana at some point.",
        "9 demos booked this week.",
    ],
)
def test_past_undecided_or_undated_meetings_are_not_commitments(text: str) -> None:
    assert extract(text).commitments == ()


def test_a_conditional_offer_is_extracted_without_a_reliability_quote() -> None:
    text = (
        "Hi Dr. Osei — loved your panel on supplier risk. If it's useful, I'm happy to send "
        "the one-page checklist we use, no strings attached."
    )
    extraction = extract(text)
    checklist = only(text)
    assert (checklist.kind, checklist.due) == (CommitmentKind.SEND_MATERIAL, None)
    assert checklist.counterpart == "Dr. Osei"
    assert extraction.undated == ()


def test_an_offer_keeps_a_date_it_states() -> None:
    offer = only("If it helps, I can share the rollout plan with Marco on Thursday.")
    assert (offer.counterpart, offer.due) == ("Marco", date(2026, 3, 5))
    assert extract("If it helps, I can share the rollout plan.").undated == ()


def test_an_undated_firm_promise_is_quoted_exactly() -> None:
    text = "Good call with Acme Corp. I'll follow up with the security questionnaire."
    extraction = extract(text)
    assert only(text).due is None
    assert extraction.undated == ("I'll follow up with the security questionnaire",)
    assert all(quote in text for quote in extraction.undated)


@pytest.mark.parametrize(
    ("text", "kind", "counterpart"),
    [
        ("I'll introduce Aisha to Tom Reyes next week.", CommitmentKind.INTRODUCTION, None),
        (
            "Let me connect Raj with our head of support by Friday.",
            CommitmentKind.INTRODUCTION,
            "Raj",
        ),
        ("I'll email Priya about the SSO question tomorrow.", CommitmentKind.FOLLOW_UP, "Priya"),
        ("I will email Priya the case study tomorrow.", CommitmentKind.SEND_MATERIAL, "Priya"),
        (
            "I'm going to book a demo with Globex Corp on Friday.",
            CommitmentKind.MEETING,
            "Globex Corp",
        ),
        ("I'll send a calendar invite to Dana for Thursday.", CommitmentKind.MEETING, "Dana"),
        ("I'll prepare the ROI model for Megan by Friday.", CommitmentKind.OTHER, "Megan"),
        ("Going to call Megan at Orchard Bank on Thursday.", CommitmentKind.FOLLOW_UP, "Megan"),
    ],
)
def test_kinds_and_counterparts(text: str, kind: CommitmentKind, counterpart: str | None) -> None:
    promise = only(text)
    assert promise.kind is kind
    if counterpart is None:
        assert promise.counterpart is not None
        assert "Aisha" in promise.counterpart
    else:
        assert promise.counterpart == counterpart


def test_customer_agreements_in_several_phrasings() -> None:
    text = (
        "Dan committed to send the signed NDA on Thursday. Priya said she'd share the org "
        "chart next week. Their CFO will review the contract by March 12."
    )
    agreements = extract(text).commitments
    assert [c.party for c in agreements] == [Party.CUSTOMER] * 3
    assert [c.counterpart for c in agreements] == ["Dan", "Priya", "CFO"]
    assert [c.due for c in agreements] == [date(2026, 3, 5), date(2026, 3, 13), date(2026, 3, 12)]
    assert extract(text).undated == ()


def test_a_date_before_the_promise_still_counts() -> None:
    assert only("Tomorrow I'll send Priya the ROI model.").due == date(2026, 3, 3)


def test_a_promise_the_rep_reports_making() -> None:
    sow = only("I told Megan I'd send the SOW by EOD.")
    assert (sow.counterpart, sow.due) == ("Megan", date(2026, 3, 2))


@pytest.mark.parametrize(
    "text",
    [
        "Week recap: 126 dials, 310 emails out, 48 LinkedIn connection requests, 9 demos booked.",
        "Plan for tomorrow: I'll make 50 dials and send 30 InMails.",
        "I'm going to send 200 emails and book 10 meetings this week.",
        "About to send this to 2,000 contacts from a list we bought.",
    ],
)
def test_activity_quotas_are_not_commitments(text: str) -> None:
    assert extract(text).commitments == ()


@pytest.mark.parametrize(
    "text",
    [
        "Approach. We will deliver Phase 1 in six weeks and we will host a kickoff on the 19th.",
        "Vantix Solutions will deliver the integration blueprint by Friday.",
        'Dan said "I\'ll send the org chart on Friday" which is great.',
        "Let me know if you have any questions!",
        "Speaking of winning, let me tell you why Corvid should partner with us.",
        "Should I introduce them? We'd get nothing out of it.",
        "I was going to send her our brochure and check back in a few weeks.",
    ],
)
def test_third_party_text_questions_and_non_promises_are_ignored(text: str) -> None:
    assert rep(extract(text)) == []


@pytest.mark.parametrize("text", ["", "   ", "asdf qwer ;;; 🙃🙃", "I'll", "let me", "?!"])
def test_nonsense_produces_nothing(text: str) -> None:
    assert extract(text) == Extraction()


def test_tomorrow_resolves_in_the_users_zone() -> None:
    utc_evening = datetime(2026, 3, 2, 23, 30, tzinfo=ZoneInfo("UTC"))
    tokyo_morning = utc_evening.astimezone(ZoneInfo("Asia/Tokyo"))
    assert only("I'll call Kenji tomorrow.", tokyo_morning).due == date(2026, 3, 4)


def test_year_rollover_in_a_promise() -> None:
    december = datetime(2026, 12, 30, 17, 0, tzinfo=ZoneInfo("Europe/London"))
    assert only("I'll send the renewal quote on Jan 5.", december).due == date(2027, 1, 5)


def test_a_long_paste_is_read_to_the_end() -> None:
    boilerplate = (
        "The Supplier shall provide the Services in accordance with Schedule 2 within 30 days "
        "of the Effective Date, and the Customer will pay undisputed invoices within 45 days. "
    )
    text = boilerplate * (200_000 // len(boilerplate)) + S24
    extraction = extract(text)
    assert len(rep(extraction)) == 3


def test_a_repeated_promise_is_listed_once() -> None:
    extraction = extract(" ".join([S24] * 50))
    assert len(extraction.commitments) == 4
    assert len(extraction.undated) == 1


def test_arbitrary_and_huge_text_never_raises() -> None:
    rng = random.Random(11)
    vocabulary = [*S24.split(), '"', "(", ")", "3/12", "the 19th", "\u201c", "\u2019ll", "\n", "🙃"]
    for _ in range(50):
        extract(" ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 60))))
    extract("I'll send " * 25_000)
    extract("x" * 250_000)


def test_a_stated_meeting_and_a_promise_share_a_sentence_but_not_a_date() -> None:
    text = "Quick update: demo with Halcyon Labs on Thursday at 3pm, then I'll circle back."
    demo, circle_back = extract(text).commitments
    assert (demo.kind, demo.due, demo.counterpart) == (
        CommitmentKind.MEETING,
        date(2026, 3, 5),
        "Halcyon Labs",
    )
    assert (circle_back.kind, circle_back.due) == (CommitmentKind.FOLLOW_UP, None)


def test_a_pronoun_refers_to_the_person_not_their_job_title() -> None:
    text = (
        "Spoke with Carla Ruiz (VP Ops, Meridian Freight). I'll share the ROI calculator "
        "with her by Wednesday."
    )
    assert only(text).counterpart == "Carla Ruiz"


def test_a_drafts_you_is_listed_as_the_person_it_greets() -> None:
    found = only("Hi Dana, as promised I'll call you on Thursday to go through your numbers.")
    assert found.text == "call Dana to go through Dana's numbers"
    assert found.due == date(2026, 3, 5)


def test_turning_the_redlines_around_by_a_day_is_a_promise() -> None:
    found = only("Legal redlines came back, I told Owen I'd turn them around by Thursday.")
    assert found.text == "turn them around"
    assert found.due == date(2026, 3, 5)
    assert found.party is Party.REP


def test_an_abbreviation_does_not_cut_a_promise_short() -> None:
    found = only("I'll present to their board on Thursday (six people incl. the CEO).")
    assert found.text == "present to their board"
    assert found.due == date(2026, 3, 5)
