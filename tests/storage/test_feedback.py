"""Ratings of answers: one row per answer and person, only for the person answered, and
read back with what they said for an admin's list and export."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coaching.errors import CoachingError
from coaching.feedback.ports import Verdict
from coaching.feedback.service import NOT_YOURS, FeedbackService, evaluation_cases
from coaching.ports import UserRef
from coaching.types import Platform, Role
from storage.feedback_repo import SqlFeedback
from storage.privacy_repo import SqlPrivacy
from storage.repository import SqlStore
from tests.storage.factories import ALICE, BOB, NOW, message, result, row_counts

ADMIN = UserRef(platform=Platform.SLACK, tenant="T1", user="U-admin")
SAID = "I sent the proposal to Acme and will wait for their decision."


async def answered(store: SqlStore, key: str = "Ev1") -> FeedbackService:
    await store.save_turn(message=message(SAID, key=key), result=result())
    await store.save_turn(
        message=message("hello", who=ADMIN, key="Ev-admin", role=Role.ADMIN), result=result()
    )
    return FeedbackService(SqlFeedback(store.engine))


async def test_a_second_click_changes_the_rating_instead_of_adding_one(store: SqlStore) -> None:
    feedback = await answered(store)

    await feedback.rate(ALICE, "Ev1", Verdict.UP, at=NOW)
    await feedback.rate(ALICE, "Ev1", Verdict.DOWN, at=NOW + timedelta(minutes=1), comment="vague")

    [rated] = await feedback.read(ADMIN)
    assert (rated.user, rated.verdict, rated.comment) == ("U-alice", Verdict.DOWN, "vague")
    assert rated.text == SAID
    assert rated.codes == ("p3.not_requested", "creepy.never")
    assert (await row_counts(store))["feedback"] == 1


async def test_a_comment_stays_with_its_verdict(store: SqlStore) -> None:
    feedback = await answered(store)

    await feedback.rate(ALICE, "Ev1", Verdict.DOWN, at=NOW, comment="vague")
    await feedback.rate(ALICE, "Ev1", Verdict.DOWN, at=NOW)
    [kept] = await feedback.read(ADMIN)
    await feedback.rate(ALICE, "Ev1", Verdict.UP, at=NOW)
    [changed] = await feedback.read(ADMIN)

    assert kept.comment == "vague"
    assert (changed.verdict, changed.comment) == (Verdict.UP, None)


async def test_nobody_rates_someone_elses_answer(store: SqlStore) -> None:
    feedback = await answered(store)
    before = await row_counts(store)

    with pytest.raises(CoachingError) as refused:
        await feedback.rate(BOB, "Ev1", Verdict.DOWN, at=NOW)
    assert refused.value.message == NOT_YOURS
    with pytest.raises(CoachingError):
        await feedback.rate(ALICE, "Ev-unknown", Verdict.UP, at=NOW)

    assert await row_counts(store) == before


async def test_only_an_admin_reads_the_ratings(store: SqlStore) -> None:
    feedback = await answered(store)
    await feedback.rate(ALICE, "Ev1", Verdict.UP, at=NOW)

    with pytest.raises(CoachingError) as refused:
        await feedback.read(ALICE)

    assert refused.value.code == "auth.forbidden"
    other_tenant = UserRef(platform=Platform.SLACK, tenant="T2", user="U-admin")
    with pytest.raises(CoachingError):
        await feedback.read(other_tenant)


async def test_since_leaves_out_older_ratings(store: SqlStore) -> None:
    feedback = await answered(store)
    await feedback.rate(ALICE, "Ev1", Verdict.UP, at=NOW)

    assert await feedback.read(ADMIN, since=NOW + timedelta(days=1)) == []
    assert len(await feedback.read(ADMIN, since=NOW - timedelta(days=1))) == 1


async def test_rated_answers_become_evaluation_cases(store: SqlStore) -> None:
    feedback = await answered(store)
    await feedback.rate(ALICE, "Ev1", Verdict.DOWN, at=NOW, comment="missed the point")

    [case] = evaluation_cases(await feedback.read(ADMIN))

    assert case["text"] == SAID
    assert case["cmd"] == "ask"
    assert case["codes"] == ["p3.not_requested", "creepy.never"]
    assert (case["verdict"], case["comment"]) == ("down", "missed the point")
    assert case["now"] == NOW.strftime("%Y-%m-%dT%H:%M")


async def test_forgetting_the_rep_removes_their_ratings(store: SqlStore) -> None:
    feedback = await answered(store)
    await feedback.rate(ALICE, "Ev1", Verdict.UP, at=NOW)

    await SqlPrivacy(store.engine).forget(ALICE, actor_id=None)

    assert await feedback.read(ADMIN) == []
