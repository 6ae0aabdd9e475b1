"""A Slack-only web worker in a process of its own, reporting which libraries it loaded.

Run by `test_lean_worker` as `python -m tests.slack.lean_worker DATABASE_URL`: it loads
`bot.cli` (the `coach` entry point, as `coach serve` does), serves `build_app` on
loopback against the Slack stand-in, answers one signed DM, and prints the sorted names of
the top-level packages in `sys.modules` as JSON. Exit status 1 when the DM got no answer.
"""

from __future__ import annotations

import asyncio
import json
import sys

from aiohttp.test_utils import TestClient, TestServer

import bot.cli
from bot.server import build_app
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.harness import P3_TEXT, dm, event_body, sign, slack_settings

ANSWER_POLLS = 600
POLL_SECONDS = 0.05


async def answer_one_dm(database_url: str) -> bool:
    """True once the coach has answered one DM (it updates its "thinking" message)."""
    api = await FakeSlackApi().start()
    try:
        app = build_app(slack_settings(database_url, api))
        async with TestClient(TestServer(app)) as client:
            body = json.dumps(event_body(dm(P3_TEXT), "Ev-lean-1")).encode()
            headers = {"Content-Type": "application/json", **sign(body)}
            response = await client.post("/slack/events", data=body, headers=headers)
            if response.status != 200:
                return False
            for _ in range(ANSWER_POLLS):
                if api.calls_to("chat.update"):
                    return True
                await asyncio.sleep(POLL_SECONDS)
            return False
    finally:
        await api.stop()


def main(argv: list[str]) -> int:
    assert bot.cli.app is not None  # the whole command line is loaded, as in `coach serve`
    answered = asyncio.run(answer_one_dm(argv[0]))
    print(json.dumps(sorted({name.partition(".")[0] for name in sys.modules})))
    return 0 if answered else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
