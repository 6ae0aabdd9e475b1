"""CoachService end to end on a real store: exactly once, and bad input changes nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from coaching.engine import OfflineEngine
from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.service import CoachService
from coaching.trust_check import TrustCheck
from coaching.types import CommitmentStatus, IncomingMessage, Platform
from storage.repository import SqlStore
from storage.trust_repo import SqlTrustHistory

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
TEXT = "I sent the proposal to Acme on Monday and will just wait for their decision."
ALICE = UserRef(platform=Platform.SLACK, tenant="T1", user="U1")


def service(store: SqlStore, *, limit: int = 1000) -> CoachService:
    return CoachService(store=store, engine=OfflineEngine(), max_input_chars=limit, memory_turns=4)


def message(text: str = TEXT, key: str | None = "Ev1") -> IncomingMessage:
    return IncomingMessage(
        platform=ALICE.platform,
        tenant=ALICE.tenant,
        user=ALICE.user,
        text=text,
        now=NOW,
        idempotency_key=key,
    )


async def test_a_redelivered_event_is_answered_from_the_store_once(store: SqlStore) -> None:
    coach = service(store)
    first = await coach.process(message())
    again = await coach.process(message())
    assert first.first_time
    assert not again.first_time
    assert again.result == first.result
    assert len(await coach.commitments(ALICE)) == len(first.result.commitments) > 0


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "input.empty"), ("  \n", "input.empty"), ("x" * 1001, "input.too_large")],
)
async def test_bad_input_is_rejected_before_anything_is_stored(
    store: SqlStore, text: str, code: str
) -> None:
    coach = service(store)
    with pytest.raises(CoachingError) as raised:
        await coach.process(message(text))
    assert raised.value.code == code
    assert await store.find_processed(platform=Platform.SLACK, key="Ev1") is None
    assert await coach.commitments(ALICE, statuses=None) == []


async def test_a_commitment_can_be_closed_only_by_its_owner(store: SqlStore) -> None:
    coach = service(store)
    saved = await coach.process(message())
    commitment_id = saved.result.commitments[0].id
    assert commitment_id is not None
    stranger = UserRef(platform=Platform.SLACK, tenant="T1", user="U2")
    with pytest.raises(CoachingError) as raised:
        await coach.set_commitment_status(stranger, commitment_id, CommitmentStatus.DONE)
    assert raised.value.code == "commitment.not_found"
    done = await coach.set_commitment_status(ALICE, commitment_id, CommitmentStatus.DONE)
    assert done.status is CommitmentStatus.DONE


async def test_trust_checks_go_through_the_service_with_history(store: SqlStore) -> None:
    coach = CoachService(
        store=store,
        engine=OfflineEngine(),
        max_input_chars=1000,
        memory_turns=4,
        trust=TrustCheck(SqlTrustHistory(store.engine)),
    )
    await coach.submit_trust_check(ALICE, (3,) * 12, NOW)
    report = await coach.submit_trust_check(ALICE, (5,) * 9 + (1,) * 3, NOW)
    assert report.trend is not None
    assert [a.answers[0] for a in await coach.trust_history(ALICE)] == [5, 3]


async def test_without_a_trust_store_the_rep_is_told_plainly(store: SqlStore) -> None:
    with pytest.raises(CoachingError) as raised:
        await service(store).submit_trust_check(ALICE, (3,) * 12, NOW)
    assert raised.value.code == "feature.unavailable"


async def test_a_platform_message_with_a_nul_byte_is_coached_and_stored(store: SqlStore) -> None:
    """Text pasted from a PDF into Slack or Teams can carry NULs, which PostgreSQL refuses."""
    coach = service(store)

    saved = await coach.process(message(TEXT.replace("Monday", "Mon\x00day")))

    assert saved.first_time
    assert "\x00" not in saved.result.reply
    assert await store.find_processed(platform=Platform.SLACK, key="Ev1") is not None
