"""The "Why?" button: the long reasoning opens in a modal, for the rep who was answered only."""

from __future__ import annotations

from typing import Any

from coaching.replies.explain import GONE
from tests.fakes.slack_api import TEAM_ID
from tests.slack.harness import BOB, P3_TEXT, REP, SlackHarness, action_ids, dm


def why_press(value: str, *, user: str = REP) -> dict[str, Any]:
    """The block_actions payload Slack sends when someone presses "Why?" under an answer."""
    return {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0COACH",
        "trigger_id": f"trig-why-{user}",
        "container": {"type": "message", "is_ephemeral": False},
        "actions": [{"action_id": "why", "block_id": "why", "value": value, "type": "button"}],
    }


async def answered(slack: SlackHarness) -> dict[str, Any]:
    await slack.event(dm(P3_TEXT))
    await slack.drain()
    [answer] = slack.api.calls_to("chat.update")
    return answer.params


def why_value(params: dict[str, Any]) -> str:
    [value] = [
        element["value"]
        for block in params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "why"
    ]
    return str(value)


def modal_text(slack: SlackHarness) -> str:
    [opened] = slack.api.calls_to("views.open")
    view = opened.params["view"]
    assert view["type"] == "modal"
    return "\n".join(b["text"]["text"] for b in view["blocks"])


async def test_why_opens_the_reasoning_behind_the_answer(slack: SlackHarness) -> None:
    answer = await answered(slack)
    assert "why" in action_ids(answer)
    reply = "\n".join(b["text"]["text"] for b in answer["blocks"] if "text" in b)
    assert "p3.not_requested]" not in reply

    response = await slack.interact(why_press(why_value(answer)))
    assert response.status == 200
    await slack.drain()

    text = modal_text(slack)
    assert "[p3.not_requested]" in text
    assert "You wrote:" in text
    assert "wait for their decision" in text


async def test_why_never_explains_another_reps_answer(slack: SlackHarness) -> None:
    answer = await answered(slack)

    await slack.interact(why_press(why_value(answer), user=BOB))
    await slack.drain()

    text = modal_text(slack)
    assert text == GONE
    assert "wait for their decision" not in text


async def test_small_talk_has_no_why_button(slack: SlackHarness) -> None:
    await slack.event(dm("hey, how are you?"))
    await slack.drain()
    [answer] = slack.api.calls_to("chat.update")
    assert "why" not in action_ids(answer.params)
