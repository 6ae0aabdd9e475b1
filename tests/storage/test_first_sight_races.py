"""Workers meeting a new workspace, user or conversation at the same moment: one row each,
every write kept, no error, on both databases."""

from __future__ import annotations

import asyncio

from coaching.ports import UserRef
from coaching.team.ports import AuditNote, MemberUpdate
from coaching.types import Platform, Role
from storage.references import SqlConversationReferences
from storage.repository import open_store
from storage.team_repo import SqlTeamStore
from tests.storage.factories import row_counts

ADMIN = UserRef(platform=Platform.SLACK, tenant="T-new", user="U-admin")
ANA = UserRef(platform=Platform.SLACK, tenant="T-new", user="U-ana")
TEAM = [
    MemberUpdate(user="U-maria", role=Role.MANAGER, name="Maria"),
    MemberUpdate(user="U-ana", role=Role.REP, name="Ana", manager="U-maria"),
]


async def test_two_imports_into_a_new_workspace_both_land(database_url: str) -> None:
    first = await open_store(database_url, migrate=True)
    second = await open_store(database_url, migrate=False)
    try:
        saved = await asyncio.gather(
            SqlTeamStore(first.engine).save_members(ADMIN, TEAM, AuditNote("team.import")),
            SqlTeamStore(second.engine).save_members(ADMIN, TEAM, AuditNote("team.import")),
        )
        ana = await SqlTeamStore(first.engine).member(ANA)
        counts = await row_counts(first)
    finally:
        await first.close()
        await second.close()

    assert sum(result.created + result.updated for result in saved) == 4
    assert (counts["tenants"], counts["users"], counts["audit_log"]) == (1, 2, 2)
    assert ana is not None
    assert ana.manager_id is not None


async def test_two_workers_saving_a_new_users_conversation_keep_one_reference(
    database_url: str,
) -> None:
    store = await open_store(database_url, migrate=True)
    first, second = SqlConversationReferences(store.engine), SqlConversationReferences(store.engine)
    try:
        await asyncio.gather(
            first.save(who=ADMIN, reference={"channel": "D1"}),
            second.save(who=ADMIN, reference={"channel": "D2"}),
        )
        kept = await first.load(who=ADMIN)
        counts = await row_counts(store)
    finally:
        await store.close()

    assert kept is not None
    assert kept.reference["channel"] in {"D1", "D2"}
    assert not kept.stale
    assert (counts["tenants"], counts["users"], counts["conversation_references"]) == (1, 1, 1)
