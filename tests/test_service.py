"""CoachService end to end on a real store: exactly once, and bad input changes nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from coaching.engine import OfflineEngine
from coaching.ports import UserRef
from coaching.service import CoachService
from coaching.types import CoachingError, CommitmentStatus, IncomingMessage, Platform
from storage.repository import SqlStore

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
