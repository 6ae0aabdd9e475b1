"""Teams activities into the neutral IncomingMessage, and text into commands."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from microsoft_agents.activity import Activity

from bot.teams.translate import (
    LOCAL_TENANT,
    Command,
    CommandName,
    activity_key,
    parse_command,
    to_incoming,
    user_ref,
)
from coaching.types import MessageKind, Platform
from tests.teams.conftest import ALICE_AAD, TENANT, activity

SERVICE_URL = "https://smba.trafficmanager.net/emea/"


def teams_activity(text: str = "hello", **extra: Any) -> Activity:
    return Activity.model_validate(activity(text, service_url=SERVICE_URL, **extra))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("help", Command(CommandName.HELP, "")),
        ("  Commitments ", Command(CommandName.COMMITMENTS, "")),
        ("trust check", Command(CommandName.TRUST_CHECK, "")),
        ("/trust-check", Command(CommandName.TRUST_CHECK, "")),
        ("Forget me", Command(CommandName.FORGET_ME, "")),
        ("/forget-me", Command(CommandName.FORGET_ME, "")),
        (
            "forget me the details, what matters is the CFO",
            Command(CommandName.COACH, "forget me the details, what matters is the CFO"),
        ),
        ("proposal review", Command(CommandName.PROPOSAL_REVIEW, "")),
        (
            "Proposal review We will deliver phase 1\nthen phase 2",
            Command(CommandName.PROPOSAL_REVIEW, "We will deliver phase 1\nthen phase 2"),
        ),
        ("help me word this email", Command(CommandName.COACH, "help me word this email")),
        ("commitments\nand more text", Command(CommandName.COACH, "commitments\nand more text")),
        ("", Command(CommandName.COACH, "")),
    ],
)
def test_parse_command(text: str, expected: Command) -> None:
    assert parse_command(text) == expected


def test_to_incoming_maps_every_field() -> None:
    message = to_incoming(
        teams_activity(conversation="19:deals@thread.tacv2;messageid=17", id="act-9"),
        text="hello",
        kind=MessageKind.REVIEW,
        default_timezone=None,
    )

    assert message.platform is Platform.TEAMS
    assert (message.tenant, message.user, message.user_name) == (TENANT, ALICE_AAD, "Alice Example")
    assert message.channel == "19:deals@thread.tacv2"
    assert message.thread == "19:deals@thread.tacv2;messageid=17"
    assert message.kind is MessageKind.REVIEW
    assert message.idempotency_key == activity_key(
        teams_activity(conversation="19:deals@thread.tacv2;messageid=17", id="act-9")
    )
    assert message.now == datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert message.now.tzinfo == ZoneInfo("Europe/Berlin")


def test_the_same_activity_id_in_another_chat_is_another_key() -> None:
    first = activity_key(teams_activity(id="1712345678901"))
    assert first == activity_key(teams_activity(id="1712345678901"))
    assert first != activity_key(teams_activity(id="1712345678901", conversation="a:zed"))
    assert first != activity_key(teams_activity(id="1712345678902"))
    body = activity("hello", service_url=SERVICE_URL)
    del body["id"]
    assert activity_key(Activity.model_validate(body)) is None


def test_the_clock_falls_back_to_the_configured_zone_then_utc() -> None:
    body = activity("x", service_url=SERVICE_URL)
    del body["localTimezone"]
    no_zone = Activity.model_validate(body)

    configured = to_incoming(
        no_zone, text="x", kind=MessageKind.CHAT, default_timezone="America/New_York"
    )
    unknown = to_incoming(no_zone, text="x", kind=MessageKind.CHAT, default_timezone="Mars/Base")

    assert configured.now.tzinfo == ZoneInfo("America/New_York")
    assert unknown.now.tzinfo == UTC


def test_the_tenant_comes_from_channel_data_or_is_local() -> None:
    body = activity("x", service_url=SERVICE_URL)
    del body["conversation"]["tenantId"]
    from_channel_data = Activity.model_validate(body)
    body.pop("channelData")
    emulator = Activity.model_validate(body)

    assert user_ref(from_channel_data).tenant == TENANT
    assert user_ref(emulator).tenant == LOCAL_TENANT


def test_the_user_is_the_entra_object_id_else_the_channel_id() -> None:
    body = activity("x", service_url=SERVICE_URL)
    del body["from"]["aadObjectId"]

    assert user_ref(teams_activity()).user == ALICE_AAD
    assert user_ref(Activity.model_validate(body)).user == f"29:{ALICE_AAD}"
