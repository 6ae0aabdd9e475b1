"""Proposal reviews in Teams: typed after **proposal review**, or attached as a .pdf or .docx
in personal chat; reviewed through `ReviewService` into one Adaptive Card, and unreadable
files refused with a friendly message and nothing stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from storage.db import create_engine_for
from storage.models import ConversationTurn, ProposalReview
from tests.fakes.teams_connector import FakeConnector
from tests.review.files import as_docx, as_pdf, encrypted_pdf
from tests.review.outlines import SELLER_OUTLINE
from tests.teams.conftest import TeamsServer, activity, card_text, count_rows

FILE_INFO = "application/vnd.microsoft.teams.file.download.info"
# Teams refuses a message over about 28 KB; the card must stay well under it.
MAX_CARD_BYTES = 28 * 1024


async def titles(database_url: str) -> list[str | None]:
    engine = create_engine_for(database_url)
    try:
        async with engine.connect() as connection:
            return list((await connection.scalars(select(ProposalReview.title))).all())
    finally:
        await engine.dispose()


def attached(connector: FakeConnector, name: str, content: bytes) -> dict[str, Any]:
    """A file as Teams attaches it in personal chat: a pre-authenticated download URL."""
    url = connector.host_file(name, content)
    suffix = name.rsplit(".", 1)[-1]
    return {
        "contentType": FILE_INFO,
        "name": name,
        "content": {"downloadUrl": url, "uniqueId": f"id-{name}", "fileType": suffix},
    }


async def test_a_pdf_attached_in_personal_chat_gets_a_review_card(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    file = attached(connector, "Helios proposal.pdf", as_pdf(SELLER_OUTLINE))

    status, _ = await teams.post(
        activity(None, service_url=connector.service_url, attachments=[file])
    )

    assert status == 202
    assert [p.type for p in connector.posted] == ["typing", "message"]
    card = connector.messages()[0].card
    shown = card_text(card)
    assert "P3 scorecard" in shown
    assert "❌ **customer_is_hero**" in shown
    assert "Your outline with the customer as the hero" in shown
    assert "Signals" in shown
    assert len(json.dumps(card).encode()) < MAX_CARD_BYTES
    assert await titles(database_url) == ["Helios proposal.pdf"]


async def test_a_docx_then_a_redelivery_is_reviewed_once(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    file = attached(connector, "helios.docx", as_docx(SELLER_OUTLINE))
    body = activity("for Thursday", service_url=connector.service_url, attachments=[file])

    await teams.post(body)
    await teams.post(body)

    assert len(connector.messages()) == 1
    assert "P3 scorecard" in card_text(connector.messages()[0].card)
    assert await count_rows(database_url, ProposalReview) == 1


async def test_a_typed_proposal_review_gets_the_outline_and_what_changed(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    for number in (1, 2):
        text = f"proposal review {SELLER_OUTLINE}"
        await teams.post(activity(text, service_url=connector.service_url, id=f"act-{number}"))

    first, second = connector.messages()
    assert "Your outline with the customer as the hero" in card_text(first.card)
    assert "What changed since last time" not in card_text(first.card)
    assert "What changed since last time" in card_text(second.card)
    assert await titles(database_url) == [None, None]


@pytest.mark.parametrize(
    "case",
    [
        ("locked.pdf", encrypted_pdf(SELLER_OUTLINE), "locked.pdf is password-protected"),
        ("broken.pdf", b"%PDF-1.7 and then nothing", "I couldn't read broken.pdf"),
        ("broken.docx", b"PK\x03\x04 not a document", "I couldn't read broken.docx"),
        ("blank.pdf", as_pdf(""), "blank.pdf has no text in it"),
        ("binary.txt", b"\x00\xff" * 200, "binary file"),
    ],
)
async def test_an_unreadable_file_gets_a_friendly_answer_and_nothing_is_stored(
    teams: TeamsServer,
    connector: FakeConnector,
    database_url: str,
    case: tuple[str, bytes, str],
) -> None:
    name, content, expected = case
    file = attached(connector, name, content)

    await teams.post(activity(None, service_url=connector.service_url, attachments=[file]))

    [answer] = connector.messages()
    assert answer.card is None
    assert expected in answer.text
    assert await count_rows(database_url, ProposalReview) == 0
    assert await count_rows(database_url, ConversationTurn) == 0
