"""`coach commitments ...` and `coach reminders run`, driven as a rep drives them."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from coaching.types import CommitmentStatus, Role
from storage.repository import open_store
from tests.nudges.org import Org
from tests.test_cli import run_coach

NOW = ("--now", "2026-03-02T09:00")


async def _seed(db: Path) -> dict[str, int]:
    store = await open_store(f"sqlite:///{db}", migrate=True)
    try:
        org = Org(store)
        await org.people(("maria", Role.MANAGER, None), ("ana", Role.REP, "maria"))
        await org.people(("tom", Role.MANAGER, None), ("ben", Role.REP, "tom"))
        return {
            "late": await org.promise(
                "ana", "send Lena the revised pricing", due=date(2026, 2, 27)
            ),
            "suggested": await org.promise(
                "ana", "ask Acme for a P3", due=date(2026, 3, 4), status=CommitmentStatus.SUGGESTED
            ),
            "tomorrow": await org.promise("ana", "book the review", due=date(2026, 3, 3)),
            "noise": await org.promise(
                "ana", "think about it", due=None, status=CommitmentStatus.SUGGESTED
            ),
            "done": await org.promise("ana", "old", due=None, status=CommitmentStatus.DONE),
            "bens": await org.promise("ben", "ben's promise", due=date(2026, 3, 5)),
        }
    finally:
        await store.close()


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    db = tmp_path / "coach.db"
    return db, asyncio.run(_seed(db))


def statuses(db: Path) -> dict[int, str]:
    with closing(sqlite3.connect(db)) as conn:
        return dict(conn.execute("SELECT id, status FROM commitments").fetchall())


def as_ana(*args: str, db: Path) -> dict[str, object]:
    done = run_coach("commitments", *args, "--json", "--user", "ana", *NOW, db=db)
    assert done.returncode == 0, done.stderr
    parsed: dict[str, object] = json.loads(done.stdout)
    return parsed


def test_list_shows_live_ones_soonest_first_with_overdue_flagged(
    seeded: tuple[Path, dict[str, int]],
) -> None:
    db, ids = seeded

    text = run_coach("commitments", "list", "--user", "ana", *NOW, db=db)
    listed = as_ana("list", db=db)
    everything = as_ana("list", "--all", db=db)

    assert text.returncode == 0, text.stderr
    assert f"#{ids['late']} [open] send Lena the revised pricing" in text.stdout
    assert "overdue by 3 days" in text.stdout
    assert "commitments accept ID" in text.stdout
    items = listed["commitments"]
    assert isinstance(items, list)
    assert [c["id"] for c in items] == [ids[k] for k in ("late", "tomorrow", "suggested", "noise")]
    assert (items[0]["overdue"], items[0]["days_late"]) == (True, 3)
    assert listed["today"] == "2026-03-02"
    assert len(everything["commitments"]) == 5  # type: ignore[arg-type]


def test_the_rep_confirms_edits_and_dismisses_what_was_captured(
    seeded: tuple[Path, dict[str, int]],
) -> None:
    db, ids = seeded
    sid = str(ids["suggested"])

    accepted = as_ana("accept", sid, "--due", "2026-03-05", db=db)["commitment"]
    edited = as_ana("edit", sid, "--due", "2026-03-06", db=db)["commitment"]
    dismissed = as_ana("dismiss", str(ids["noise"]), db=db)["commitment"]

    assert (accepted["status"], accepted["due"]) == ("open", "2026-03-05")  # type: ignore[index]
    assert (edited["status"], edited["due"]) == ("open", "2026-03-06")  # type: ignore[index]
    assert dismissed["status"] == "cancelled"  # type: ignore[index]


def test_done_snooze_cancel(seeded: tuple[Path, dict[str, int]]) -> None:
    db, ids = seeded

    snoozed = as_ana("snooze", str(ids["late"]), db=db)
    text = run_coach("commitments", "done", str(ids["tomorrow"]), "--user", "ana", *NOW, db=db)
    cancelled = as_ana("cancel", str(ids["late"]), db=db)

    assert snoozed["commitment"]["snoozed_until"] == "2026-03-04"  # type: ignore[index]
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith(f"Done: #{ids['tomorrow']}")
    assert "next step" in text.stdout
    assert cancelled["commitment"]["status"] == "cancelled"  # type: ignore[index]
    assert statuses(db)[ids["tomorrow"]] == "done"


@pytest.mark.parametrize("target", ["bens", "unknown"])
def test_someone_elses_or_unknown_id_is_refused_and_nothing_changes(
    seeded: tuple[Path, dict[str, int]], target: str
) -> None:
    db, ids = seeded
    before = statuses(db)
    commitment = str(ids.get(target, 9_999))

    done = run_coach("commitments", "done", commitment, "--json", "--user", "ana", db=db)

    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "commitment.not_found"
    assert done.stderr.startswith(f"coach: You have no commitment #{commitment}")
    assert len(done.stderr.strip().splitlines()) == 1
    assert statuses(db) == before


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("snooze", "{late}", "--until", "soon"), "input.bad_date"),
        (("snooze", "{late}", "--until", "2026-03-01"), "input.bad_date"),
        (("edit", "{late}"), "input.missing_due"),
        (("accept", "{late}"), "commitment.wrong_status"),
        (("dismiss", "{late}"), "commitment.wrong_status"),
        (("done", "{done}"), "commitment.wrong_status"),
    ],
)
def test_bad_input_is_one_clear_line_and_changes_nothing(
    seeded: tuple[Path, dict[str, int]], args: tuple[str, ...], code: str
) -> None:
    db, ids = seeded
    before = statuses(db)
    argv = [arg.format(**ids) for arg in args]

    done = run_coach("commitments", *argv, "--json", "--user", "ana", *NOW, db=db)

    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == code
    assert "Traceback" not in done.stderr
    assert statuses(db) == before


def test_a_manager_reads_a_reps_list_but_another_manager_cannot(
    seeded: tuple[Path, dict[str, int]],
) -> None:
    db, _ = seeded

    mine = run_coach("commitments", "list", "--rep", "ana", "--user", "maria", "--json", db=db)
    theirs = run_coach("commitments", "list", "--rep", "ana", "--user", "tom", "--json", db=db)

    assert mine.returncode == 0, mine.stderr
    assert json.loads(mine.stdout)["user"] == "ana"
    assert theirs.returncode == 2
    assert json.loads(theirs.stdout)["error"]["code"] == "auth.forbidden"


def test_reminders_run_once_per_day_and_land_in_the_outbox(
    seeded: tuple[Path, dict[str, int]],
) -> None:
    db, ids = seeded

    first = run_coach("reminders", "run", "--json", "--now", "2026-03-02T08:00", db=db)
    second = run_coach("reminders", "run", "--json", "--now", "2026-03-02T08:30", db=db)
    outbox = run_coach("outbox", "--user", "ana", db=db)

    assert first.returncode == 0, first.stderr
    sent = json.loads(first.stdout)
    assert sent["sent"] == 1
    assert sent["reminders"][0]["commitment_id"] == ids["tomorrow"]
    assert sent["reminders"][0]["when"] == "day_before"
    assert json.loads(second.stdout)["sent"] == 0
    assert "Due tomorrow: book the review" in outbox.stdout
