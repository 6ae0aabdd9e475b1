"""Call transcripts attached in a Teams personal chat: one card with the call scorecard."""

from __future__ import annotations

from sqlalchemy import select

from storage.db import create_engine_for
from storage.models import CommitmentRow, ConversationTurn
from tests.calls.files import CALL, subrip, teams_vtt
from tests.fakes.teams_connector import FakeConnector
from tests.teams.conftest import TeamsServer, activity, card_text, count_rows


async def customer_steps(database_url: str) -> list[tuple[str | None, str]]:
    engine = create_engine_for(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(CommitmentRow.counterpart, CommitmentRow.due).where(
                    CommitmentRow.party == "customer"
                )
            )
            return [(who, str(due)) for who, due in rows]
    finally:
        await engine.dispose()


FILE_INFO = "application/vnd.microsoft.teams.file.download.info"


def attached(connector: FakeConnector, name: str, content: bytes) -> dict[str, object]:
    """A file as Teams attaches it in personal chat: a pre-authenticated download URL."""
    url = connector.host_file(name, content)
    return {
        "contentType": FILE_INFO,
        "name": name,
        "content": {"downloadUrl": url, "uniqueId": f"id-{name}", "fileType": "vtt"},
    }


async def test_an_attached_vtt_gets_a_call_card_with_the_customers_next_step(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    transcript = teams_vtt(CALL, note="Recorded 2026-03-04").encode()
    file = attached(connector, "discovery.vtt", transcript)

    status, _ = await teams.post(
        activity(None, service_url=connector.service_url, attachments=[file])
    )

    assert status == 202
    card = connector.messages()[0].card
    shown = card_text(card)
    assert "Call scorecard" in shown
    assert "Marco Bianchi will send you our volumes, by Fri 6 Mar" in shown
    assert {"title": "Longest monologue", "value": "3 min 11 s"} in _facts(card)
    assert await customer_steps(database_url) == [("Marco Bianchi", "2026-03-06")]


async def test_a_transcript_without_speakers_gets_a_friendly_line_and_nothing_is_stored(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    nameless = subrip([("", start, end, words) for _who, start, end, words in CALL])
    file = attached(connector, "anon.srt", nameless.replace(": ", "").encode())

    await teams.post(activity(None, service_url=connector.service_url, attachments=[file]))

    [reply] = connector.messages()
    assert "I found no speakers in anon.srt" in str(reply.text)
    assert await count_rows(database_url, ConversationTurn) == 0
    assert await count_rows(database_url, CommitmentRow) == 0


def _facts(node: object) -> list[dict[str, str]]:
    if isinstance(node, dict):
        found = list(node["facts"]) if node.get("type") == "FactSet" else []
        return found + [f for value in node.values() for f in _facts(value)]
    if isinstance(node, list):
        return [f for item in node for f in _facts(item)]
    return []
