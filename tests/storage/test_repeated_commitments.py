"""Saying a promise again, or reviewing a proposal again, adds nothing to the rep's list.

The matching is by party, kind, due date and wording after normalising, against the rep's
open commitments only: a finished or dismissed one, a different date, or another rep's list
never hides a new commitment. Runs on SQLite, and on PostgreSQL when CI provides one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from coaching.commitments.match import match_open
from coaching.engine import OfflineEngine
from coaching.ports import UserRef
from coaching.review.service import ReviewService
from coaching.service import CoachService
from coaching.types import (
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    IncomingMessage,
    Party,
    Platform,
)
from storage.repository import SqlStore
from storage.review_repo import SqlReviewHistory
from tests.review.outlines import SELLER_OUTLINE

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("America/Chicago"))  # a Monday
ALICE = UserRef(platform=Platform.SLACK, tenant="T1", user="U-alice")
BOB = UserRef(platform=Platform.SLACK, tenant="T1", user="U-bob")
PROMISE = "I'll send Dana the pricing sheet by Friday."


def coach(store: SqlStore) -> CoachService:
    return CoachService(store=store, engine=OfflineEngine(), max_input_chars=20_000, memory_turns=4)


def said(text: str, who: UserRef = ALICE, *, days: int = 0) -> IncomingMessage:
    return IncomingMessage(
        platform=who.platform,
        tenant=who.tenant,
        user=who.user,
        text=text,
        now=NOW + timedelta(days=days),
    )


async def test_a_repeated_promise_stays_one_open_commitment(store: SqlStore) -> None:
    service = coach(store)
    first = await service.handle(said(PROMISE))
    again = await service.handle(said("i'll send Dana the pricing sheet by friday"))
    listed = await service.commitments(ALICE)
    assert [c.text for c in listed] == [first.commitments[0].text]
    assert again.commitments == []
    assert "Already on your list: send Dana the pricing sheet, due Fri 6 Mar." in again.reply


async def test_a_new_date_a_closed_one_or_another_rep_still_adds(store: SqlStore) -> None:
    service = coach(store)
    first = await service.handle(said(PROMISE))
    later = await service.handle(said("I'll send Dana the pricing sheet by next Wednesday."))
    assert len(later.commitments) == 1
    done_id = first.commitments[0].id
    assert done_id is not None
    await service.set_commitment_status(ALICE, done_id, CommitmentStatus.DONE)
    renewed = await service.handle(said(PROMISE))
    assert len(renewed.commitments) == 1
    bobs = await service.handle(said(PROMISE, BOB))
    assert len(bobs.commitments) == 1
    assert len(await service.commitments(ALICE)) == 2


async def test_reviewing_the_same_proposal_again_suggests_one_request(store: SqlStore) -> None:
    service = coach(store)
    reviews = ReviewService(SqlReviewHistory(store.engine), service)
    outcomes = [
        await reviews.review(said(SELLER_OUTLINE, days=day // 2), title="helios.docx")
        for day in range(4)
    ]
    requests = [c for c in await service.commitments(ALICE) if c.kind is CommitmentKind.P3_REQUEST]
    assert len(requests) == 1
    assert "Suggested next step:" in outcomes[0].result.reply
    for outcome in outcomes[1:]:
        assert f"Already on your list: {requests[0].text}" in outcome.result.reply
        assert "Suggested next step:" not in outcome.result.reply


def test_near_identical_wording_matches_but_another_party_or_kind_does_not() -> None:
    open_one = Commitment(
        id=7, text="send Dana the pricing sheet", kind=CommitmentKind.SEND_MATERIAL, due=NOW.date()
    )
    same = open_one.model_copy(update={"id": None, "text": "Send Dana the pricing sheet!"})
    close = same.model_copy(update={"text": "send Dana our pricing sheet"})
    theirs = same.model_copy(update={"party": Party.CUSTOMER})
    other = same.model_copy(update={"kind": CommitmentKind.FOLLOW_UP})
    different = same.model_copy(update={"text": "send Dana the security questionnaire"})
    matched = match_open([same, close, theirs, other, different], [open_one])
    assert matched.already == (open_one,)
    assert matched.fresh == (theirs, other, different)
