"""`make bench`: every benchmark, each reported against a baseline measured in the same run.

The report is printed and also written to bench/RESULTS.md with the command and the machine,
so a change in speed shows up as a diff.
"""

from __future__ import annotations

import contextlib
import io
import os
import platform
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bench import (
    call_review,
    cli_start,
    crm_sync,
    digests,
    full_turn,
    memory,
    model_load,
    offline,
    review,
    slack_ack,
    slack_burst,
    teams_burst,
)

BENCHMARKS: tuple[tuple[str, Callable[[], bool]], ...] = (
    ("Offline coaching", offline.run),
    ("A full coaching turn (limits, engine, store)", full_turn.run),
    ("Loading the situation model", model_load.run),
    ("Proposal review of a 20-page .docx", review.run),
    ("Slack acknowledgement latency", slack_ack.run),
    ("Slack under a burst of 300 DMs, inline and with the job queue", slack_burst.run),
    ("Teams under 100 concurrent messages", teams_burst.run),
    ("Weekly digests at scale", digests.run),
    ("Review of a 60-minute call transcript", call_review.run),
    ("HubSpot and Salesforce sync of 10,000 deals each", crm_sync.run),
    ("Memory of one web worker", memory.run),
    ("Start-up of coach --help", cli_start.run),
)
RESULTS = Path(__file__).with_name("RESULTS.md")


class _Tee(io.StringIO):
    """Keeps everything written to it and passes it on to the real output."""

    def __init__(self, out: TextIO) -> None:
        super().__init__()
        self._out = out

    def write(self, text: str) -> int:
        self._out.write(text)
        self._out.flush()
        return super().write(text)


def main() -> int:
    captured = _Tee(sys.stdout)
    ok = True
    with contextlib.redirect_stdout(captured):
        for title, run in BENCHMARKS:
            print(f"\n## {title}\n")
            ok = run() and ok
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    RESULTS.write_text(
        "# Benchmark results\n\n"
        f"Command: `make bench` ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)  \n"
        f"Machine: {machine}\n\n```\n{captured.getvalue().strip()}\n```\n",
        encoding="utf-8",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
