"""Direct messages, mentions and shared files, through the real events endpoint."""

from __future__ import annotations

import asyncio
from datetime import date

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from bot.server import build_app
from bot.slack.blocks import MAX_BLOCKS, MAX_SECTION_CHARS, build_reply_messages
from bot.slack.turns import SORRY
from coaching.ports import UserRef
from coaching.types import CoachingResult, CommitmentStatus, Platform
from storage.repository import SqlStore
from tests.fakes.slack_api import BOT_TOKEN, TEAM_ID, Failure, SharedFile
from tests.slack.harness import (
    DEALS,
    DM,
    NOW_TS,
    P3_TEXT,
    REP,
    SlackHarness,
    action_ids,
    block_texts,
    dm,
    mention,
    slack_settings,
)

ALICE = UserRef(platform=Platform.SLACK, tenant=TEAM_ID, user=REP)
LATER_TS = f"{float(NOW_TS) + 60:.6f}"


async def test_dm_shows_thinking_then_the_answer_in_its_place(
    slack: SlackHarness, store: SqlStore
) -> None:
    response = await slack.event(dm(P3_TEXT))
    assert response.status == 200
    await slack.drain()

    [placeholder] = slack.api.calls_to("chat.postMessage")
    [answer] = slack.api.calls_to("chat.update")
    assert "Thinking" in placeholder.params["text"]
    assert placeholder.params["channel"] == DM
    assert "thread_ts" not in placeholder.params
    assert answer.params["ts"] == "1800000000.000001"
    assert any("final presentation" in t for t in block_texts(answer.params))
    assert action_ids(answer.params) == ["commitment_accept", "commitment_dismiss", "why"]
    [commitment] = await store.list_commitments(who=ALICE)
    assert commitment.status is CommitmentStatus.SUGGESTED
    assert commitment.due == date(2026, 11, 20)  # two business days, in the rep's zone


async def test_redelivery_with_retry_header_answers_once(
    slack: SlackHarness, store: SqlStore
) -> None:
    await slack.event(dm(P3_TEXT))
    await slack.drain()
    response = await slack.event(dm(P3_TEXT), retry=1)
    assert response.status == 200
    await slack.drain()

    assert len(slack.api.calls_to("chat.postMessage")) == 1
    assert len(slack.api.calls_to("chat.update")) == 1
    assert len(await store.list_commitments(who=ALICE)) == 1


async def test_simultaneous_redeliveries_answer_once(slack: SlackHarness, store: SqlStore) -> None:
    responses = await asyncio.gather(
        slack.event(dm(P3_TEXT)),
        slack.event(dm(P3_TEXT), retry=1),
        slack.event(dm(P3_TEXT), retry=2),
    )
    assert [r.status for r in responses] == [200, 200, 200]
    await slack.drain()

    assert len(slack.api.calls_to("chat.update")) + len(slack.api.calls_to("chat.postMessage")) == 2
    assert slack.api.calls_to("chat.delete") == []
    assert len(await store.list_commitments(who=ALICE)) == 1


async def test_two_workers_given_the_same_event_answer_once(
    slack: SlackHarness, database_url: str, store: SqlStore
) -> None:
    """Slack may re-deliver to another worker: the database decides, the loser withdraws."""
    other_app = build_app(slack_settings(database_url, slack.api))
    async with TestClient(TestServer(other_app)) as other_client:
        other = SlackHarness(other_client, slack.api)
        await asyncio.gather(slack.event(dm(P3_TEXT)), other.event(dm(P3_TEXT)))
        await asyncio.gather(slack.drain(), other.drain())

    placeholders = slack.api.calls_to("chat.postMessage")
    [answer] = slack.api.calls_to("chat.update")
    withdrawn = slack.api.calls_to("chat.delete")
    assert len(placeholders) == 2
    assert len(withdrawn) == 1
    assert {answer.params["ts"], withdrawn[0].params["ts"]} == {
        "1800000000.000001",
        "1800000000.000002",
    }
    assert len(await store.list_commitments(who=ALICE)) == 1


async def test_mention_is_answered_in_its_thread_with_memory(
    slack: SlackHarness, store: SqlStore
) -> None:
    await slack.event(mention(P3_TEXT))
    await slack.event(
        mention("Should I call them first?", ts=LATER_TS, thread_ts=NOW_TS), event_id="Ev0002"
    )
    await slack.drain()

    posts = slack.api.calls_to("chat.postMessage")
    assert [p.params["channel"] for p in posts] == [DEALS, DEALS]
    assert [p.params["thread_ts"] for p in posts] == [NOW_TS, NOW_TS]
    turns = await store.recent_turns(who=ALICE, thread=f"{DEALS}:{NOW_TS}", limit=10)
    assert [t.speaker for t in turns] == ["user", "coach", "user", "coach"]
    assert turns[0].text == P3_TEXT  # the @coach mention itself is not part of the text


async def test_empty_mention_gets_a_short_prompt_with_examples(
    slack: SlackHarness, store: SqlStore
) -> None:
    await slack.event(mention(""))
    await slack.drain()

    [prompt] = slack.api.calls_to("chat.postMessage")
    assert prompt.params["thread_ts"] == NOW_TS
    assert "For example" in prompt.params["blocks"][0]["text"]["text"]
    assert slack.api.calls_to("chat.update") == []
    assert await store.recent_turns(who=ALICE, thread=f"{DEALS}:{NOW_TS}", limit=10) == []


async def test_quoted_broadcasts_and_mentions_never_ping(slack: SlackHarness) -> None:
    risky = (
        "Busy week: two demos, a renewal call with Brightwater and a lot of internal prep for "
        "the quarterly review with our VP. I sent the proposal to <!channel> and <@U0BOSS> on "
        "Monday and will just wait."
    )  # long enough that the reply quotes the sentence that shows the finding
    await slack.event(dm(risky))
    await slack.drain()

    [answer] = slack.api.calls_to("chat.update")
    sent = " ".join([answer.params["text"], *block_texts(answer.params)])
    assert "&lt;!channel&gt;" in sent
    assert "<!channel>" not in sent
    assert "<@U0BOSS>" not in sent


async def test_rate_limited_call_is_retried_after_retry_after(slack: SlackHarness) -> None:
    slack.api.fail_next("chat.postMessage", Failure(status=429, retry_after=0))

    await slack.event(dm(P3_TEXT))
    await slack.drain()

    assert len(slack.api.calls_to("chat.postMessage")) == 2
    assert len(slack.api.calls_to("chat.update")) == 1


async def test_a_failing_store_becomes_a_friendly_message(
    slack: SlackHarness, store: SqlStore
) -> None:
    cascade = " CASCADE" if store.engine.dialect.name == "postgresql" else ""  # feedback's key
    async with store.engine.begin() as connection:
        await connection.execute(text(f"DROP TABLE processed_events{cascade}"))

    await slack.event(dm(P3_TEXT))
    await slack.drain()

    [answer] = slack.api.calls_to("chat.update")
    shown = answer.params["text"]
    assert shown.startswith(("Sorry", "The coach's database")) or shown == SORRY
    assert "Error" not in shown
    assert "processed_events" not in shown


async def test_shared_proposal_file_is_downloaded_with_the_bot_token_and_reviewed(
    slack: SlackHarness,
) -> None:
    proposal = "Proposal for Acme\n\nOur company was founded in 1990 and won many awards.\n"
    slack.api.share(
        "F0PROP", SharedFile(name="proposal.md", content=proposal.encode(), filetype="markdown")
    )

    event = dm("", subtype="file_share", files=[{"id": "F0PROP", "name": "proposal.md"}])
    await slack.event(event)
    await slack.drain()

    [placeholder] = slack.api.calls_to("chat.postMessage")
    assert "Reviewing your proposal" in placeholder.params["text"]
    [download] = slack.api.calls_to("download")
    assert download.token == BOT_TOKEN
    [answer] = slack.api.calls_to("chat.update")
    assert any("Proposal scorecard" in t for t in block_texts(answer.params))


async def test_unsupported_file_gets_a_friendly_explanation(slack: SlackHarness) -> None:
    slack.api.share("F0KEY", SharedFile(name="deck.key", content=b"PK\x03\x04", filetype="keynote"))

    await slack.event(dm("", subtype="file_share", files=[{"id": "F0KEY", "name": "deck.key"}]))
    await slack.drain()

    [answer] = slack.api.calls_to("chat.update")
    assert "I can review .txt, .md, .pdf, .docx or .pptx files, not .key" in answer.params["text"]
    assert slack.api.calls_to("download") == []


async def test_a_huge_proposal_gets_a_review_within_slacks_limits(slack: SlackHarness) -> None:
    awards = " ".join(f"award{i} and" for i in range(13_000))
    proposal = f"Our company was founded in 1990 and won many awards {awards} more.\n"
    slack.api.share("F0BIG", SharedFile(name="big.txt", content=proposal.encode()))

    await slack.event(dm("", subtype="file_share", files=[{"id": "F0BIG", "name": "big.txt"}]))
    await slack.drain()

    [first] = slack.api.calls_to("chat.update")
    _placeholder, *more = slack.api.calls_to("chat.postMessage")
    for message in [first, *more]:
        assert len(message.params["blocks"]) <= MAX_BLOCKS
        assert all(len(t) <= MAX_SECTION_CHARS for t in block_texts(message.params))
    sent = "".join(t for m in [first, *more] for t in block_texts(m.params))
    assert "Our company was founded in 1990" in sent


def test_an_oversized_reply_is_split_into_several_messages() -> None:
    reply = " ".join(f"word{i}" for i in range(30_000))

    messages = build_reply_messages(CoachingResult(reply=reply))

    assert len(messages) > 1
    for message in messages:
        assert len(message["blocks"]) <= MAX_BLOCKS
        assert all(len(t) <= MAX_SECTION_CHARS for t in block_texts(dict(message)))
    assert "word29999" in "".join(t for m in messages for t in block_texts(dict(m)))
