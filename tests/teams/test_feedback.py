"""The Teams feedback loop: every answer offers thumbs, and the `message/submitAction`
invoke stores one rating per answer and rep, with the typed comment, for that rep only."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from storage.db import create_engine_for
from storage.models import FeedbackRow
from tests.fakes.teams_connector import FakeConnector
from tests.teams.conftest import (
    PROPOSAL_WAIT,
    TeamsServer,
    activity,
    count_rows,
    running,
    settings_for,
)


def feedback_invoke(
    answer_id: str, reaction: str, text: str = "", *, service_url: str, **sender: Any
) -> dict[str, Any]:
    """What Teams posts when a rep presses a thumb under a message and sends the form."""
    body = activity(None, service_url=service_url, id="invoke-feedback", **sender)
    body.update(
        type="invoke",
        name="message/submitAction",
        replyToId=answer_id,
        value={
            "actionName": "feedback",
            "actionValue": {
                "reaction": reaction,
                "feedback": json.dumps({"feedbackText": text}),
            },
        },
    )
    return body


async def ratings(database_url: str) -> list[tuple[str, str | None]]:
    engine = create_engine_for(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(select(FeedbackRow.verdict, FeedbackRow.comment))
            return [(str(verdict), comment) for verdict, comment in rows]
    finally:
        await engine.dispose()


async def test_an_answer_offers_the_feedback_loop_and_keeps_one_rating(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    await teams.post(activity(PROPOSAL_WAIT, service_url=connector.service_url))
    [answer] = connector.messages()
    assert answer.activity["channelData"]["feedbackLoopEnabled"] is True

    liked = feedback_invoke(answer.id, "like", service_url=connector.service_url)
    status, _ = await teams.post(liked)
    assert status == 200
    assert await ratings(database_url) == [("up", None)]

    disliked = feedback_invoke(
        answer.id,
        "dislike",
        "Acme already booked the final meeting",
        service_url=connector.service_url,
    )
    status, _ = await teams.post(disliked)

    assert status == 200
    assert await ratings(database_url) == [("down", "Acme already booked the final meeting")]
    assert len(connector.messages()) == 1  # no chatter back into the conversation


async def test_another_person_cannot_rate_the_answer(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    await teams.post(activity(PROPOSAL_WAIT, service_url=connector.service_url))
    [answer] = connector.messages()

    forged = feedback_invoke(
        answer.id, "dislike", "bad", service_url=connector.service_url, user_aad="aad-mallory"
    )
    unknown = feedback_invoke("posted-999", "like", service_url=connector.service_url)
    statuses = [(await teams.post(body))[0] for body in (forged, unknown)]

    assert statuses == [200, 200]
    assert await count_rows(database_url, FeedbackRow) == 0


async def test_a_slow_answer_sent_later_can_be_rated_too(
    database_url: str, connector: FakeConnector
) -> None:
    settings = settings_for(database_url, COACH_TEAMS_REPLY_BUDGET=0)
    async with running(settings) as server:
        await server.post(activity(PROPOSAL_WAIT, service_url=connector.service_url))
        (answer,) = await connector.wait_for_messages(1)
    assert answer.activity["channelData"]["feedbackLoopEnabled"] is True

    async with running(settings) as server:
        status, _ = await server.post(
            feedback_invoke(answer.id, "like", service_url=connector.service_url)
        )

    assert status == 200
    assert await ratings(database_url) == [("up", None)]
