"""`coach nudges preview|run|schedule` and `coach outbox`, as a manager and a scheduler run them."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from pathlib import Path

import pytest

from storage.repository import open_store
from tests.nudges.scenario import ACTIVITY_DETAIL, HEALTH_DETAIL, NOW, REPS, WEEK, seed_s27
from tests.test_cli import COACH, count_rows, run_coach


async def _seed(db: Path) -> None:
    store = await open_store(f"sqlite:///{db}", migrate=True)
    try:
        await seed_s27(store)
    finally:
        await store.close()


@pytest.fixture
def s27(tmp_path: Path) -> Path:
    db = tmp_path / "coach.db"
    asyncio.run(_seed(db))
    return db


def test_s27_preview_for_week_10(s27: Path) -> None:
    done = run_coach("nudges", "preview", "--manager", "M1", "--json", "--now", NOW, db=s27)

    assert done.returncode == 0, done.stderr
    digest = json.loads(done.stdout)
    assert digest["iso_week"] == WEEK
    sections = {s["rep"]: s for s in digest["reps"]}
    assert list(sections) == list(REPS)
    codes = {rep: {item["code"] for item in s["items"]} for rep, s in sections.items()}
    assert {"trust.reliability", "p3.not_requested"} <= codes["ana"]
    assert sections["ana"]["overdue"][0]["days_late"] == 3
    assert {"decay.stale", "funnel.activity_metrics"} <= codes["ben"]
    assert "recognition" in codes["cara"]
    assert {"revenue.unbalanced", "creepy.never"} <= codes["dana"]
    creepy = next(g for g in sections["dana"]["trust_gaps"] if g["code"] == "creepy.never")
    assert creepy["count"] == 1
    assert all(item["question"] for s in digest["reps"] for item in s["items"])
    for private in (HEALTH_DETAIL, "health", ACTIVITY_DETAIL, "zed"):
        assert private not in done.stdout.lower()


def test_s27_text_preview_names_the_questions(s27: Path) -> None:
    done = run_coach("nudges", "preview", "--manager", "M1", "--now", NOW, db=s27)
    assert done.returncode == 0, done.stderr
    assert "== Ana ==" in done.stdout
    assert "Ask in your 1:1:" in done.stdout
    assert "chemotherapy" not in done.stdout


def test_s27_run_twice_sends_one_digest_per_manager(s27: Path) -> None:
    first = run_coach("nudges", "run", "--json", "--now", NOW, db=s27)
    second = run_coach("nudges", "run", "--json", "--now", NOW, db=s27)
    outbox = run_coach("outbox", "--user", "M1", "--json", db=s27)

    assert first.returncode == 0, first.stderr
    sent = json.loads(first.stdout)
    assert (sent["sent"], sent["skipped"]) == (2, 0)
    assert {d["manager"] for d in sent["digests"]} == {"M1", "M2"}
    assert json.loads(second.stdout) == {"sent": 0, "skipped": 2, "failed": 0, "digests": []}
    assert count_rows(s27, "nudge_deliveries") == 2
    messages = json.loads(outbox.stdout)["messages"]
    assert [m["kind"] for m in messages] == ["digest"]
    assert messages[0]["payload"]["iso_week"] == WEEK


def test_parallel_runs_send_one_digest_per_manager(s27: Path) -> None:
    env = dict(os.environ)
    argv = [COACH, "nudges", "run", "--json", "--now", NOW, "--db", f"sqlite:///{s27}"]
    workers = [
        subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=60) for worker in workers]

    assert all(worker.returncode == 0 for worker in workers), outputs
    assert sum(json.loads(out)["sent"] for out, _ in outputs) == 2
    assert count_rows(s27, "nudge_deliveries") == 2
    assert count_rows(s27, "outbox_messages") == 2


@pytest.mark.parametrize(
    ("user", "manager", "code"),
    [
        ("M2", "M1", "auth.forbidden"),
        ("ana", "M1", "auth.forbidden"),
        ("M1", "ana", "auth.forbidden"),
    ],
)
def test_preview_is_refused_politely_and_logged(
    s27: Path, user: str, manager: str, code: str
) -> None:
    before = count_rows(s27, "audit_log")
    done = run_coach("nudges", "preview", "--manager", manager, "--user", user, "--json", db=s27)

    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == code
    assert len(done.stderr.strip().splitlines()) == 1
    assert count_rows(s27, "audit_log") == before + 1


def test_a_manager_moves_their_digest_to_friday_afternoon(s27: Path) -> None:
    moved = run_coach(
        "nudges", "schedule", "--day", "friday", "--hour", "16", "--user", "M1", db=s27
    )
    bad = run_coach("nudges", "schedule", "--day", "someday", "--json", "--user", "M1", db=s27)
    monday = run_coach("nudges", "run", "--json", "--now", NOW, db=s27)

    assert moved.returncode == 0, moved.stderr
    assert "Fridays at 16:00" in moved.stdout
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["error"]["code"] == "input.bad_schedule"
    assert [d["manager"] for d in json.loads(monday.stdout)["digests"]] == ["M2"]
