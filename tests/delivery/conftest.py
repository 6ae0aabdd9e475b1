"""Stored teams on Slack and Teams, and the platform stand-ins the senders post to.

People are written through the real team store, as `coach team` writes them; the senders
are the ones `coach nudges run` and `coach reminders run` get from `bot.wiring.platform_senders`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.wiring import workspace
from coaching.ports import UserRef
from coaching.team.ports import AuditNote, MemberUpdate
from coaching.team.rules import Clock
from coaching.types import Commitment, CommitmentKind, Platform, Role
from config.settings import Settings
from storage.repository import SqlStore
from storage.seed_repo import SeedCommitment, SqlSeeder
from storage.team_repo import SqlTeamStore
from tests.fakes.slack_api import FakeSlackApi

# Monday 2026-03-02 09:00 UTC, the zone of every seeded manager: their default digest slot.
MONDAY_9 = Clock(at=datetime(2026, 3, 2, 9, tzinfo=UTC))


@dataclass(frozen=True)
class Install:
    """The workspace (or, with `enterprise`, the Enterprise Grid org) an OAuth install adds."""

    token: str
    team: str | None
    enterprise: str | None = None

    def access(self) -> dict[str, Any]:
        """What oauth.v2.access answers for it (https://api.slack.com/methods/oauth.v2.access)."""
        return {
            "app_id": "A0COACH",
            "authed_user": {"id": "U0ADMIN"},
            "scope": "chat:write",
            "token_type": "bot",
            "access_token": self.token,
            "bot_user_id": "UCOACH",
            "team": None if self.team is None else {"id": self.team, "name": self.team},
            "enterprise": None if self.enterprise is None else {"id": self.enterprise},
            "is_enterprise_install": self.team is None,
        }


@dataclass
class SlackApiWithDms(FakeSlackApi):
    """The Slack stand-in, also answering conversations.open with the user's DM channel, and
    the next OAuth code exchange with the install queued by `will_install`."""

    installs: deque[Install] = field(default_factory=deque)

    def will_install(self, install: Install) -> None:
        self.installs.append(install)

    def _answer(self, method: str, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        if method == "conversations.open":
            return {"channel": {"id": f"D{params['users']}"}}
        if method == "oauth.v2.access" and self.installs:
            return self.installs.popleft().access()
        return super()._answer(method, params, token)


@pytest.fixture
async def slack_api() -> AsyncIterator[SlackApiWithDms]:
    api = SlackApiWithDms()
    await api.start()
    yield api
    await api.stop()


def settings_for(database_url: str, **overrides: Any) -> Settings:
    """No `.env`, no model, no Slack unless overridden; Teams without credentials."""
    values: dict[str, Any] = {
        "COACH_DATABASE_URL": database_url,
        "OPENAI_API_KEY": None,
        "COACH_TIMEZONE": "UTC",
        "SLACK_BOT_TOKEN": None,
        "SLACK_SIGNING_SECRET": None,
        "SLACK_CLIENT_ID": None,
        "SLACK_CLIENT_SECRET": None,
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": None,
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": None,
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": None,
        # Digests go to the loopback connector stand-in, which only tests allow.
        "COACH_TEAMS_SERVICE_HOSTS": ["http://127.0.0.1"],
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


async def seed_team(
    store: SqlStore, platform: Platform, tenant: str, manager: str, rep: str
) -> None:
    """A manager and one rep on `platform`, the rep with a promise due Wednesday."""
    team = SqlTeamStore(store.engine)
    actor = UserRef(platform=platform, tenant=tenant, user=manager)
    updates = [
        MemberUpdate(manager, Role.MANAGER, "Mia Manager"),
        MemberUpdate(rep, Role.REP, "Ravi Rep", manager=manager),
    ]
    await team.save_members(actor, updates, AuditNote("test"))
    members = await team.members(actor, [rep])
    promise = Commitment(
        text="send Lena the revised pricing",
        kind=CommitmentKind.FOLLOW_UP,
        due=date(2026, 3, 4),
        counterpart="Lena",
    )
    when = datetime(2026, 2, 27, tzinfo=UTC)
    await SqlSeeder(store.engine).add_commitments(
        [SeedCommitment(members[rep].id, f"seed:{rep}", promise, when, when)]
    )


async def run_digests(settings: Settings, clock: Clock = MONDAY_9) -> tuple[int, int]:
    """One `coach nudges run` on its own workspace: (sent, failed)."""
    async with workspace(settings) as space:
        report = await space.digests.run(clock)
    return len(report.digests), report.failed


async def run_reminders(settings: Settings, clock: Clock) -> int:
    """One `coach reminders run` on its own workspace: how many were sent."""
    async with workspace(settings) as space:
        return len(await space.reminders.run(clock))
