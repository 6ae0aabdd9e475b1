"""`coach export`, `coach forget`, `coach retention run` and the console's `/forget-me`,
through the real command line on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.ops.support import count
from tests.test_cli import run_coach

ALICE_SAYS = "I promised Dana at Acme the revised quote by Friday."
BOB_SAYS = "Bob here: the Globex renewal call is on Tuesday."


def _seed(db: Path) -> None:
    assert run_coach("ask", ALICE_SAYS, "--user", "alice", db=db).returncode == 0
    assert run_coach("ask", BOB_SAYS, "--user", "bob", db=db).returncode == 0
    answers = "4,5,3,4,4,3,5,4,3,2,2,3"
    assert run_coach("trust-check", "--answers", answers, "--user", "alice", db=db).returncode == 0


def _user_id(db: Path, user: str) -> int:
    return count(db, "SELECT id FROM users WHERE platform_user_id = ?", user)


def test_export_holds_the_users_data_and_nobody_elses(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    _seed(db)
    done = run_coach("export", "--user", "alice", db=db)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["profile"]["platform_user_id"] == "alice"
    assert any(turn["text"] == ALICE_SAYS for turn in data["conversation_turns"])
    assert len(data["trust_assessments"]) == 1
    assert {"findings", "commitments", "proposal_reviews", "outbox_messages"} <= set(data)
    assert "conversation_references" in data
    assert "audit_log" in data
    assert "Globex" not in done.stdout


def test_export_of_an_unknown_user_fails_politely(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    _seed(db)
    done = run_coach("export", "--user", "carol", "--json", db=db)
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "user.not_found"


def test_forget_removes_only_that_user_and_audits_it(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    _seed(db)
    alice = _user_id(db, "alice")
    done = run_coach("forget", "--user", "alice", "--json", db=db)
    assert done.returncode == 0, done.stderr
    deleted = json.loads(done.stdout)["deleted"]
    assert deleted["users"] == 1
    assert deleted["conversation_turns"] == 2
    assert deleted["trust_assessments"] == 1
    for table in ("conversation_turns", "findings", "commitments", "trust_assessments"):
        assert count(db, f"SELECT count(*) FROM {table} WHERE user_id = ?", alice) == 0
    assert count(db, "SELECT count(*) FROM users WHERE platform_user_id = 'alice'") == 0
    assert count(db, "SELECT count(*) FROM conversation_turns WHERE text = ?", BOB_SAYS) == 1
    assert count(db, "SELECT count(*) FROM usage_counters WHERE subject LIKE '%/alice'") == 0
    assert count(db, "SELECT count(*) FROM usage_counters WHERE subject LIKE '%/bob'") == 1
    audit = count(
        db, "SELECT count(*) FROM audit_log WHERE action = 'forget' AND target = ?", f"user:{alice}"
    )
    assert audit == 1
    assert count(db, "SELECT count(*) FROM audit_log WHERE details LIKE '%Dana%'") == 0


def test_console_forget_me_needs_a_yes(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    _seed(db)
    kept = run_coach("chat", "--user", "alice", stdin="/forget-me\nno\n", db=db)
    assert "Nothing was deleted" in kept.stdout
    assert _user_id(db, "alice") > 0
    gone = run_coach("chat", "--user", "alice", stdin="/forget-me\nyes\n", db=db)
    assert gone.returncode == 0, gone.stderr
    assert "deleted" in gone.stdout
    assert count(db, "SELECT count(*) FROM users WHERE platform_user_id = 'alice'") == 0
    assert count(db, "SELECT count(*) FROM users WHERE platform_user_id = 'bob'") == 1


def test_retention_purges_old_turns_only(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    old = run_coach("ask", ALICE_SAYS, "--user", "alice", "--now", "2020-01-06", db=db)
    assert old.returncode == 0, old.stderr
    assert run_coach("ask", BOB_SAYS, "--user", "bob", db=db).returncode == 0
    done = run_coach("retention", "run", "--json", db=db)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["deleted"]["conversation_turns"] == 2
    assert count(db, "SELECT count(*) FROM conversation_turns WHERE text = ?", ALICE_SAYS) == 0
    assert count(db, "SELECT count(*) FROM conversation_turns WHERE text = ?", BOB_SAYS) == 1


def test_retention_zero_keeps_turns_forever(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    assert run_coach("ask", ALICE_SAYS, "--now", "2020-01-06", db=db).returncode == 0
    done = run_coach("retention", "run", db=db, env={"COACH_RETENTION_DAYS": "0"})
    assert done.returncode == 0, done.stderr
    assert count(db, "SELECT count(*) FROM conversation_turns") == 2
