"""Proposal files (.docx, .pdf) shared with the bot: reviewed through `ReviewService`, with
the scorecard, outline and signals delivered; unreadable files refused with nothing stored."""

from __future__ import annotations

import io

import docx
import pytest
from sqlalchemy import text

from storage.repository import SqlStore
from tests.fakes.slack_api import SharedFile
from tests.review.files import as_pdf, as_pptx, encrypted_pdf
from tests.review.outlines import SELLER_OUTLINE
from tests.slack.harness import SlackHarness, block_texts, dm

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def proposal_docx(outline: str) -> bytes:
    """A Word document as a rep saves it: the title as a heading, one paragraph per line."""
    document = docx.Document()
    title, *lines = outline.split("\n")
    document.add_heading(title, level=1)
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


async def stored_reviews(store: SqlStore) -> list[tuple[str | None]]:
    async with store.engine.connect() as connection:
        rows = await connection.execute(text("SELECT title FROM proposal_reviews"))
        return [(row[0],) for row in rows]


async def stored_turns(store: SqlStore) -> int:
    async with store.engine.connect() as connection:
        return int(await connection.scalar(text("SELECT count(*) FROM conversation_turns")) or 0)


def share_event(file_id: str, name: str) -> dict[str, object]:
    return dm("", subtype="file_share", files=[{"id": file_id, "name": name}])


async def test_a_docx_shared_in_a_dm_is_reviewed_with_scorecard_and_outline(
    slack: SlackHarness, store: SqlStore
) -> None:
    shared = SharedFile(
        name="Helios proposal v2.docx",
        content=proposal_docx(SELLER_OUTLINE),
        filetype="docx",
        mimetype=DOCX_MIME,
    )
    slack.api.share("F0DOCX", shared)

    await slack.event(share_event("F0DOCX", "Helios proposal v2.docx"))
    await slack.drain()

    [placeholder] = slack.api.calls_to("chat.postMessage")
    assert "Reviewing your proposal" in placeholder.params["text"]
    [answer] = slack.api.calls_to("chat.update")
    shown = "\n".join(block_texts(answer.params))
    assert "*Proposal scorecard*" in shown
    assert ":x: customer is hero" in shown
    assert "Your outline with the customer as the hero" in shown
    assert "Signals:" in shown
    assert await stored_reviews(store) == [("Helios proposal v2.docx",)]


async def test_a_deck_shared_in_a_dm_is_reviewed_with_its_speaker_notes(
    slack: SlackHarness, store: SqlStore
) -> None:
    notes = {7: "Close on how the dispatch floor will feel: relief, and calm at month-end."}
    deck = as_pptx(SELLER_OUTLINE, notes=notes)
    slack.api.share(
        "F0PPTX",
        SharedFile(name="Helios final.pptx", content=deck, filetype="pptx", mimetype=PPTX_MIME),
    )

    await slack.event(share_event("F0PPTX", "Helios final.pptx"))
    await slack.drain()

    [answer] = slack.api.calls_to("chat.update")
    shown = "\n".join(block_texts(answer.params))
    assert "*Proposal scorecard*" in shown
    assert ":x: customer is hero" in shown
    assert ":white_check_mark: emotional connection" in shown
    assert "5. What it will feel like: \u201cSpeaker notes: Close on how" in shown
    assert await stored_reviews(store) == [("Helios final.pptx",)]


async def test_a_redelivered_file_share_is_reviewed_once(
    slack: SlackHarness, store: SqlStore
) -> None:
    slack.api.share(
        "F0PDF",
        SharedFile(
            name="helios.pdf", content=as_pdf(SELLER_OUTLINE), filetype="pdf", mimetype="x/pdf"
        ),
    )

    await slack.event(share_event("F0PDF", "helios.pdf"))
    await slack.drain()
    await slack.event(share_event("F0PDF", "helios.pdf"), retry=1)
    await slack.drain()

    assert len(slack.api.calls_to("chat.postMessage")) == 1
    [answer] = slack.api.calls_to("chat.update")
    assert any("Proposal scorecard" in t for t in block_texts(answer.params))
    assert len(await stored_reviews(store)) == 1


async def test_a_second_version_says_what_changed(slack: SlackHarness, store: SqlStore) -> None:
    first = SharedFile(name="helios v1.pdf", content=as_pdf(SELLER_OUTLINE), mimetype="x/pdf")
    slack.api.share("F0V1", first)
    await slack.event(share_event("F0V1", "helios v1.pdf"), event_id="Ev0001")
    await slack.drain()
    second = SharedFile(name="helios v2.docx", content=proposal_docx(SELLER_OUTLINE))
    slack.api.share("F0V2", second)
    await slack.event(share_event("F0V2", "helios v2.docx"), event_id="Ev0002")
    await slack.drain()

    _first, answer = slack.api.calls_to("chat.update")
    shown = "\n".join(block_texts(answer.params))
    assert "What changed since last time" in shown
    assert len(await stored_reviews(store)) == 2


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("locked.pdf", encrypted_pdf(SELLER_OUTLINE), "password-protected"),
        ("broken.docx", b"PK\x03\x04 not really a word document", "I couldn't read broken.docx"),
        ("broken.pdf", b"%PDF-1.7 and then nothing", "I couldn't read broken.pdf"),
        ("empty.txt", b"   \n", "empty.txt is empty"),
        ("binary.txt", b"\x00\x01\x02" * 100, "binary file"),
    ],
)
async def test_an_unreadable_file_gets_a_friendly_message_and_nothing_is_stored(
    slack: SlackHarness, store: SqlStore, name: str, content: bytes, expected: str
) -> None:
    slack.api.share("F0BAD", SharedFile(name=name, content=content, mimetype="x/binary"))

    await slack.event(share_event("F0BAD", name))
    await slack.drain()

    [answer] = slack.api.calls_to("chat.update")
    assert expected in answer.params["text"]
    assert "Traceback" not in answer.params["text"]
    assert await stored_reviews(store) == []
    assert await stored_turns(store) == 0


async def test_an_oversized_file_is_refused_before_it_is_downloaded(
    slack: SlackHarness, store: SqlStore
) -> None:
    big = b"Our company was founded in 1990. " * (11 * 1024 * 1024 // 33)
    slack.api.share("F0HUGE", SharedFile(name="huge.txt", content=big))

    await slack.event(share_event("F0HUGE", "huge.txt"))
    await slack.drain()

    [answer] = slack.api.calls_to("chat.update")
    assert "larger than the 10.0 MB limit" in answer.params["text"]
    assert slack.api.calls_to("download") == []
    assert await stored_reviews(store) == []
