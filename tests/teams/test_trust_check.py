"""The trust self-assessment over Teams: the card, its Action.Execute invoke, the report."""

from __future__ import annotations

from typing import Any

from bot.teams.cards import TRUST_VERB, trust_input_id
from coaching.trust_check import STATEMENTS, score_answers
from tests.fakes.teams_connector import FakeConnector
from tests.teams.conftest import ALICE, TeamsServer, activity, card_text

SELF_SERVING = (4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5)
CLIENT_FIRST = (4, 4, 4, 4, 4, 4, 4, 4, 4, 1, 1, 2)


def answered(answers: tuple[object, ...]) -> dict[str, Any]:
    """The submit button's data with the inputs' values merged in, as Teams sends it."""
    values = {trust_input_id(n): str(a) for n, a in enumerate(answers, 1) if a is not None}
    return {"verb": TRUST_VERB, **values}


def execute(data: dict[str, Any], *, service_url: str, id: str = "invoke-trust") -> dict[str, Any]:
    """The invoke Teams sends when the card's Action.Execute is pressed."""
    body = activity(None, service_url=service_url, id=id)
    body.update(
        type="invoke",
        name="adaptiveCard/action",
        value={
            "action": {"type": "Action.Execute", "verb": TRUST_VERB, "data": data},
            "trigger": "manual",
        },
    )
    return body


def elements(node: Any, kind: str) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if node.get("type") == kind else []
        return found + [e for value in node.values() for e in elements(value, kind)]
    if isinstance(node, list):
        return [e for item in node for e in elements(item, kind)]
    return []


async def test_trust_check_sends_the_questionnaire_card(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    status, _ = await teams.post(activity("trust check", service_url=connector.service_url))

    assert status == 202
    [message] = connector.messages()
    choices = elements(message.card, "Input.ChoiceSet")
    assert len(choices) == len(STATEMENTS) == 12
    assert all([c["value"] for c in choice["choices"]] == list("12345") for choice in choices)
    assert STATEMENTS[0].text in choices[0]["label"]
    [submit] = elements(message.card, "Action.Execute")
    assert submit["verb"] == TRUST_VERB


async def test_the_card_action_answers_with_the_report_and_then_the_trend(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    url = connector.service_url
    status, body = await teams.post(execute(answered(SELF_SERVING), service_url=url))

    assert status == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    trust = f"{score_answers(SELF_SERVING).trust:g}"
    [facts] = elements(body["value"], "FactSet")
    assert {"title": "Trust (C+R+I)/S", "value": trust} in facts["facts"]
    assert "Work on" in card_text(body["value"])

    _, body = await teams.post(execute(answered(CLIENT_FIRST), service_url=url, id="invoke-2"))

    assert "Trust is up since" in card_text(body["value"])
    assert len(await teams.service.trust_history(ALICE)) == 2


async def test_a_bad_answer_gets_a_friendly_message_and_nothing_is_stored(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    answers = (*SELF_SERVING[:3], "7", *SELF_SERVING[4:11], None)

    status, body = await teams.post(execute(answered(answers), service_url=connector.service_url))

    assert status == 200
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert body["value"].startswith("Please answer statements 4, 12 with a number from 1 to 5")
    assert await teams.service.trust_history(ALICE) == []


async def test_the_submit_fallback_posts_the_report_card(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    body = activity(None, service_url=connector.service_url, value=answered(SELF_SERVING))

    status, _ = await teams.post(body)

    assert status == 202
    [message] = connector.messages()
    assert "Your trust self-assessment" in card_text(message.card)
    assert len(await teams.service.trust_history(ALICE)) == 1
