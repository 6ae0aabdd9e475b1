"""Commitment changes on a real store: owner only, same answer for foreign and unknown ids."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from coaching.commitments.ports import Change
from coaching.commitments.service import CommitmentService
from coaching.commitments.tracking import Action
from coaching.errors import CoachingError
from coaching.team.rules import Clock
from coaching.types import CommitmentStatus, Role
from storage.repository import SqlStore
from storage.team_repo import SqlTeamStore
from tests.nudges.org import Org, ref
from tests.storage.factories import row_counts

MONDAY = Clock(at=datetime.fromisoformat("2026-03-02T09:00"))
S = CommitmentStatus


async def setup(store: SqlStore) -> tuple[CommitmentService, Org, int]:
    org = Org(store)
    await org.people(("maria", Role.MANAGER, None), ("ana", Role.REP, "maria"))
    await org.people(("tom", Role.MANAGER, None), ("ben", Role.REP, "tom"))
    late = await org.promise("ana", "send Lena the pricing", due=date(2026, 2, 27))
    await org.promise("ana", "ask for a P3", due=date(2026, 3, 4), status=S.SUGGESTED)
    await org.promise("ana", "old", due=date(2026, 2, 1), status=S.DONE)
    return CommitmentService(SqlTeamStore(store.engine)), org, late


async def test_listing_is_live_soonest_first_and_all_on_request(store: SqlStore) -> None:
    service, _, late = await setup(store)

    live = await service.listing(ref("ana"), MONDAY)
    everything = await service.listing(ref("ana"), MONDAY, include_closed=True)

    assert live.today == date(2026, 3, 2)
    assert [t.commitment.text for t in live.items] == ["send Lena the pricing", "ask for a P3"]
    assert live.items[0].id == late
    assert len(everything.items) == 3


async def test_a_manager_reads_their_reps_list_and_nobody_elses(store: SqlStore) -> None:
    service, _, _ = await setup(store)

    assert len((await service.listing(ref("maria"), MONDAY, rep="ana")).items) == 2
    for intruder in ("tom", "ben", "stranger"):
        with pytest.raises(CoachingError) as refused:
            await service.listing(ref(intruder), MONDAY, rep="ana")
        assert refused.value.code == "auth.forbidden"


async def test_owner_changes_and_reminders_restart_with_a_new_date(store: SqlStore) -> None:
    service, _, late = await setup(store)

    snoozed = await service.change(ref("ana"), late, Action.SNOOZE, MONDAY)
    edited = await service.change(ref("ana"), late, Action.EDIT, MONDAY, due=date(2026, 3, 5))
    done = await service.change(ref("ana"), late, Action.DONE, MONDAY)

    assert (snoozed.tracked.commitment.status, snoozed.tracked.snoozed_until) == (
        S.SNOOZED,
        date(2026, 3, 4),
    )
    assert (edited.tracked.commitment.status, edited.tracked.commitment.due) == (
        S.OPEN,
        date(2026, 3, 5),
    )
    assert done.tracked.commitment.status is S.DONE
    assert done.tracked.updated_at == MONDAY.local(None)


async def test_foreign_and_unknown_ids_get_the_same_answer_and_nothing_changes(
    store: SqlStore,
) -> None:
    service, _, late = await setup(store)
    before = await row_counts(store)

    for who, target in (("ben", late), ("maria", late), ("ana", 9_999)):
        with pytest.raises(CoachingError) as refused:
            await service.change(ref(who), target, Action.DONE, MONDAY)
        assert refused.value.code == "commitment.not_found"
        assert str(target) in refused.value.message

    after = await row_counts(store)
    assert after["audit_log"] == before["audit_log"] + 2
    assert (await service.listing(ref("ana"), MONDAY)).items[0].commitment.status is S.OPEN


async def test_a_change_raced_by_another_device_is_not_applied(store: SqlStore) -> None:
    _, _, late = await setup(store)
    repo = SqlTeamStore(store.engine)
    change = Change(S.DONE, None, None, restart_reminders=False)

    stale = await repo.apply(
        commitment_id=late, expected=S.SUGGESTED, change=change, at=MONDAY.local(None)
    )
    assert stale is None
