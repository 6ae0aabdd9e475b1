"""A Slack-only `coach serve` holds only what Slack needs (issue 17).

Every library a deployment does not use costs each web worker memory for its whole life,
so the Teams SDK, the job queue client and the upload parsers must not be loaded by a
worker configured for Slack alone that has answered a DM. The worker runs in its own
process (`tests.slack.lean_worker`) with no environment but its path, so nothing this
test process imported, and nothing from the developer's shell, can hide or add a module.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storage.migrate import upgrade_to_head

REPO = Path(__file__).resolve().parents[2]
# The Microsoft 365 Agents SDK, saq and its Redis client, pypdf, python-docx.
NOT_FOR_SLACK_ALONE = {"microsoft_agents", "msal", "saq", "redis", "pypdf", "docx"}


def test_a_slack_only_worker_that_answered_a_dm_loaded_no_teams_queue_or_parser(
    tmp_path: Path,
) -> None:
    database_url = f"sqlite:///{tmp_path / 'coach.db'}"
    upgrade_to_head(database_url)  # migrated, as a deployment's `coach db upgrade` leaves it
    finished = subprocess.run(
        [sys.executable, "-m", "tests.slack.lean_worker", database_url],
        cwd=tmp_path,
        env={"PYTHONPATH": str(REPO), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    loaded = set(json.loads(finished.stdout))
    assert "slack_bolt" in loaded
    assert loaded.isdisjoint(NOT_FOR_SLACK_ALONE), sorted(loaded & NOT_FOR_SLACK_ALONE)
