"""save_turn stores a whole turn at once, and exactly once per inbound event."""

from __future__ import annotations

import asyncio

from coaching.types import CommitmentKind, CommitmentStatus, Party, Platform
from storage.repository import SqlStore, open_store
from tests.storage.factories import ALICE, NOW, commitment, message, result, row_counts


async def test_save_turn_stores_turns_findings_and_commitments(store: SqlStore) -> None:
    saved = (await store.save_turn(message=message(key="Ev1"), result=result())).result

    ids = [c.id for c in saved.commitments]
    assert all(isinstance(i, int) for i in ids)
    assert len(set(ids)) == 2
    assert saved.model_copy(update={"commitments": result().commitments}) == result()
    assert await store.list_commitments(who=ALICE) == saved.commitments
    turns = await store.recent_turns(who=ALICE, thread=None, limit=10)
    assert [(t.speaker, t.text) for t in turns] == [
        ("user", message().text),
        ("coach", result().reply),
    ]
    assert all(t.at == NOW for t in turns)
    counts = await row_counts(store)
    assert (counts["findings"], counts["processed_events"], counts["users"]) == (2, 1, 1)


async def test_the_stored_result_is_found_by_its_event_key(store: SqlStore) -> None:
    assert await store.find_processed(platform=Platform.SLACK, key="Ev1") is None
    saved = (await store.save_turn(message=message(key="Ev1"), result=result())).result

    assert await store.find_processed(platform=Platform.SLACK, key="Ev1") == saved
    assert await store.find_processed(platform=Platform.TEAMS, key="Ev1") is None


async def test_same_key_twice_returns_the_first_result_and_writes_nothing(
    store: SqlStore,
) -> None:
    first = await store.save_turn(message=message(key="Ev1"), result=result())
    counts = await row_counts(store)

    again = await store.save_turn(
        message=message(key="Ev1"), result=result(reply="A different reply")
    )

    assert first.first_time
    assert not again.first_time
    assert again.result == first.result
    assert await row_counts(store) == counts


async def test_saves_without_a_key_are_all_kept(store: SqlStore) -> None:
    await store.save_turn(message=message(), result=result())
    await store.save_turn(message=message(), result=result())

    counts = await row_counts(store)
    assert (counts["conversation_turns"], counts["commitments"]) == (4, 4)
    assert counts["processed_events"] == 0


async def test_racing_workers_store_one_event(database_url: str) -> None:
    first = await open_store(database_url, migrate=True)
    second = await open_store(database_url, migrate=False)
    try:
        results = await asyncio.gather(
            first.save_turn(message=message(key="Ev1"), result=result()),
            second.save_turn(message=message(key="Ev1"), result=result(reply="other")),
        )
        counts = await row_counts(first)
    finally:
        await first.close()
        await second.close()

    assert results[0].result == results[1].result
    assert sorted(r.first_time for r in results) == [False, True]
    assert (counts["processed_events"], counts["commitments"]) == (1, 2)
    assert (counts["conversation_turns"], counts["users"], counts["tenants"]) == (2, 1, 1)


async def test_recent_turns_are_the_newest_of_one_thread_oldest_first(store: SqlStore) -> None:
    for hour in (10, 11, 12):
        await store.save_turn(
            message=message(f"deal {hour}", thread="C1:t1", now=NOW.replace(hour=hour)),
            result=result(reply=f"coach {hour}", commitments=[]),
        )
    await store.save_turn(message=message("elsewhere", thread="C1:t2"), result=result())

    turns = await store.recent_turns(who=ALICE, thread="C1:t1", limit=3)

    assert [t.text for t in turns] == ["coach 11", "deal 12", "coach 12"]
    assert [t.text for t in await store.recent_turns(who=ALICE, thread=None, limit=5)] == []


async def test_every_commitment_kind_status_and_party_can_be_stored(store: SqlStore) -> None:
    every = [
        commitment(f"{kind} {status} {party}", kind=kind, status=status, party=party)
        for kind in CommitmentKind
        for status in CommitmentStatus
        for party in Party
    ]

    saved = (await store.save_turn(message=message(), result=result(commitments=every))).result

    assert await store.list_commitments(who=ALICE) == saved.commitments
    assert len(saved.commitments) == len(every)
