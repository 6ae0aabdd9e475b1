"""The Block Kit builders are pure: Slack's limits and safety checked without a network."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.slack.blocks import (
    MAX_BLOCKS,
    MAX_HOME_BLOCKS,
    MAX_SECTION_CHARS,
    HomeData,
    build_commitments_messages,
    build_home_view,
    build_reply_messages,
    build_resolved_blocks,
    build_status_notice,
    build_trust_modal,
    build_trust_report_blocks,
    neutralise,
)
from coaching.ports import Assessment
from coaching.trust_check import build_report, score_answers
from coaching.types import (
    CoachingResult,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Finding,
    ScorecardEntry,
    Severity,
)

TODAY = date(2026, 11, 18)


def commitment(
    number: int, status: CommitmentStatus = CommitmentStatus.OPEN, **extra: object
) -> Commitment:
    values: dict[str, object] = {
        "id": number,
        "text": f"Send deck {number}",
        "kind": CommitmentKind.SEND_MATERIAL,
        "due": TODAY + timedelta(days=number - 5),
        "status": status,
    }
    values.update(extra)
    return Commitment.model_validate(values)


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    out = [b["text"]["text"] for b in blocks if "text" in b]
    out += [
        e["text"] for b in blocks for e in b.get("elements", []) if isinstance(e.get("text"), str)
    ]
    return out


def test_neutralise_defuses_broadcasts_mentions_and_links() -> None:
    raw = "Hi <!channel> <!here> <!everyone> <@U0BOSS> <!subteam^S1> @here & <https://x.io|x>"

    safe = neutralise(raw)

    assert "<" not in safe
    assert ">" not in safe
    assert "&lt;!channel&gt;" in safe
    assert "@\u200bhere" in safe
    assert "&amp;" in safe


def test_long_reply_is_split_within_every_limit_and_loses_nothing() -> None:
    paragraphs = [f"Paragraph {n}: " + "word " * 400 for n in range(120)]
    reply = "\n\n".join(paragraphs)

    messages = build_reply_messages(CoachingResult(reply=reply))

    assert len(messages) > 1
    sections = [t for m in messages for t in texts(m["blocks"])]
    assert all(len(m["blocks"]) <= MAX_BLOCKS for m in messages)
    assert all(len(t) <= MAX_SECTION_CHARS for t in sections)
    assert "".join(sections).replace(" ", "").replace("\n", "") == reply.replace(" ", "").replace(
        "\n", ""
    )
    assert all(len(m["text"]) <= 300 for m in messages)


def test_a_cut_without_spaces_never_splits_an_escape() -> None:
    messages = build_reply_messages(CoachingResult(reply="ab&" * 3000))

    sections = [t for m in messages for t in texts(m["blocks"])]
    assert len(sections) > 1
    assert all(re.fullmatch(r"(?:[^&]|&amp;)*", t) for t in sections)
    assert "".join(sections) == "ab&amp;" * 3000


def test_commitment_text_and_buttons_stay_in_one_message() -> None:
    result = CoachingResult(
        reply="x " * 1400 * 48,
        commitments=[commitment(n, CommitmentStatus.SUGGESTED) for n in range(1, 8)],
    )

    messages = build_reply_messages(result)

    for message in messages:
        blocks = message["blocks"]
        for index, block in enumerate(blocks):
            if block["type"] == "actions":
                assert index > 0
                assert blocks[index - 1]["type"] == "section"


def test_reply_lists_scorecard_findings_and_buttons_by_status() -> None:
    result = CoachingResult(
        reply="Ask for the meeting.",
        findings=[
            Finding(code="p3.not_requested", severity=Severity.HIGH, evidence="e", advice="a")
        ],
        scorecard=[ScorecardEntry(criterion="p3_requested", passed=False, evidence="", advice="")],
        commitments=[commitment(1, CommitmentStatus.SUGGESTED), commitment(2)],
    )

    [message] = build_reply_messages(result)

    shown = texts(message["blocks"])
    assert any(":x: p3 requested" in t for t in shown)
    assert any("p3.not_requested" in t for t in shown)
    actions = [
        [e["action_id"] for e in b["elements"]] for b in message["blocks"] if b["type"] == "actions"
    ]
    assert actions == [
        ["commitment_accept", "commitment_dismiss"],
        ["commitment_done", "commitment_snooze", "commitment_cancel"],
    ]


def test_commitments_list_flags_overdue_ones() -> None:
    [message] = build_commitments_messages([commitment(1), commitment(9)], TODAY)

    shown = texts(message["blocks"])
    assert sum("overdue" in t for t in shown) == 1


def test_home_view_stays_within_slacks_block_limit() -> None:
    many = [commitment(n) for n in range(1, 80)]
    trend = [2.5, 3.0, 3.4]
    review = [ScorecardEntry(criterion="customer_is_hero", passed=True, evidence="", advice="")]

    view = build_home_view(
        HomeData(commitments=many, today=TODAY, trust_trend=trend, last_review=review)
    )

    assert view["type"] == "home"
    assert len(view["blocks"]) <= MAX_HOME_BLOCKS
    shown = texts(view["blocks"])
    assert any("2.5 → 3 → 3.4" in t for t in shown)
    assert any("1 of 1 criteria met" in t for t in shown)
    assert any("more: type `/commitments`" in t for t in shown)


def test_resolving_replaces_only_the_clicked_commitment() -> None:
    [message] = build_reply_messages(
        CoachingResult(reply="r", commitments=[commitment(1), commitment(2)])
    )
    done = commitment(1, CommitmentStatus.DONE)

    blocks = build_resolved_blocks(message["blocks"], done)

    assert [b.get("block_id") for b in blocks if b["type"] == "actions"] == ["commitment-2"]
    assert any("done: Send deck 1" in t for t in texts(blocks))


def test_commitment_text_is_escaped_exactly_once() -> None:
    risky = commitment(1, CommitmentStatus.DONE, text="Send the P&L to <@U0CFO>")

    notice = build_status_notice(risky)
    [message] = build_reply_messages(CoachingResult(reply="r", commitments=[commitment(1)]))
    resolved = build_resolved_blocks(message["blocks"], risky)

    for shown in (texts(notice["blocks"]), texts(resolved)):
        assert any("P&amp;L to &lt;@U0CFO&gt;" in t for t in shown)
        assert not any("&amp;amp;" in t or "<@" in t for t in shown)


def test_trust_modal_and_report_stay_within_slack_limits() -> None:
    modal = build_trust_modal()
    assert len(modal["title"]["text"]) <= 24  # https://api.slack.com/reference/surfaces/views
    assert len(modal["blocks"]) <= MAX_HOME_BLOCKS
    assert len({b["block_id"] for b in modal["blocks"] if b["type"] == "input"}) == 12

    at = datetime(2026, 11, 18, 8, tzinfo=UTC)
    answers = (4,) * 12
    first = build_report(Assessment(at=at, scores=score_answers(answers), answers=answers), [])
    message = build_trust_report_blocks(first)
    assert message["text"] == f"Your trust score: {first.scores.trust:g}"
    assert all(b["type"] != "context" for b in message["blocks"])  # no trend yet
