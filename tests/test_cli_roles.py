"""Roles, data rights and the audit log through the real `coach` command (issue 12).

A console user is who `--user` says, but a role is not theirs to pick: it must match the
stored one, and only an admin's import or add changes it. Someone else's export or forget
needs an admin, keeps one admin, and is audited with the actor and without names.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.test_cli import count_rows, run_coach

TEAM_CSV = """user,name,role,manager,tz
ada,Ada King,admin,,
maria,Maria Lopez,manager,,America/Chicago
tom,Tom Berg,manager,,Europe/Berlin
ana,Ana Silva,rep,maria,America/Chicago
"""


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A database with an admin (ada), two managers (maria, tom) and ana on maria's team."""
    db = tmp_path / "coach.db"
    csv = tmp_path / "team.csv"
    csv.write_text(TEAM_CSV)
    done = run_coach("team", "import", str(csv), "--user", "ada", "--role", "admin", db=db)
    assert done.returncode == 0, done.stderr
    return db


def _role(db: Path, user: str) -> str | None:
    with closing(sqlite3.connect(db)) as conn:
        row = conn.execute("SELECT role FROM users WHERE platform_user_id = ?", (user,)).fetchone()
    return None if row is None else str(row[0])


def _audit(db: Path) -> list[tuple[str | None, str, str | None, str | None]]:
    """(actor, action, target, details) of every entry, oldest first."""
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "SELECT u.platform_user_id, a.action, a.target, a.details FROM audit_log a "
            "LEFT JOIN users u ON u.id = a.actor_id ORDER BY a.id"
        ).fetchall()


def test_a_rep_cannot_make_themselves_admin_with_role(db_path: Path) -> None:
    claimed = run_coach("ask", "hello", "--user", "ana", "--role", "admin", "--json", db=db_path)
    chat = run_coach("chat", "--user", "ana", "--role", "manager", stdin="hello\n", db=db_path)
    audit = run_coach("audit", "--user", "ana", db=db_path)

    assert claimed.returncode == 2
    assert json.loads(claimed.stdout)["error"]["code"] == "auth.forbidden"
    assert len(claimed.stderr.strip().splitlines()) == 1
    assert chat.returncode == 2
    assert _role(db_path, "ana") == "rep"
    assert count_rows(db_path, "conversation_turns") == 0
    assert audit.returncode == 2
    assert ("ana", "refused.role") in [(a, action) for a, action, _, _ in _audit(db_path)]


def test_a_newcomer_claims_admin_only_while_the_team_has_none(
    db_path: Path, tmp_path: Path
) -> None:
    intruder = run_coach("ask", "hello", "--user", "eve", "--role", "admin", db=db_path)
    manager = run_coach("ask", "hello", "--user", "nina", "--role", "manager", db=db_path)
    first = run_coach("ask", "hello", "--user", "root", "--role", "admin", db=tmp_path / "new.db")

    assert intruder.returncode == 2
    assert "already has an admin" in intruder.stderr
    assert _role(db_path, "eve") is None
    assert manager.returncode == 0, manager.stderr
    assert _role(db_path, "nina") == "manager"
    assert first.returncode == 0, first.stderr
    assert _role(tmp_path / "new.db", "root") == "admin"


def test_export_and_forget_of_someone_else_need_an_admin(db_path: Path) -> None:
    run_coach("ask", "I'll send Dana the quote by Friday.", "--user", "ana", db=db_path)

    by_manager = run_coach("export", "ana", "--user", "maria", "--json", db=db_path)
    by_rep = run_coach("forget", "maria", "--user", "ana", "--json", db=db_path)
    own = run_coach("export", "--user", "ana", db=db_path)

    assert (by_manager.returncode, by_rep.returncode) == (2, 2)
    assert json.loads(by_manager.stdout)["error"]["code"] == "auth.forbidden"
    assert json.loads(by_rep.stdout)["error"]["code"] == "auth.forbidden"
    assert "Dana" not in by_manager.stdout
    assert _role(db_path, "maria") == "manager"
    assert own.returncode == 0, own.stderr
    assert json.loads(own.stdout)["profile"]["platform_user_id"] == "ana"
    refusals = [(a, action) for a, action, _, _ in _audit(db_path) if action.startswith("refused")]
    assert refusals == [("maria", "refused.export"), ("ana", "refused.forget")]


def test_admin_actions_are_audited_with_the_actor_and_forget_keeps_no_names(
    db_path: Path, tmp_path: Path
) -> None:
    csv = tmp_path / "more.csv"
    csv.write_text("user,name,role,manager,tz\nben,Ben Okafor,rep,tom,\n")
    run_coach("team", "import", str(csv), "--user", "ada", db=db_path)
    run_coach("team", "add", "cara", "--manager", "maria", "--user", "ada", db=db_path)
    run_coach("commitments", "list", "--rep", "ana", "--user", "maria", db=db_path)
    exported = run_coach("export", "ana", "--user", "ada", db=db_path)
    forgot = run_coach("forget", "ana", "--user", "ada", db=db_path)

    assert (exported.returncode, forgot.returncode) == (0, 0), forgot.stderr
    entries = _audit(db_path)
    actors = {action: actor for actor, action, _, _ in entries}
    assert actors["team.import"] == "ada"
    assert actors["team.add"] == "ada"
    assert actors["export"] == "ada"
    assert actors["forget"] == "ada"
    assert "ana" not in json.dumps(entries)


def test_the_last_admin_cannot_be_forgotten(db_path: Path) -> None:
    themselves = run_coach("forget", "--user", "ada", "--json", db=db_path)
    in_chat = run_coach("chat", "--user", "ada", stdin="/forget-me\nyes\n", db=db_path)

    assert themselves.returncode == 2
    assert json.loads(themselves.stdout)["error"]["code"] == "privacy.last_admin"
    assert "only admin" in in_chat.stdout
    assert _role(db_path, "ada") == "admin"


def test_a_management_cycle_is_not_imported(db_path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "cycle.csv"
    csv.write_text("user,name,role,manager,tz\nmaria,,manager,tom,\ntom,,manager,maria,\n")

    done = run_coach("team", "import", str(csv), "--user", "ada", "--json", db=db_path)

    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "team.bad_import"
    assert "managing themselves" in done.stderr
    with closing(sqlite3.connect(db_path)) as conn:
        managed = conn.execute("SELECT count(*) FROM users WHERE role = 'manager' AND manager_id")
        assert managed.fetchone()[0] == 0
