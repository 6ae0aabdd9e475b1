"""The review names only people the text names as people.

A title next to a company name ("COO Northwind") is not a person, and the suggested request
must not invent one: it asks for "their COO" instead, and keeps real names ("CFO Priya
Shah", "Dana Ruiz (CFO)") when the rep wrote them.
"""

from __future__ import annotations

import pytest

from coaching.review.service import build_hero_outline, decision_maker
from storage.repository import SqlStore
from tests.review.test_review_service import message, reviewer


@pytest.mark.parametrize(
    "text",
    [
        "Proposal for Northwind\nThe COO Northwind wants onboarding in days, not weeks.",
        "Northwind proposal\nOur contact says COO Northwind decides after the demo.",
        "Proposal for Kestrel\nMeet CEO Kestrel Foods at the board session.",
        "Proposal for Alder\nThe CFO, Alder, has the budget.",
    ],
)
def test_a_title_next_to_a_company_is_not_a_person(text: str) -> None:
    audience, _ = decision_maker(text)
    assert audience.startswith("their "), audience
    assert "Northwind" not in audience
    assert "Kestrel" not in audience
    assert "Alder" not in audience


def test_a_title_in_the_heading_is_not_part_of_the_customers_name() -> None:
    text = "Proposal to COO Northwind\n1. Pricing\n2. Implementation phases"
    outline = " ".join(build_hero_outline(text))
    assert "COO Northwind" not in outline
    assert "what is hard for Northwind today" in outline
    assert decision_maker(text)[0] == "their COO"


@pytest.mark.parametrize(
    ("text", "audience"),
    [
        ("Proposal for Kestrel\nCFO Priya Shah gives the final yes.", "CFO Priya Shah"),
        ("Proposal for Kestrel\nDana Ruiz (CFO) decides in March.", "CFO Dana Ruiz"),
        ("Proposal for Kestrel\nCFO Dana decides; Dana said March works.", "CFO Dana"),
    ],
)
def test_a_person_the_text_names_is_kept(text: str, audience: str) -> None:
    assert decision_maker(text)[0] == audience


async def test_the_suggested_request_asks_for_their_coo(store: SqlStore) -> None:
    text = (
        "Proposal for Northwind\n1. The COO Northwind wants faster onboarding\n"
        "2. Implementation methodology in five phases"
    )
    outcome = await reviewer(store).review(message(text), title="northwind.md")
    (request,) = [c for c in outcome.result.commitments if c.kind.value == "p3_request"]
    assert "with their COO" in request.text
    assert "COO Northwind" not in outcome.result.reply
    assert request.counterpart != "COO Northwind"
