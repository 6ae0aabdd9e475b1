"""The reply properties through the Teams stand-in: what the card's body says, with the
reasoning behind "Why?" left out, since a rep reads that only on purpose."""

from __future__ import annotations

import pytest

from tests.fakes.teams_connector import FakeConnector
from tests.replies.properties import CASES, ReplyCase, check
from tests.teams.conftest import TeamsServer, activity, card_text


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_the_teams_answer_has_the_property(
    case: ReplyCase, teams: TeamsServer, connector: FakeConnector
) -> None:
    await teams.post(activity(case.text, service_url=connector.service_url))
    [reply] = connector.messages()
    assert reply.card is not None
    check(case, card_text({"body": reply.card["body"]}).replace("\u2019", "'"))
