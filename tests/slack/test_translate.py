"""Slack payloads to IncomingMessage: identity, threads, text and the user's clock."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.slack.translate import (
    Profile,
    button_press,
    clean_text,
    command_turn,
    message_turn,
    shortcut_turn,
    tenant_of,
    to_incoming,
)
from coaching.types import MessageKind, Platform
from tests.slack.harness import DEALS, DM, NOW_TS, REP, button, dm, mention, shortcut

NOW = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)


def test_tenant_is_the_grid_org_when_there_is_one() -> None:
    assert tenant_of("E0ORG", "T0ACME") == "E0ORG"
    assert tenant_of(None, "T0ACME") == "T0ACME"
    with pytest.raises(ValueError, match="team"):
        tenant_of(None, None)


def test_clean_text_drops_our_mention_and_decodes_slack_formatting() -> None:
    raw = (
        "<@UCOACH> check &lt;this&gt; &amp; <https://acme.io/deal|the deal> <mailto:a@b.io|a@b.io>"
    )

    assert clean_text(raw, bot_user_id="UCOACH") == "check <this> & the deal a@b.io"


def test_thread_keys_dm_is_one_conversation_mentions_are_threads() -> None:
    top = message_turn(dm("hi"), tenant="T", event_id="Ev1", bot_user_id=None)
    threaded = message_turn(dm("hi", thread_ts="1.5"), tenant="T", event_id="Ev2", bot_user_id=None)
    mentioned = message_turn(mention("hi"), tenant="T", event_id="Ev3", bot_user_id="UCOACH")

    assert top.thread == DM
    assert threaded.thread == f"{DM}:1.5"
    assert mentioned.thread == f"{DEALS}:{NOW_TS}"
    assert (top.key, mentioned.key) == ("event:Ev1", "event:Ev3")


def test_commands_and_shortcuts_are_keyed_by_trigger_id() -> None:
    command = {
        "command": "/proposal-review",
        "text": "x",
        "user_id": REP,
        "channel_id": DEALS,
        "trigger_id": "t9",
    }

    turn = command_turn(command, tenant="T", kind=MessageKind.REVIEW)
    draft = shortcut_turn(shortcut("draft", response_url="u"), tenant="T")

    assert (turn.key, turn.kind, turn.thread) == ("command:t9", MessageKind.REVIEW, DEALS)
    assert (draft.key, draft.text, draft.thread) == (
        "shortcut:trig-shortcut",
        "draft",
        f"{DEALS}:{NOW_TS}",
    )


def test_incoming_message_uses_the_users_zone_and_falls_back() -> None:
    turn = message_turn(dm("hi"), tenant="T0ACME", event_id="Ev1", bot_user_id=None)

    berlin = to_incoming(turn, Profile(name="ada", tz="Europe/Berlin"), default_tz=None, now=NOW)
    unknown = to_incoming(turn, Profile(tz="Mars/Olympus"), default_tz="America/New_York", now=NOW)
    bare = to_incoming(turn, Profile(), default_tz=None, now=NOW)

    assert berlin.platform is Platform.SLACK
    assert (berlin.tenant, berlin.user, berlin.user_name) == ("T0ACME", REP, "ada")
    assert berlin.now == NOW
    assert berlin.now.tzinfo == ZoneInfo("Europe/Berlin")
    assert unknown.now.tzinfo == ZoneInfo("America/New_York")
    assert bare.now.tzinfo == UTC
    assert berlin.idempotency_key == "event:Ev1"


def test_button_press_knows_where_it_was_clicked() -> None:
    home = button_press(button("done", 7, response_url=None))
    message = button_press(
        button("done", 7, response_url="u", message={"blocks": [{"type": "divider"}]})
    )

    assert (home.in_home, home.commitment_id, home.response_url) == (True, 7, None)
    assert (message.in_home, message.response_url, len(message.blocks)) == (False, "u", 1)
