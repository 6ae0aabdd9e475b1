"""The message shortcut, the commitment buttons and the App Home tab."""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack.commitments import NOT_YOURS
from coaching.ports import UserRef
from coaching.types import CommitmentStatus, Platform
from storage.repository import SqlStore
from tests.fakes.slack_api import TEAM_ID
from tests.slack.harness import (
    P3_TEXT,
    REP,
    SlackHarness,
    action_ids,
    block_texts,
    button,
    dm,
    shortcut,
)

ALICE = UserRef(platform=Platform.SLACK, tenant=TEAM_ID, user=REP)


async def suggested_commitment(slack: SlackHarness, store: SqlStore) -> tuple[int, dict[str, Any]]:
    """Coach a DM that yields a suggested next step: its id and the message showing it."""
    await slack.event(dm(P3_TEXT))
    await slack.drain()
    [commitment] = await store.list_commitments(who=ALICE)
    assert commitment.id is not None
    [answer] = slack.api.calls_to("chat.update")
    return commitment.id, {"type": "message", "ts": answer.params["ts"], **answer.params}


async def test_coach_this_draft_answers_privately_with_a_status_first(
    slack: SlackHarness,
) -> None:
    response = await slack.interact(shortcut(P3_TEXT, response_url=slack.api.response_url("sc")))
    assert response.status == 200
    await slack.drain()

    status, answer = slack.api.calls_to("response_url")
    assert "Thinking" in status.params["text"]
    assert any("final presentation" in t for t in block_texts(answer.params))
    assert answer.params["response_type"] == "ephemeral"


async def test_coach_this_draft_on_a_message_without_text(slack: SlackHarness) -> None:
    await slack.interact(shortcut("", response_url=slack.api.response_url("sc")))
    await slack.drain()

    [answer] = slack.api.calls_to("response_url")
    assert "no text I can coach" in answer.params["text"]


@pytest.mark.parametrize(
    ("actions", "final"),
    [
        (["accept"], CommitmentStatus.OPEN),
        (["dismiss"], CommitmentStatus.CANCELLED),
        (["accept", "done"], CommitmentStatus.DONE),
        (["accept", "snooze"], CommitmentStatus.SNOOZED),
        (["accept", "cancel"], CommitmentStatus.CANCELLED),
    ],
)
async def test_buttons_change_the_commitment_and_the_message(
    slack: SlackHarness, store: SqlStore, actions: list[str], final: CommitmentStatus
) -> None:
    commitment_id, message = await suggested_commitment(slack, store)

    for action in actions:
        url = slack.api.response_url(action)
        response = await slack.interact(
            button(action, commitment_id, response_url=url, message=message)
        )
        assert response.status == 200
        await slack.drain()

    [commitment] = await store.list_commitments(who=ALICE, statuses=None)
    assert commitment.status is final
    update = slack.api.calls_to("response_url")[-1]
    assert update.params["replace_original"] is True
    assert f"commitment_{actions[-1]}" not in action_ids(update.params)
    label = "accepted" if final is CommitmentStatus.OPEN else final.value
    assert sum(label in t for t in block_texts(update.params)) == 1


async def test_accepting_offers_the_next_buttons_in_the_same_message(
    slack: SlackHarness, store: SqlStore
) -> None:
    commitment_id, message = await suggested_commitment(slack, store)

    url = slack.api.response_url("accept")
    await slack.interact(button("accept", commitment_id, response_url=url, message=message))
    await slack.drain()

    [update] = slack.api.calls_to("response_url")
    assert action_ids(update.params) == [
        "commitment_done",
        "commitment_snooze",
        "commitment_cancel",
        "why",
    ]


async def test_a_button_on_a_private_message_confirms_privately(
    slack: SlackHarness, store: SqlStore
) -> None:
    commitment_id, _message = await suggested_commitment(slack, store)

    await slack.interact(
        button("accept", commitment_id, response_url=slack.api.response_url("eph"))
    )
    await slack.drain()

    [confirmation] = slack.api.calls_to("response_url")
    assert confirmation.params["response_type"] == "ephemeral"
    assert "accepted" in confirmation.params["text"]


async def test_someone_elses_button_changes_nothing(slack: SlackHarness, store: SqlStore) -> None:
    commitment_id, message = await suggested_commitment(slack, store)

    url = slack.api.response_url("other")
    await slack.interact(
        button("accept", commitment_id, response_url=url, user="U0OTHER", message=message)
    )
    await slack.drain()

    [refusal] = slack.api.calls_to("response_url")
    assert refusal.params["text"] == NOT_YOURS
    [commitment] = await store.list_commitments(who=ALICE)
    assert commitment.status is CommitmentStatus.SUGGESTED


async def test_app_home_shows_commitments_and_is_republished_after_a_click(
    slack: SlackHarness, store: SqlStore
) -> None:
    commitment_id, _message = await suggested_commitment(slack, store)

    await slack.event({"type": "app_home_opened", "user": REP, "channel": "D0REP", "tab": "home"})
    await slack.drain()
    [published] = slack.api.calls_to("views.publish")
    assert published.params["user_id"] == REP
    view = published.params["view"]
    assert view["type"] == "home"
    texts = block_texts(view)
    assert any("final presentation slot" in t for t in texts)
    assert any("Trust trend" in t for t in texts)
    assert any("Last proposal review" in t for t in texts)

    await slack.interact(button("accept", commitment_id, response_url=None))
    await slack.drain()
    assert len(slack.api.calls_to("views.publish")) == 2
    assert "commitment_done" in action_ids(slack.api.calls_to("views.publish")[-1].params["view"])


async def test_messages_tab_opening_publishes_nothing(slack: SlackHarness) -> None:
    await slack.event(
        {"type": "app_home_opened", "user": REP, "channel": "D0REP", "tab": "messages"}
    )
    await slack.drain()

    assert slack.api.calls_to("views.publish") == []
