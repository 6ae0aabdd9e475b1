"""Commitments are listed soonest first, change status, and stay private to their owner."""

from __future__ import annotations

from datetime import date

from coaching.ports import UserRef
from coaching.types import CommitmentStatus, Platform
from storage.repository import SqlStore
from tests.storage.factories import ALICE, BOB, commitment, message, result

OPEN, DONE = CommitmentStatus.OPEN, CommitmentStatus.DONE


async def test_listed_soonest_due_first_undated_last(store: SqlStore) -> None:
    planned = [
        commitment("undated"),
        commitment("later", due=date(2026, 4, 1)),
        commitment("sooner", due=date(2026, 3, 11)),
        commitment("undated too"),
    ]
    await store.save_turn(message=message(), result=result(commitments=planned))

    listed = await store.list_commitments(who=ALICE)

    assert [c.text for c in listed] == ["sooner", "later", "undated", "undated too"]


async def test_status_change_is_kept(store: SqlStore) -> None:
    saved = (await store.save_turn(message=message(), result=result())).result
    first = saved.commitments[0]
    assert first.id is not None

    changed = await store.set_commitment_status(who=ALICE, commitment_id=first.id, status=DONE)

    assert changed == first.model_copy(update={"status": DONE})
    assert [c.text for c in await store.list_commitments(who=ALICE, statuses=[DONE])] == [
        first.text
    ]
    assert first.id not in [c.id for c in await store.list_commitments(who=ALICE, statuses=[OPEN])]


async def test_another_user_can_neither_see_nor_change_them(store: SqlStore) -> None:
    saved = (await store.save_turn(message=message(), result=result())).result
    await store.save_turn(message=message(who=BOB, name="Bob"), result=result(commitments=[]))
    target = saved.commitments[0].id
    assert target is not None
    lookalikes = [
        BOB,
        UserRef(platform=Platform.SLACK, tenant="T2", user=ALICE.user),
        UserRef(platform=Platform.TEAMS, tenant=ALICE.tenant, user=ALICE.user),
    ]

    for other in lookalikes:
        assert await store.list_commitments(who=other) == []
        assert (
            await store.set_commitment_status(who=other, commitment_id=target, status=DONE) is None
        )

    assert await store.list_commitments(who=ALICE) == saved.commitments


async def test_unknown_commitment_is_none(store: SqlStore) -> None:
    await store.save_turn(message=message(), result=result())

    assert await store.set_commitment_status(who=ALICE, commitment_id=999, status=DONE) is None
