"""The trust self-assessment over Slack: modal, signed submission, DM report, App Home trend."""

from __future__ import annotations

import json

from bot.server import SERVICE_KEY
from bot.slack.translate import MISSING_ANSWER
from coaching.ports import UserRef
from coaching.trust_check import STATEMENTS, score_answers
from coaching.types import Platform
from tests.fakes.slack_api import TEAM_ID
from tests.slack.harness import DM, P3_TEXT, REP, SlackHarness, block_texts, trust_submission

ALICE = UserRef(platform=Platform.SLACK, tenant=TEAM_ID, user=REP)
SELF_SERVING = (4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5)
CLIENT_FIRST = (4, 4, 4, 4, 4, 4, 4, 4, 4, 1, 1, 2)


def trust_of(answers: tuple[int, ...]) -> str:
    return f"{score_answers(answers).trust:g}"


async def submit(slack: SlackHarness, answers: tuple[int | None, ...]) -> str:
    """Post the signed view_submission; the ack's body (empty when the modal may close)."""
    response = await slack.interact(trust_submission(answers))
    assert response.status == 200
    body = await response.text()
    await slack.drain()
    return body


async def test_trust_check_without_text_opens_the_modal(slack: SlackHarness) -> None:
    response = await slack.command("/trust-check", "", trigger_id="trig-trust")
    assert response.status == 200
    assert await response.text() == ""
    await slack.drain()

    [opened] = slack.api.calls_to("views.open")
    assert opened.params["trigger_id"] == "trig-trust"
    view = opened.params["view"]
    assert view["type"] == "modal"
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert len(inputs) == len(STATEMENTS) == 12
    assert {b["element"]["type"] for b in inputs} == {"static_select"}
    assert all(
        [o["value"] for o in b["element"]["options"]] == ["1", "2", "3", "4", "5"] for b in inputs
    )
    assert STATEMENTS[0].text in inputs[0]["label"]["text"]
    assert slack.api.calls_to("response_url") == []


async def test_a_submission_dms_the_score_and_the_next_one_the_trend(slack: SlackHarness) -> None:
    assert await submit(slack, SELF_SERVING) == ""

    [first] = slack.api.calls_to("chat.postMessage")
    assert first.params["channel"] == REP
    texts = block_texts(first.params)
    assert any(f"= {trust_of(SELF_SERVING)}" in t for t in texts)
    assert any("Work on" in t for t in texts)
    assert not any("Trust is" in t for t in texts)

    await submit(slack, CLIENT_FIRST)

    second = slack.api.calls_to("chat.postMessage")[-1]
    texts = block_texts(second.params)
    assert any("Trust is up since" in t and trust_of(CLIENT_FIRST) in t for t in texts)


async def test_app_home_shows_the_trend_after_submissions(slack: SlackHarness) -> None:
    await submit(slack, SELF_SERVING)
    await submit(slack, CLIENT_FIRST)

    await slack.event({"type": "app_home_opened", "user": REP, "channel": DM, "tab": "home"})
    await slack.drain()

    [published] = slack.api.calls_to("views.publish")
    points = f"{trust_of(SELF_SERVING)} → {trust_of(CLIENT_FIRST)}"
    assert any(points in t for t in block_texts(published.params["view"]))


async def test_missing_answers_come_back_as_errors_and_nothing_is_stored(
    slack: SlackHarness,
) -> None:
    answers = (*SELF_SERVING[:2], None, *SELF_SERVING[3:11], None)

    reply = json.loads(await submit(slack, answers))

    assert reply["response_action"] == "errors"
    assert reply["errors"] == {"trust-3": MISSING_ANSWER, "trust-12": MISSING_ANSWER}
    assert slack.api.calls_to("chat.postMessage") == []
    service = slack.client.app[SERVICE_KEY]
    assert await service.trust_history(ALICE) == []


async def test_trust_check_with_a_draft_still_coaches_it(slack: SlackHarness) -> None:
    await slack.command("/trust-check", P3_TEXT)
    await slack.drain()

    assert slack.api.calls_to("views.open") == []
    [answer] = slack.api.calls_to("response_url")
    assert any("final presentation" in t for t in block_texts(answer.params))
