"""The audit log: manager and admin actions are recorded without content; admins read it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.wiring import Workspace, open_services, workspace
from coaching.errors import CoachingError
from coaching.team.rules import Clock
from coaching.types import Role
from config.settings import Settings
from storage.repository import SqlStore
from tests.nudges.org import Org, ref
from tests.test_cli import run_coach

PRIVATE = "call Lena about her divorce settlement before pricing"
CLOCK = Clock(at=datetime(2026, 3, 2, 9, tzinfo=UTC), default_zone=UTC)


@pytest.fixture
async def space(database_url: str, store: SqlStore) -> AsyncIterator[Workspace]:
    org = Org(store)
    await org.people(
        ("ada", Role.ADMIN, None),
        ("maria", Role.MANAGER, None),
        ("tom", Role.MANAGER, None),
        ("ana", Role.REP, "maria"),
    )
    await org.promise("ana", PRIVATE, due=date(2026, 3, 4))
    settings = Settings(_env_file=None, COACH_DATABASE_URL=database_url, COACH_TIMEZONE="UTC")
    async with workspace(settings, senders=[]) as opened:
        yield opened


async def test_a_managers_read_of_a_reps_commitments_is_audited_without_content(
    space: Workspace,
) -> None:
    listing = await space.commitments.listing(ref("maria"), CLOCK, rep="ana")
    assert [t.commitment.text for t in listing.items] == [PRIVATE]

    entries = await space.audit.read(ref("ada"))

    read = next(e for e in entries if e.action == "commitments.read")
    assert (read.actor, read.target) == ("maria", "ana")
    assert PRIVATE not in json.dumps([e.details for e in entries])


async def test_digest_previews_and_schedule_changes_are_audited(space: Workspace) -> None:
    await space.digests.preview(ref("ada"), "maria", CLOCK)
    await space.digests.set_schedule(ref("maria"), weekday=4, hour=16)

    entries = await space.audit.read(ref("ada"))

    preview = next(e for e in entries if e.action == "nudges.preview")
    schedule = next(e for e in entries if e.action == "nudges.schedule")
    assert (preview.actor, preview.target) == ("ada", "maria")
    assert (schedule.actor, schedule.details) == ("maria", {"weekday": 4, "hour": 16})


async def test_an_export_is_audited_with_counts_and_no_content(
    space: Workspace, store: SqlStore, database_url: str
) -> None:
    settings = Settings(_env_file=None, COACH_DATABASE_URL=database_url)
    async with open_services(settings) as services:
        exported = await services.privacy.export(ref("ana"))

    entries = await space.audit.read(ref("ada"))

    export = next(e for e in entries if e.action == "export")
    assert export.details["exported"]["commitments"] == 1
    assert PRIVATE in json.dumps(exported, default=str)
    assert PRIVATE not in json.dumps(export.details)


async def test_refusals_and_reads_of_the_log_are_in_it(space: Workspace) -> None:
    with pytest.raises(CoachingError):
        await space.commitments.listing(ref("tom"), CLOCK, rep="ana")  # not tom's rep

    first = await space.audit.read(ref("ada"))
    again = await space.audit.read(ref("ada"))

    assert any(e.action == "refused.commitments.list" and e.actor == "tom" for e in first)
    assert again[0].action == "audit.read"  # newest first: the read before this one
    assert again[0].details == {"entries": len(first)}


@pytest.mark.parametrize("who", ["maria", "ana", "nobody"])
async def test_only_an_admin_reads_the_log_and_a_refusal_is_logged(
    space: Workspace, who: str
) -> None:
    with pytest.raises(CoachingError) as refused:
        await space.audit.read(ref(who))

    assert refused.value.code == "auth.forbidden"
    entries = await space.audit.read(ref("ada"))
    assert any(e.action == "refused.audit.read" for e in entries)


async def test_another_tenants_log_is_never_shown(space: Workspace, store: SqlStore) -> None:
    other = Org(store, tenant="globex")
    await other.people(("root", Role.ADMIN, None), ("mia", Role.MANAGER, None))
    await space.commitments.listing(ref("maria"), CLOCK, rep="ana")

    theirs = await space.audit.read(ref("root", "globex"))

    assert all(e.actor in {"root", "mia", None} for e in theirs)
    assert not any(e.action == "commitments.read" for e in theirs)


def test_coach_audit_prints_the_log_for_an_admin_and_refuses_a_rep(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    assert run_coach("demo", db=db).returncode == 0
    run_coach("commitments", "list", "--rep", "ana", "--user", "maria", db=db)

    shown = run_coach("audit", "--user", "ada", "--json", db=db)
    refused = run_coach("audit", "--user", "ana", db=db)
    bad_day = run_coach("audit", "--user", "ada", "--since", "March", db=db)

    assert shown.returncode == 0, shown.stderr
    actions = [e["action"] for e in json.loads(shown.stdout)["entries"]]
    assert "commitments.read" in actions
    assert (refused.returncode, refused.stdout) == (2, "")
    assert "Only an admin" in refused.stderr
    assert bad_day.returncode == 2
    assert "YYYY-MM-DD" in bad_day.stderr
