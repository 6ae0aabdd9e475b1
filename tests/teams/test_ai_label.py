"""Teams' AI-generated label: every message the coach wrote carries it, fixed text does not.

The label is an activity entity Teams reads from the posted activity, so each test looks at
the JSON the loopback connector received.
"""

from __future__ import annotations

from typing import Any

from bot.teams.digest_sender import TeamsDigestSender
from bot.teams.proactive import Delivery, send_proactive
from bot.wiring import open_root
from coaching.commitments.ports import ReminderKind
from coaching.digests.ports import Outgoing, Reminder
from coaching.team.ports import Member
from coaching.types import CommitmentKind, Party, Platform, Role
from tests.fakes.teams_connector import FakeConnector, Posted
from tests.teams.conftest import (
    ALICE,
    ALICE_AAD,
    PROPOSAL_WAIT,
    TENANT,
    TODAY,
    TeamsServer,
    activity,
    card_text,
    settings_for,
)

AI_LABEL = {
    "type": "https://schema.org/Message",
    "@type": "Message",
    "@context": "https://schema.org",
    "@id": "",
    "additionalType": ["AIGeneratedContent"],
}


def labels(posted: Posted) -> list[dict[str, Any]]:
    """The schema.org Message entities on a posted activity."""
    entities: list[dict[str, Any]] = posted.activity.get("entities") or []
    return [e for e in entities if e.get("type") == "https://schema.org/Message"]


async def test_a_coaching_answer_is_labelled_ai_generated(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    await teams.post(activity(PROPOSAL_WAIT, service_url=connector.service_url))

    [answer] = connector.messages()
    assert labels(answer) == [AI_LABEL]


async def test_a_refusal_and_help_are_not_labelled(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    await teams.post(activity("   ", service_url=connector.service_url, id="empty"))
    await teams.post(activity("help", service_url=connector.service_url, id="help"))

    refusal, help_text = connector.messages()
    assert refusal.text.startswith("There's nothing to coach yet")
    assert help_text.text
    assert labels(refusal) == labels(help_text) == []


async def test_a_reminder_reaches_the_rep_labelled(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    await teams.post(activity("help", service_url=connector.service_url, id="hello"))
    alice = Member(
        id=1, tenant_id=1, platform=Platform.TEAMS, tenant=TENANT, user=ALICE_AAD, role=Role.REP
    )
    reminder = Reminder(
        commitment_id=7,
        when=ReminderKind.DUE_DAY,
        text="Send Lena the pricing sheet",
        kind=CommitmentKind.SEND_MATERIAL,
        counterpart="Lena",
        due=TODAY,
        party=Party.REP,
        rep="Alice",
        remind_on=TODAY,
        due_words="today",
    )
    item = Outgoing(key="reminder-7", recipient=alice, reminder=reminder)

    settings = settings_for(database_url)
    async with open_root(settings, senders=()) as root:
        sent = await TeamsDigestSender(settings, root.references).send([item])

    assert sent == {"reminder-7"}
    posted = connector.messages()[-1]
    assert "Send Lena the pricing sheet" in card_text(posted.card)
    assert labels(posted) == [AI_LABEL]


async def test_a_proactive_message_is_labelled_only_when_asked(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    await teams.post(activity("help", service_url=connector.service_url, id="hello"))
    outbound = teams.endpoint.outbound

    plain = await send_proactive(outbound, ALICE, "Your workspace was connected.")
    coached = await send_proactive(outbound, ALICE, "Ask Lena who signs.", ai_generated=True)

    assert (plain, coached) == (Delivery.SENT, Delivery.SENT)
    *_, first, second = connector.messages()
    assert labels(first) == []
    assert labels(second) == [AI_LABEL]
