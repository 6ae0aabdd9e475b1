"""Thumbs up or down under every answer: stored once per answer and rep, for that rep only,
with an optional comment after a thumbs down, and counted in /metrics."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.slack.blocks import FEEDBACK_COMMENT_ID, FEEDBACK_MODAL_ID
from bot.slack.feedback import THANKS
from coaching.feedback.service import NOT_YOURS
from storage.models import FeedbackRow
from storage.repository import SqlStore
from tests.fakes.slack_api import TEAM_ID
from tests.slack.harness import BOB, DM, P3_TEXT, REP, SlackHarness, dm
from tests.storage.factories import row_counts


def thumbs(params: dict[str, Any]) -> dict[str, Any]:
    """The feedback_buttons element of a posted answer."""
    element: dict[str, Any]
    [element] = [
        element
        for block in params["blocks"]
        if block["type"] == "context_actions"
        for element in block["elements"]
        if element["type"] == "feedback_buttons"
    ]
    return element


def press(value: str, *, user: str = REP) -> dict[str, Any]:
    """The block_actions payload Slack sends when a feedback button is pressed."""
    return {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0COACH",
        "trigger_id": f"trig-feedback-{user}",
        "container": {"type": "message", "channel_id": DM, "is_ephemeral": False},
        "channel": {"id": DM, "name": "directmessage"},
        "message": {"type": "message", "ts": "1800000000.000001", "text": "answer"},
        "actions": [
            {
                "type": "feedback_buttons",
                "action_id": "feedback",
                "block_id": "feedback",
                "value": value,
                "action_ts": "1800000001.000000",
            }
        ],
    }


def comment_submission(key: str, text: str, *, user: str = REP) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0COACH",
        "trigger_id": "trig-comment",
        "view": {
            "id": "V0FEEDBACK",
            "type": "modal",
            "callback_id": FEEDBACK_MODAL_ID,
            "private_metadata": key,
            "state": {
                "values": {
                    FEEDBACK_COMMENT_ID: {
                        FEEDBACK_COMMENT_ID: {"type": "plain_text_input", "value": text}
                    }
                }
            },
        },
    }


async def answered(slack: SlackHarness) -> dict[str, Any]:
    await slack.event(dm(P3_TEXT))
    await slack.drain()
    [answer] = slack.api.calls_to("chat.update")
    return thumbs(answer.params)


async def feedback_metric(slack: SlackHarness, verdict: str) -> float:
    body = await (await slack.client.get("/metrics")).text()
    [line] = [
        line
        for line in body.splitlines()
        if line.startswith(f'coach_feedback_total{{verdict="{verdict}"}}')
    ]
    return float(line.split()[-1])


async def test_every_answer_has_thumbs_and_a_thumbs_up_is_thanked(
    slack: SlackHarness, store: SqlStore
) -> None:
    buttons = await answered(slack)

    response = await slack.interact(press(buttons["positive_button"]["value"]))
    assert response.status == 200
    await slack.drain()

    [thanks] = slack.api.calls_to("chat.postEphemeral")
    assert (thanks.params["user"], thanks.params["channel"]) == (REP, DM)
    assert THANKS in thanks.params["text"]
    assert (await row_counts(store))["feedback"] == 1
    assert await feedback_metric(slack, "up") == 1
    assert await feedback_metric(slack, "down") == 0


async def test_a_thumbs_down_asks_for_an_optional_comment_and_keeps_one_row(
    slack: SlackHarness, store: SqlStore
) -> None:
    buttons = await answered(slack)
    await slack.interact(press(buttons["positive_button"]["value"]))
    await slack.interact(press(buttons["negative_button"]["value"]))
    await slack.drain()

    [opened] = slack.api.calls_to("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == FEEDBACK_MODAL_ID
    response = await slack.interact(
        comment_submission(view["private_metadata"], "It ignored the signed NDA.")
    )
    assert response.status == 200
    await slack.drain()

    async with store.sessions() as session:
        [(verdict, comment)] = (
            await session.execute(select(FeedbackRow.verdict, FeedbackRow.comment))
        ).all()
    assert (verdict, comment) == ("down", "It ignored the signed NDA.")
    assert await feedback_metric(slack, "down") == 1
    assert await feedback_metric(slack, "up") == 0


async def test_another_rep_cannot_rate_my_answer(slack: SlackHarness, store: SqlStore) -> None:
    buttons = await answered(slack)
    before = await row_counts(store)

    await slack.interact(press(buttons["negative_button"]["value"], user=BOB))
    await slack.interact(press("down:", user=REP))
    await slack.drain()

    told = {
        call.params["user"]: call.params["text"]
        for call in slack.api.calls_to("chat.postEphemeral")
    }
    assert NOT_YOURS in told[BOB]
    assert "no longer works" in told[REP]
    assert slack.api.calls_to("views.open") == []
    assert await row_counts(store) == before
