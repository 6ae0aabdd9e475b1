"""Resident memory of one web worker, at rest and at its peak under 50 coaching turns.

`coach serve` runs as a child process on a loopback port (Slack on the loopback Web API
stand-in, SQLite in a temporary folder, offline coach). Once `/healthz` answers and the
process has settled, its resident set (VmRSS in /proc) is the figure at rest. One DM is
answered next, and VmRSS after it is the figure once warm: what a first turn loads once
(the situation model, above all) counts there, not as growth under load. Then the
kernel's peak counter is reset (`clear_refs` 5) and 50 signed Slack DM events go out at
once; when all 50 answers have reached the stand-in, VmHWM is the peak while answering
(https://docs.kernel.org/filesystems/proc.html: VmHWM, and clear_refs 5 resetting it).
The kernel tracks that peak itself, so no sampling can miss it.

The coach is measured on a database already at the newest schema, as a deployment's
`coach db upgrade` step (docker-compose's `migrate` service) leaves it and as every restart
finds it; a worker that migrates on its first start also loads Alembic for the upgrade,
which the "first start" row shows.

The baseline, in the same run and the same way: a bare Bolt `AsyncApp` no-op app served by
aiohttp (`bench.bare_bolt`) in its own process, receiving the same 50 events. The stand-in
and the sender live in this process, so only the server is in the measured one.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import tempfile
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path

from aiohttp import ClientError, ClientSession

from bench.processes import running
from storage.migrate import upgrade_to_head
from tests.fakes.slack_api import BOT_TOKEN, FakeSlackApi
from tests.slack.harness import P3_TEXT, SIGNING_SECRET, dm, event_body, sign

CONCURRENCY = 50
# Issue 17: at rest, and growth under the DMs, each within twice the bare Bolt app's.
GOAL_RATIO = 2.0
SETTLE_SECONDS = 2.0
START_TIMEOUT_SECONDS = 60.0
ANSWER_TIMEOUT_SECONDS = 120.0
POLL_SECONDS = 0.05
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Footprint:
    """One server's resident memory in KiB, as /proc reports it."""

    at_rest: int
    warm: int
    peak: int

    @property
    def growth(self) -> int:
        return self.peak - self.at_rest

    @property
    def burst_growth(self) -> int:
        """What the 50 concurrent turns add to a worker that has answered once before."""
        return self.peak - self.warm


def status_kib(pid: int, field: str) -> int:
    """A `kB` line of /proc/PID/status (VmRSS, VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0])
    raise RuntimeError(f"/proc/{pid}/status has no {field}")


def reset_peak(pid: int) -> None:
    """From here on VmHWM is the peak since now, not since the process started."""
    Path(f"/proc/{pid}/clear_refs").write_text("5", encoding="ascii")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


Launch = tuple[list[str], dict[str, str]]


def first_start_launch(port: int, folder: Path, api: FakeSlackApi) -> Launch:
    """`coach serve` from this interpreter's environment, on its own new SQLite file."""
    coach = Path(sys.executable).with_name("coach")
    database = f"sqlite:///{folder / 'coach.db'}"
    command = [str(coach), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", database]
    settings = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api.api_url,
        "COACH_TIMEZONE": "UTC",
        "COACH_LOG_LEVEL": "ERROR",
    }
    return command, settings


def coach_launch(port: int, folder: Path, api: FakeSlackApi) -> Launch:
    """`coach serve` on a SQLite file this process has already migrated."""
    launch = first_start_launch(port, folder, api)
    upgrade_to_head(f"sqlite:///{folder / 'coach.db'}")
    return launch


def bare_launch(port: int, _folder: Path, api: FakeSlackApi) -> Launch:
    """The baseline takes its settings as arguments: Bolt would read SLACK_* itself."""
    module = [sys.executable, "-m", "bench.bare_bolt"]
    return [*module, str(port), api.api_url, BOT_TOKEN, SIGNING_SECRET], {}


@dataclass(frozen=True)
class Server:
    """How to start one kind of server, and how many answers it posts for the 50 DMs."""

    name: str
    launch: Callable[[int, Path, FakeSlackApi], Launch]
    answers: int


BASELINE = Server("bare bolt, no-op", bare_launch, answers=0)
COACH = Server("coach serve", coach_launch, answers=CONCURRENCY)
FIRST_START = Server("  first start", first_start_launch, answers=CONCURRENCY)


def server(launch: Launch, folder: Path) -> AbstractAsyncContextManager[asyncio.subprocess.Process]:
    """The server process, started in `folder`.

    It gets only the settings its launch names, so neither the caller's shell nor a `.env`
    leaks in (there is none in `folder`).
    """
    command, settings = launch
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(folder), "PYTHONPATH": str(REPO)}
    return running(*command, cwd=folder, env=base | settings)


async def wait_until_healthy(
    session: ClientSession, base: str, process: asyncio.subprocess.Process
) -> None:
    """Bounded polling of `/healthz`; a server that died on start ends the benchmark."""
    deadline = asyncio.get_running_loop().time() + START_TIMEOUT_SECONDS
    while asyncio.get_running_loop().time() < deadline:
        if process.returncode is not None:
            raise RuntimeError("the server exited during start-up (see its output above)")
        try:
            async with session.get(f"{base}/healthz") as response:
                if response.status == 200:
                    return
        except ClientError:
            pass
        await asyncio.sleep(POLL_SECONDS)
    raise RuntimeError(f"no answer from {base}/healthz within {START_TIMEOUT_SECONDS:g} s")


async def send_dms(session: ClientSession, base: str, reps: range) -> None:
    """Signed DM events at once, one from each of `reps`; every one must be a 200."""

    async def one(number: int) -> None:
        event = dm(P3_TEXT, user=f"U0REP{number}", channel=f"D0REP{number}")
        body = json.dumps(event_body(event, f"Ev-memory-{number}")).encode()
        headers = {"Content-Type": "application/json", **sign(body)}
        async with session.post(f"{base}/slack/events", data=body, headers=headers) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"a DM event got HTTP {response.status}")

    await asyncio.gather(*(one(number) for number in reps))


async def wait_for_answers(api: FakeSlackApi, expected: int) -> None:
    """Until `expected` DMs have their answer (the coach updates its "thinking" message)."""
    deadline = asyncio.get_running_loop().time() + ANSWER_TIMEOUT_SECONDS
    while len({call.params["channel"] for call in api.calls_to("chat.update")}) < expected:
        if asyncio.get_running_loop().time() > deadline:
            raise RuntimeError(f"fewer than {expected} answers within {ANSWER_TIMEOUT_SECONDS:g} s")
        await asyncio.sleep(POLL_SECONDS)


async def footprint(kind: Server) -> Footprint:
    """One server's memory at rest, once warm, then at its peak while it answers the DMs."""
    api = await FakeSlackApi().start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    try:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            launch = kind.launch(port, folder, api)
            async with ClientSession() as session, server(launch, folder) as process:
                await wait_until_healthy(session, base, process)
                pid = process.pid
                await asyncio.sleep(SETTLE_SECONDS)
                at_rest = status_kib(pid, "VmRSS")
                await send_dms(session, base, range(CONCURRENCY, CONCURRENCY + 1))
                warm_answers = min(kind.answers, 1)
                await wait_for_answers(api, warm_answers)
                await asyncio.sleep(SETTLE_SECONDS)
                warm = status_kib(pid, "VmRSS")
                reset_peak(pid)
                await send_dms(session, base, range(CONCURRENCY))
                await wait_for_answers(api, warm_answers + kind.answers)
                return Footprint(at_rest=at_rest, warm=warm, peak=status_kib(pid, "VmHWM"))
    finally:
        await api.stop()


def mib(kib: int) -> str:
    return f"{kib / 1024:7.1f} MiB"


def run() -> bool:
    """Print the report: MiB for both servers, and the coach's figures as ratios of Bolt's."""
    baseline = asyncio.run(footprint(BASELINE))
    coach = asyncio.run(footprint(COACH))
    first = asyncio.run(footprint(FIRST_START))
    print(
        f"resident memory of one web worker (VmRSS at rest, VmHWM while answering "
        f"{CONCURRENCY} concurrent signed Slack DMs)"
    )
    for kind, figures in ((BASELINE, baseline), (COACH, coach), (FIRST_START, first)):
        print(
            f"  {kind.name:17} at rest {mib(figures.at_rest)}  warm {mib(figures.warm)}  "
            f"peak {mib(figures.peak)}  peak - rest {mib(figures.growth)}  "
            f"peak - warm {mib(figures.burst_growth)}"
        )
    ratios = (
        coach.at_rest / baseline.at_rest,
        coach.peak / baseline.peak,
        coach.growth / max(baseline.growth, 1),
        coach.burst_growth / max(baseline.burst_growth, 1),
    )
    print(
        "  ratio at rest {:.2f}x  peak {:.2f}x  peak - rest {:.1f}x  peak - warm {:.1f}x".format(
            *ratios
        )
    )
    rest_ok, growth_ok = ratios[0] <= GOAL_RATIO, ratios[2] <= GOAL_RATIO
    print(
        f"  goal at rest <= {GOAL_RATIO:g}x: {'met' if rest_ok else 'NOT met'}  "
        f"goal peak - rest <= {GOAL_RATIO:g}x: {'met' if growth_ok else 'NOT met'}"
    )
    first_ratio = first.at_rest / baseline.at_rest
    print(f"  first start (migrates its new database) at rest {first_ratio:.2f}x")
    return True


if __name__ == "__main__":
    sys.exit(0 if run() else 1)
