"""The reply properties through the Slack stand-in: a DM in, the answer's blocks out."""

from __future__ import annotations

import pytest

from tests.replies.properties import CASES, ReplyCase, check
from tests.slack.harness import SlackHarness, block_texts, dm


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_the_slack_answer_has_the_property(case: ReplyCase, slack: SlackHarness) -> None:
    await slack.event(dm(case.text))
    await slack.drain()
    [answer] = slack.api.calls_to("chat.update")
    check(case, "\n".join(block_texts(answer.params)).replace("\u2019", "'"))
