"""Call transcripts in Slack: a shared .vtt or .srt, or `/call-review` with a pasted one."""

from __future__ import annotations

from sqlalchemy import text

from storage.repository import SqlStore
from tests.calls.files import CALL, meet_text, subrip, teams_vtt
from tests.fakes.slack_api import SharedFile
from tests.slack.harness import SlackHarness, block_texts, dm


async def stored(store: SqlStore, sql: str) -> list[tuple[object, ...]]:
    async with store.engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(sql))]


def share_event(file_id: str, name: str) -> dict[str, object]:
    return dm("", subtype="file_share", files=[{"id": file_id, "name": name}])


async def test_a_shared_vtt_is_reviewed_as_a_call_with_the_customers_promise(
    slack: SlackHarness, store: SqlStore
) -> None:
    transcript = teams_vtt(CALL, note="Recorded 2026-03-04").encode()
    slack.api.share("F0CALL", SharedFile(name="discovery.vtt", content=transcript))

    await slack.event(share_event("F0CALL", "discovery.vtt"))
    await slack.drain()

    [placeholder] = slack.api.calls_to("chat.postMessage")
    assert "Reviewing your call" in placeholder.params["text"]
    [answer] = slack.api.calls_to("chat.update")
    shown = "\n".join(block_texts(answer.params))
    assert "Call scorecard (Priya Shah as the rep" in shown
    assert "Marco Bianchi will send you our volumes, by Fri 6 Mar" in shown
    theirs = await stored(
        store, "SELECT counterpart, due FROM commitments WHERE party = 'customer'"
    )
    assert [(who, str(due)) for who, due in theirs] == [("Marco Bianchi", "2026-03-06")]


async def test_call_review_with_a_pasted_transcript_answers_privately(slack: SlackHarness) -> None:
    response = await slack.command("/call-review", meet_text(CALL), response="call")

    assert "Reviewing your call" in await response.text()
    await slack.drain()
    [answer] = slack.api.calls_to("response_url")
    shown = "\n".join(block_texts(answer.params))
    assert "Call scorecard" in shown
    assert "Your longest monologue:" in shown


async def test_a_transcript_without_speakers_is_refused_and_nothing_is_stored(
    slack: SlackHarness, store: SqlStore
) -> None:
    nameless = subrip([("", start, end, words) for _who, start, end, words in CALL])
    nameless = nameless.replace(": ", "")
    slack.api.share("F0ANON", SharedFile(name="anon.srt", content=nameless.encode()))

    await slack.event(share_event("F0ANON", "anon.srt"))
    await slack.drain()

    [answer] = slack.api.calls_to("chat.update")
    assert "I found no speakers in anon.srt" in answer.params["text"]
    assert await stored(store, "SELECT id FROM conversation_turns") == []
