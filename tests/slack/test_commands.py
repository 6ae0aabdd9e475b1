"""Slash commands: acknowledged at once with a status, answered privately via response_url."""

from __future__ import annotations

from aiohttp import ClientSession
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.blocks import build_notice
from bot.slack.delivery import OVERFLOW_NOTICE, ResponseUrlReply
from tests.fakes.slack_api import BOT_TOKEN, FakeSlackApi
from tests.slack.harness import P3_TEXT, REP, SlackHarness, action_ids, block_texts, dm

PROPOSAL = (
    "Proposal for Acme. Our company was founded in 1990 and won many awards. "
    "Architecture: phase 1, phase 2."
)


async def test_proposal_review_is_acked_fast_and_delivered_to_response_url(
    slack: SlackHarness,
) -> None:
    response = await slack.command("/proposal-review", PROPOSAL, response="review")

    assert response.status == 200
    assert "Reviewing your proposal" in await response.text()  # plain text: shown privately
    await slack.drain()

    [review] = slack.api.calls_to("response_url")
    assert review.params["name"] == "review"
    assert review.params["response_type"] == "ephemeral"
    assert any("Proposal scorecard" in t for t in block_texts(review.params))
    assert any("customer as the hero" in t for t in block_texts(review.params))
    assert slack.api.calls_to("chat.postMessage") == []


async def test_command_without_text_answers_with_usage_in_the_ack(slack: SlackHarness) -> None:
    for name in ("/coach", "/proposal-review"):
        response = await slack.command(name, "  ", trigger_id=f"trig-{name}")
        assert response.status == 200
        usage = (await response.json())["text"]
        assert "e.g." in usage or "share a .txt" in usage

    await slack.drain()
    assert slack.api.calls_to("response_url") == []


async def test_trust_check_coaches_the_pasted_draft(slack: SlackHarness) -> None:
    response = await slack.command("/trust-check", P3_TEXT)
    assert "Thinking" in await response.text()
    await slack.drain()

    [answer] = slack.api.calls_to("response_url")
    assert any("final presentation" in t for t in block_texts(answer.params))


async def test_commitments_lists_open_next_steps_with_buttons(slack: SlackHarness) -> None:
    await slack.event(dm(P3_TEXT))
    await slack.drain()

    response = await slack.command("/commitments", "", response="list")
    assert response.status == 200
    await slack.drain()

    [listing] = slack.api.calls_to("response_url")
    assert any("final presentation slot" in t for t in block_texts(listing.params))
    assert action_ids(listing.params) == ["commitment_accept", "commitment_dismiss"]


async def test_commitments_when_there_are_none(slack: SlackHarness) -> None:
    await slack.command("/commitments", "")
    await slack.drain()

    [listing] = slack.api.calls_to("response_url")
    assert "No open commitments" in listing.params["text"]


async def test_response_url_budget_overflows_into_a_dm(slack_api: FakeSlackApi) -> None:
    messages = [build_notice(f"part {n}") for n in range(7)]
    async with ClientSession() as session:
        client = AsyncWebClient(token=BOT_TOKEN, base_url=slack_api.api_url, session=session)
        url = slack_api.response_url("long")
        reply = ResponseUrlReply(url, session=session, client=client, user=REP)
        await reply.show_thinking("Thinking about it…")
        await reply.send(messages)

    private = [c.params["text"] for c in slack_api.calls_to("response_url")]
    assert len(private) == 5
    assert private[1:4] == ["part 0", "part 1", "part 2"]
    assert private[4] == OVERFLOW_NOTICE
    direct = slack_api.calls_to("chat.postMessage")
    assert [c.params["text"] for c in direct] == ["part 3", "part 4", "part 5", "part 6"]
    assert {c.params["channel"] for c in direct} == {REP}
