"""`coach serve` as a process: what reaches its stderr when a large refused request and a
signed but broken one arrive."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from aiohttp import ClientError, ClientSession, ClientTimeout

from tests.fakes.slack_api import BOT_TOKEN, FakeSlackApi
from tests.faults.servers import free_port
from tests.fuzz.signing import signed_headers
from tests.server_log import MAX_LINE_CHARS
from tests.slack.harness import SIGNING_SECRET, dm, event_body

COACH = str(Path(sys.executable).with_name("coach"))
MARKER = "ZEBRA-7741 our discount for Acme is 40 percent"


async def _until_healthy(http: ClientSession, base: str, server: subprocess.Popen[str]) -> None:
    for _ in range(1200):  # a minute: imports are slow on a busy machine
        assert server.poll() is None, "coach serve exited"
        try:
            async with http.get(f"{base}/healthz") as response:
                if response.status == 200:
                    return
        except ClientError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError("coach serve did not start")


async def test_serve_logs_requests_as_short_json_lines_without_bodies(
    tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    port = free_port()
    env = dict(os.environ)
    env.update(
        COACH_DATABASE_URL=f"sqlite:///{tmp_path / 'coach.db'}",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api.api_url,
    )
    # A file, not a pipe: a pipe nobody reads yet would stall a server writing a long line.
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log_file:
        server = subprocess.Popen(
            [COACH, "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
            text=True,
        )
    base = f"http://127.0.0.1:{port}"
    refused = json.dumps(event_body(dm(MARKER * 18_000), "Ev-huge")).encode()
    broken = json.dumps(event_body(dm(MARKER, ts=MARKER), "Ev-broken")).encode()
    try:
        async with ClientSession(timeout=ClientTimeout(total=60)) as http:
            await _until_healthy(http, base, server)
            forged = signed_headers(refused, secret="forged")
            async with http.post(f"{base}/slack/events", data=refused, headers=forged) as first:
                assert first.status == 401
            headers = signed_headers(broken)
            async with http.post(f"{base}/slack/events", data=broken, headers=headers) as second:
                assert second.status == 200
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    stderr = log_path.read_text()

    assert "ZEBRA" not in stderr
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert all(len(line) <= MAX_LINE_CHARS for line in lines)
    entries = [json.loads(line) for line in lines]
    requests = [entry for entry in entries if entry["message"] == "request"]
    posted = [(entry["path"], entry["status"], entry["size"]) for entry in requests[-2:]]
    assert posted == [("/slack/events", 401, len(refused)), ("/slack/events", 200, len(broken))]
    assert len(refused) > 800_000
