"""Teams on a real store: who may add, import and see whom; refusals logged, nothing changed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coaching.errors import CoachingError
from coaching.team.rules import ImportRow
from coaching.team.service import TeamService
from coaching.types import Role
from storage.models import AuditEntry
from storage.repository import SqlStore
from storage.team_repo import SqlTeamStore
from tests.nudges.org import ref
from tests.storage.factories import row_counts

M, A, R = Role.MANAGER, Role.ADMIN, Role.REP


def rows(*lines: tuple[str, str, str, str, str]) -> list[ImportRow]:
    return [ImportRow(number + 2, *line) for number, line in enumerate(lines)]


async def audit_actions(store: SqlStore) -> list[str]:
    async with store.sessions() as session:
        return list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


async def test_a_manager_adds_reps_to_their_own_team(store: SqlStore) -> None:
    team = TeamService(SqlTeamStore(store.engine))

    ana = await team.add_rep(ref("maria"), M, rep="ana", name="Ana", tz="Europe/Berlin")
    again = await team.add_rep(ref("maria"), None, rep="ana", name=None, tz=None)

    maria = await team.actor(ref("maria"), None)
    assert (ana.role, ana.manager_id, ana.time_zone) == (R, maria.id, "Europe/Berlin")
    assert again == ana
    assert [m.user for m in await team.team(ref("maria"), None)] == ["ana"]
    assert await audit_actions(store) == ["team.add", "team.add"]


async def test_refusals_are_polite_logged_and_change_nothing(store: SqlStore) -> None:
    team = TeamService(SqlTeamStore(store.engine))
    await team.add_rep(ref("maria"), M, rep="ana", name=None, tz=None)
    await team.add_rep(ref("tom"), M, rep="ben", name=None, tz=None)
    before = await row_counts(store)

    attempts = [
        team.add_rep(ref("tom"), None, rep="ana", name=None, tz=None),  # another's rep
        team.add_rep(ref("ana"), None, rep="ben", name=None, tz=None),  # a rep adding
        team.add_rep(ref("maria"), R, rep="cara", name=None, tz=None),  # wrong role claimed
        team.team(ref("ben"), None),  # a rep's team view
        team.import_rows(ref("maria"), None, rows(("x", "", "rep", "", ""))),
    ]
    for attempt in attempts:
        with pytest.raises(CoachingError) as refused:
            await attempt
        assert refused.value.code == "auth.forbidden"

    after = await row_counts(store)
    assert after["audit_log"] == before["audit_log"] + len(attempts)
    assert {k: v for k, v in after.items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }
    assert all(a.startswith("refused.") for a in (await audit_actions(store))[2:])


async def test_unknown_zone_is_an_input_error(store: SqlStore) -> None:
    team = TeamService(SqlTeamStore(store.engine))
    with pytest.raises(CoachingError) as bad:
        await team.add_rep(ref("maria"), M, rep="ana", name=None, tz="Mars/Olympus")
    assert bad.value.code == "input.bad_timezone"
    assert (await row_counts(store))["users"] == 0


async def test_an_admin_imports_a_whole_team_and_can_update_it(store: SqlStore) -> None:
    team = TeamService(SqlTeamStore(store.engine))
    first = await team.import_rows(
        ref("ada"),
        A,
        rows(
            ("maria", "Maria", "manager", "", "America/Chicago"),
            ("ana", "Ana", "rep", "maria", ""),
            ("ben", "Ben", "", "maria", "Europe/Berlin"),
        ),
    )
    second = await team.import_rows(
        ref("ada"), None, rows(("tom", "Tom", "manager", "", ""), ("ben", "", "rep", "tom", ""))
    )

    assert (first.created, first.updated) == (4, 0)
    assert (second.created, second.updated) == (1, 1)
    everyone = {m.user: m for m in await team.team(ref("ada"), None)}
    assert set(everyone) == {"ada", "maria", "ana", "ben", "tom"}
    assert everyone["ben"].manager_id == everyone["tom"].id
    assert (everyone["ben"].name, everyone["ben"].time_zone) == ("Ben", "Europe/Berlin")
    assert [m.user for m in await team.team(ref("maria"), None)] == ["ana"]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (("ana", "Ana", "boss", "", ""), "role 'boss'"),
        (("ana", "Ana", "rep", "nobody", ""), "manager nobody"),
        (("ana", "Ana", "rep", "ana", ""), "their own manager"),
        (("ana", "Ana", "rep", "", "Mars/Olympus"), "time zone"),
        (("", "Nameless", "rep", "", ""), "user column"),
        (("ada", "Ada", "rep", "", ""), "your own role"),
    ],
)
async def test_one_bad_line_rejects_the_whole_file(
    store: SqlStore, line: tuple[str, str, str, str, str], problem: str
) -> None:
    team = TeamService(SqlTeamStore(store.engine))
    good = ("maria", "Maria", "manager", "", "")
    with pytest.raises(CoachingError) as bad:
        await team.import_rows(ref("ada"), A, rows(good, line))
    assert bad.value.code == "team.bad_import"
    assert problem in bad.value.message
    assert bad.value.message.startswith("Line 3:")
    assert (await row_counts(store))["users"] == 0


async def test_tenants_never_mix(store: SqlStore) -> None:
    team = TeamService(SqlTeamStore(store.engine))
    await team.add_rep(ref("maria"), M, rep="ana", name=None, tz=None)
    await team.add_rep(ref("maria", "other"), M, rep="ana", name=None, tz=None)

    here = await team.team(ref("maria"), None)
    there = await team.team(ref("maria", "other"), None)
    assert here[0].tenant_id != there[0].tenant_id
