"""`coach feedback` and `coach feedback export` through the real command: admins only,
and the export replays with `python -m bench.evaluate --cases FILE`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coaching.feedback.ports import Verdict
from coaching.feedback.service import FeedbackService
from coaching.ports import UserRef
from coaching.types import Platform, Role
from storage.feedback_repo import SqlFeedback
from storage.repository import open_store
from tests.storage.factories import NOW, message, result
from tests.test_cli import count_rows, run_coach

REP = UserRef(platform=Platform.SLACK, tenant="T1", user="U-rep")
ADMIN = UserRef(platform=Platform.SLACK, tenant="T1", user="U-admin")
LIKED = "I sent the proposal to Acme on Monday and will just wait for their decision."
DISLIKED = "Lena asked for the pricing sheet; I'll send it over tomorrow."
AS_ADMIN = ("--platform", "slack", "--tenant", "T1", "--user", "U-admin")


@pytest.fixture
async def db_path(tmp_path: Path) -> Path:
    """A Slack workspace with an admin and a rep who liked one answer and disliked another."""
    db = tmp_path / "coach.db"
    store = await open_store(f"sqlite:///{db}", migrate=True)
    try:
        admin = message("hello", who=ADMIN, key="Ev-admin", role=Role.ADMIN, name="Ada")
        await store.save_turn(message=admin, result=result())
        await store.save_turn(message=message(LIKED, who=REP, key="Ev1"), result=result())
        plain = result(reply="Send it.", commitments=[]).model_copy(update={"findings": []})
        await store.save_turn(message=message(DISLIKED, who=REP, key="Ev2"), result=plain)
        feedback = FeedbackService(SqlFeedback(store.engine))
        await feedback.rate(REP, "Ev1", Verdict.UP, at=NOW)
        await feedback.rate(REP, "Ev2", Verdict.DOWN, at=NOW, comment="Say when tomorrow is")
    finally:
        await store.close()
    return db


def test_an_admin_lists_the_ratings(db_path: Path) -> None:
    done = run_coach("feedback", *AS_ADMIN, "--json", db=db_path)

    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)["feedback"]
    assert sorted(item["verdict"] for item in listed) == ["down", "up"]
    [down] = [item for item in listed if item["verdict"] == "down"]
    assert down["comment"] == "Say when tomorrow is"
    assert LIKED not in done.stdout  # the list never shows what reps wrote

    text = run_coach("feedback", *AS_ADMIN, "--since", "2026-03-10", db=db_path)
    assert text.returncode == 0
    assert "p3.not_requested" in text.stdout
    later = run_coach("feedback", *AS_ADMIN, "--since", "2026-04-01", db=db_path)
    assert later.stdout.strip() == "No ratings for that period."


def test_a_rep_may_not_read_or_export_ratings(db_path: Path, tmp_path: Path) -> None:
    as_rep = ("--platform", "slack", "--tenant", "T1", "--user", "U-rep")
    listed = run_coach("feedback", *as_rep, "--json", db=db_path)
    out = tmp_path / "cases.jsonl"
    exported = run_coach("feedback", "export", str(out), *as_rep, db=db_path)

    assert listed.returncode == exported.returncode == 2
    assert json.loads(listed.stdout)["error"]["code"] == "auth.forbidden"
    assert len(exported.stderr.strip().splitlines()) == 1
    assert "Traceback" not in exported.stderr
    assert not out.exists()


def test_bad_input_is_one_friendly_line(db_path: Path, tmp_path: Path) -> None:
    before = count_rows(db_path, "feedback")
    bad_day = run_coach("feedback", *AS_ADMIN, "--since", "last week", db=db_path)
    no_folder = run_coach(
        "feedback", "export", str(tmp_path / "missing" / "cases.jsonl"), *AS_ADMIN, db=db_path
    )

    for done in (bad_day, no_folder):
        assert done.returncode == 2
        assert len(done.stderr.strip().splitlines()) == 1
        assert done.stderr.startswith("coach: ")
    assert count_rows(db_path, "feedback") == before


def test_the_export_replays_as_evaluation_cases(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "cases.jsonl"
    done = run_coach("feedback", "export", str(out), *AS_ADMIN, db=db_path)

    assert done.returncode == 0, done.stderr
    cases = [json.loads(line) for line in out.read_text().splitlines()]
    by_verdict = {case["verdict"]: case for case in cases}
    assert by_verdict["up"]["text"] == LIKED
    assert by_verdict["up"]["codes"] == ["p3.not_requested", "creepy.never"]
    assert by_verdict["down"]["comment"] == "Say when tomorrow is"

    # The liked answer's stored codes were made up for the test; keep the real one only.
    by_verdict["up"]["must"] = ["p3.not_requested"]
    out.write_text("".join(json.dumps(case) + "\n" for case in cases))
    env = dict(os.environ)
    replay = subprocess.run(
        [sys.executable, "-m", "bench.evaluate", "--cases", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert "finding-code recall: 1/1" in replay.stdout
    assert "disliked feedback-" in replay.stdout
    assert "Say when tomorrow is" in replay.stdout
