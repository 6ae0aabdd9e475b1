"""Slack and Teams payloads of any shape are translated, or refused with a named error.

The shapes are the real ones (tests/slack/harness.py, tests/teams/conftest.py) with any
field replaced by a value of another type, or missing.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from microsoft_agents.activity import Activity
from pydantic import ValidationError

from bot.slack import translate as slack
from bot.teams import translate as teams
from coaching.errors import CoachingError
from coaching.trust_check import STATEMENTS
from coaching.types import MessageKind
from tests.fuzz.strategies import FUZZ, json_values, maybe, rep_text
from tests.slack.harness import button, dm, shortcut, trust_submission
from tests.teams.conftest import activity

GOOD_DM = dm("I'll send the deck by Friday")


def mangled(payload: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """`payload` with some fields dropped and others replaced by any JSON value."""
    keys = sorted(payload)
    return st.fixed_dictionaries(
        {},
        optional={key: maybe(payload[key]) for key in keys},
    )


@FUZZ
@given(text=rep_text, bot=st.none() | st.text(max_size=12))
def test_slack_text_is_cleaned_without_raising(text: str, bot: str | None) -> None:
    cleaned = slack.clean_text(text, bot_user_id=bot)
    assert cleaned == cleaned.strip()
    if not any(mark in text for mark in "<&") and not bot:
        assert cleaned == text.strip()


@FUZZ
@given(event=mangled(GOOD_DM), event_id=json_values)
def test_a_slack_event_becomes_a_turn_or_a_malformed_payload(
    event: dict[str, Any], event_id: Any
) -> None:
    try:
        turn = slack.message_turn(event, tenant="T0ACME", event_id=str(event_id), bot_user_id=None)
    except slack.MalformedPayload:
        return
    assert turn.key == f"event:{event_id}"


@FUZZ
@given(
    payload=mangled(
        {
            "command": "/coach",
            "text": "hi",
            "user_id": "U0REP",
            "channel_id": "C0DEALS",
            "trigger_id": "t1",
        }
    )
)
def test_a_slack_command_becomes_a_turn_or_a_malformed_payload(payload: dict[str, Any]) -> None:
    with contextlib.suppress(slack.MalformedPayload):
        slack.command_turn(payload, tenant="T0ACME", kind=MessageKind.CHAT)


@FUZZ
@given(payload=mangled(shortcut("draft", response_url="https://hooks.slack.com/x")))
def test_a_slack_shortcut_becomes_a_turn_or_a_malformed_payload(payload: dict[str, Any]) -> None:
    with contextlib.suppress(slack.MalformedPayload):
        slack.shortcut_turn(payload, tenant="T0ACME")


@FUZZ
@given(payload=mangled(button("done", 7, response_url=None)))
def test_a_slack_button_becomes_a_press_or_a_malformed_payload(payload: dict[str, Any]) -> None:
    try:
        press = slack.button_press(payload)
    except slack.MalformedPayload:
        return
    assert isinstance(press.commitment_id, int)


@FUZZ
@given(view=maybe(trust_submission([3] * len(STATEMENTS))["view"]))
def test_a_slack_trust_view_gives_answers_or_errors(view: Any) -> None:
    try:
        submitted = slack.trust_answers(view)
    except slack.MalformedPayload:
        return
    assert bool(submitted.answers) != bool(submitted.errors)
    assert all(1 <= answer <= 5 for answer in submitted.answers)


@FUZZ
@given(text=rep_text)
def test_a_teams_command_is_always_parsed(text: str) -> None:
    command = teams.parse_command(text)
    if command.name is teams.CommandName.COACH:
        assert command.text == text.strip()


@FUZZ
@given(data=json_values | st.dictionaries(st.text(max_size=10), json_values, max_size=8))
def test_teams_trust_answers_are_five_scores_or_a_named_error(data: Any) -> None:
    refused: str | None = None
    try:
        answers = teams.trust_answers(data)
    except CoachingError as error:
        refused = error.code
    if refused is not None:
        assert refused == "input.bad_answers"
        return
    assert len(answers) == len(STATEMENTS)
    assert all(1 <= answer <= 5 for answer in answers)


@FUZZ
@given(body=mangled(activity("hello", service_url="https://smba.trafficmanager.net/emea/")))
def test_a_teams_activity_the_sdk_accepts_translates_without_raising(body: dict[str, Any]) -> None:
    try:
        parsed = Activity.model_validate(body)
    except ValidationError:
        return
    message = teams.to_incoming(
        parsed, text="hello", kind=MessageKind.CHAT, default_timezone="Europe/Berlin"
    )
    assert message.tenant
    assert message.user
    assert message.now.tzinfo is not None


@pytest.mark.parametrize("zone", ["../../etc/passwd", "Mars/Olympus", "\x00", "UTC "])
def test_a_teams_time_zone_that_is_not_a_zone_falls_back(zone: str) -> None:
    parsed = Activity.model_validate(
        activity("hello", service_url="https://smba.trafficmanager.net/emea/", localTimezone=zone)
    )
    assert teams.local_now(parsed, "UTC").utcoffset() is not None
