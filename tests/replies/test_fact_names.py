"""Words that name where the rep is or what we sell never become the customer or a person.

"The proposal to Brazil is out" tells the rep the coach did not read their message; no name
at all reads better than a wrong one.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from coaching.replies.facts import read_facts

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.mark.parametrize(
    "text",
    [
        "Update from Brazil: the proposal went out Monday and their CFO decides on Dec 15.",
        "Greetings from Munich! Quick one: the pilot is live and logins are up.",
        "Hi from Lisbon. Happy Monday! Can you look at my Nordics pipeline?",
        "News from the EMEA team: our Enterprise tier is what they asked for.",
    ],
)
def test_places_greetings_and_products_are_nobody(text: str) -> None:
    facts = read_facts(text, NOW)
    named = {facts.company, facts.contact}
    assert named.isdisjoint({"Brazil", "Munich", "Lisbon", "Nordics", "EMEA", "Enterprise"})
    assert named.isdisjoint({"Greetings", "Hi", "Happy", "Update", "News"})


def test_the_customer_is_still_found_next_to_a_place() -> None:
    facts = read_facts(
        "Morning from Berlin. Tomas at Velden Bank said he'll loop in the CFO by Friday.", NOW
    )
    assert facts.company == "Velden Bank"
    assert facts.contact == "Tomas"


def test_a_customer_the_rep_calls_one_is_the_company() -> None:
    facts = read_facts(
        "Update from Brazil: the customer Ferrovia Central asked for a workshop.", NOW
    )
    assert facts.company == "Ferrovia Central"
