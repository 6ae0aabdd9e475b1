"""Rendered prompts are compared with stored snapshots, so every prompt change is a diff.

After an intended change, regenerate with `COACH_TEST_UPDATE_SNAPSHOTS=1 make test` and review
the diff of tests/snapshots/ like any other code change.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coaching.engine import OfflineEngine
from coaching.llm import render_messages
from coaching.playbooks.base import Context
from coaching.ports import Turn
from coaching.types import IncomingMessage, MessageKind, Platform, Role

SNAPSHOTS = Path(__file__).with_name("snapshots")
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
CASES = {
    "chat_p3": (
        "The Northwind proposal is done and I'm emailing it to Priya on Thursday. "
        "Call me on +1 312 555 0187 or write to rep@example.com.",
        MessageKind.CHAT,
        Role.REP,
    ),
    "review_outline": (
        "Final presentation outline\n1. Who we are: founded 1998, 14 offices\n"
        "2. Our platform architecture\n3. Pricing",
        MessageKind.REVIEW,
        Role.REP,
    ),
    "manager_question": (
        "Dana closed at 104% of quota, all of it on our legacy line and zero Platform deals.",
        MessageKind.CHAT,
        Role.MANAGER,
    ),
}


def render(name: str) -> str:
    text, kind, role = CASES[name]
    message = IncomingMessage(
        platform=Platform.CONSOLE, tenant="t", user="u", text=text, now=NOW, kind=kind, role=role
    )
    offline = OfflineEngine().coach(Context(text=text, now=NOW, role=role, kind=kind))
    memory = [Turn(speaker="user", text="Earlier: the deal is with Northwind.", at=NOW)]
    system, user = render_messages(
        message=message, offline=offline, memory=memory, boundary="5f0c9a1e2b7d4386"
    )
    return f"=== system ===\n{system}\n=== user ===\n{user}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendered_prompt_matches_snapshot(name: str) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    rendered = render(name)
    if os.environ.get("COACH_TEST_UPDATE_SNAPSHOTS"):
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"no snapshot: run with COACH_TEST_UPDATE_SNAPSHOTS=1 to create {path}"
    assert rendered == path.read_text(encoding="utf-8")


def test_prompts_redact_contact_details() -> None:
    rendered = render("chat_p3")
    assert "rep@example.com" not in rendered
    assert "555 0187" not in rendered
