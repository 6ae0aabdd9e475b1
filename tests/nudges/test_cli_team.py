"""`coach team ...` and `coach demo` as subprocesses: imports, refusals and a re-runnable demo."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.test_cli import count_rows, run_coach

TEAM_CSV = """user,name,role,manager,tz
maria,Maria Lopez,manager,,America/Chicago
ana,Ana Silva,rep,maria,America/Chicago
ben,Ben Okafor,rep,maria,
"""


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "coach.db"


def test_an_admin_imports_a_team_and_a_manager_sees_it(db_path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "team.csv"
    csv.write_text(TEAM_CSV)

    imported = run_coach("team", "import", str(csv), "--user", "ada", "--role", "admin", db=db_path)
    added = run_coach("team", "add", "cara", "--name", "Cara", "--user", "maria", db=db_path)
    mine = run_coach("team", "list", "--user", "maria", "--json", db=db_path)

    assert imported.returncode == 0, imported.stderr
    assert "Imported 3 people: 4 new" in imported.stdout
    assert added.returncode == 0, added.stderr
    team = json.loads(mine.stdout)["team"]
    assert [(m["user"], m["manager"]) for m in team] == [
        ("ana", "maria"),
        ("ben", "maria"),
        ("cara", "maria"),
    ]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("user,name\nana,Ana\n", "missing role"),
        ("user,name,role,manager,tz\nana,Ana,rep,ghost,\n", "Line 2: manager ghost"),
        ("user,name,role,manager,tz\nana,Ana,rep,,\nana,Ana,rep,,\n", "Line 3: ana appears twice"),
        ("user,role,email\nana,rep,Ana Silva\n", "Line 2: 'Ana Silva' is not an email address"),
    ],
)
def test_a_bad_team_file_is_rejected_whole(
    db_path: Path, tmp_path: Path, content: str, fragment: str
) -> None:
    csv = tmp_path / "team.csv"
    csv.write_text(content)
    run_coach("db", "upgrade", db=db_path)

    done = run_coach(
        "team", "import", str(csv), "--user", "ada", "--role", "admin", "--json", db=db_path
    )

    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "team.bad_import"
    assert fragment in done.stderr
    assert count_rows(db_path, "users") == 0


def test_reps_cannot_build_teams_and_the_refusal_is_logged(db_path: Path) -> None:
    run_coach("team", "add", "ana", "--user", "maria", "--role", "manager", db=db_path)

    done = run_coach("team", "add", "ben", "--user", "ana", "--json", db=db_path)

    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "auth.forbidden"
    assert count_rows(db_path, "users") == 2
    assert count_rows(db_path, "audit_log") == 2


def test_missing_file_and_unknown_zone_are_clear_errors(db_path: Path, tmp_path: Path) -> None:
    missing = run_coach("team", "import", str(tmp_path / "nope.csv"), "--json", db=db_path)
    bad_zone = run_coach(
        "team",
        "add",
        "ana",
        "--tz",
        "Mars/Olympus",
        "--user",
        "maria",
        "--role",
        "manager",
        "--json",
        db=db_path,
    )

    assert json.loads(missing.stdout)["error"]["code"] == "input.unreadable_file"
    assert json.loads(bad_zone.stdout)["error"]["code"] == "input.bad_timezone"
    assert "Traceback" not in missing.stderr + bad_zone.stderr


def test_demo_shows_reminders_and_a_digest_and_can_run_twice(db_path: Path) -> None:
    first = run_coach("demo", "--now", "2026-03-02T09:00", db=db_path)
    counts = {t: count_rows(db_path, t) for t in ("users", "commitments", "deals", "findings")}
    second = run_coach("demo", "--now", "2026-03-02T09:00", "--json", db=db_path)

    assert first.returncode == 0, first.stderr
    assert "Reminder to ana" in first.stdout
    assert "Weekly digest for Maria Lopez, 2026-W10" in first.stdout
    assert counts == {"users": 9, "commitments": 15, "deals": 10, "findings": 6}
    assert second.returncode == 0, second.stderr
    again = json.loads(second.stdout)
    assert set(again["created"].values()) == {0}
    assert again["reminders"] == []
    assert {t: count_rows(db_path, t) for t in counts} == counts
    with closing(sqlite3.connect(db_path)) as conn:
        statuses = {row for (row,) in conn.execute("SELECT DISTINCT status FROM commitments")}
    assert statuses == {"suggested", "open", "done", "snoozed", "cancelled"}
