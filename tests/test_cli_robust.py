"""Careless input to the real `coach` command (issue 12): one friendly line, exit status 2,
nothing stored; or, for text a person meant, coaching as usual."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storage.db import normalise_url
from tests.test_cli import COACH, count_rows, run_coach

PROMISE = "I'll send Lena the revised pricing tomorrow"


def run_bytes(*args: str, stdin: bytes, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`coach` fed raw bytes, as a pipe from a Windows-1252 export feeds it."""
    clean = dict(os.environ)
    done = subprocess.run(
        [COACH, *args],
        input=stdin,
        capture_output=True,
        env={**clean, **env},
        timeout=60,
        check=False,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


def one_line(done: subprocess.CompletedProcess[str]) -> bool:
    return done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1


def stored(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(normalise_url(url)[1])
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def test_windows_1252_stdin_is_coached_and_a_piped_chat_goes_on(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'coach.db'}"
    limit = {"COACH_RATE_LIMIT_PER_MINUTE": "4"}
    asked = run_bytes(
        "ask",
        "-",
        "--json",
        "--db",
        db,
        stdin="Caf\xe9 Lena: ".encode("cp1252") + PROMISE.encode(),
        env=limit,
    )
    chat = run_bytes(
        "chat", "--json", "--db", db, stdin=b"Jos\xe9 at Acme\n\xff\xfe broken\nhello\n", env=limit
    )

    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["commitments"][0]["counterpart"] == "Lena"
    assert chat.returncode == 0, chat.stderr
    answers = [json.loads(line) for line in chat.stdout.splitlines()]
    assert len(answers) == 3
    assert not [a for a in answers if "error" in a]
    saved = {str(t) for (t,) in stored(db, "SELECT text FROM conversation_turns")}
    assert {"Café Lena: " + PROMISE, "José at Acme"} <= saved


def test_coach_timezone_is_the_clock_of_ask_and_an_unknown_one_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    # 02:00 UTC on the 19th is still the evening of the 18th in Los Angeles.
    west = {"COACH_TIMEZONE": "America/Los_Angeles", "TZ": "UTC"}
    done = run_coach("ask", PROMISE, "--now", "2026-11-19T02:00+00:00", "--json", db=db, env=west)
    bad = run_coach("ask", PROMISE, "--json", db=db, env={"COACH_TIMEZONE": "Mars/Olympus"})

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["commitments"][0]["due"] == "2026-11-19"
    assert one_line(bad)
    assert json.loads(bad.stdout)["error"]["code"] == "config.invalid"
    assert "COACH_TIMEZONE" in bad.stderr
    assert count_rows(db, "conversation_turns") == 2


@pytest.mark.parametrize(
    ("variable", "value"),
    [("COACH_PORT", "web"), ("COACH_MEMORY_TURNS", "-1"), ("COACH_REDACT_PATTERNS", "[")],
)
def test_an_invalid_setting_is_one_line_naming_it(
    tmp_path: Path, variable: str, value: str
) -> None:
    (tmp_path / ".env").write_text(f"{variable}={value}\n")

    done = run_coach("ask", "hello", "--json", db=tmp_path / "coach.db")

    assert one_line(done)
    assert json.loads(done.stdout)["error"]["code"] == "config.invalid"
    assert variable in done.stderr
    assert not (tmp_path / "coach.db").exists()


def test_serve_on_a_taken_or_impossible_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        busy = run_coach("serve", "--port", port, db=tmp_path / "coach.db")
    too_big = run_coach("serve", "--port", "70000", db=tmp_path / "coach.db")

    assert busy.returncode == 2
    assert (
        busy.stderr.strip()
        .splitlines()[-1]
        .endswith("already in use; stop the other server or pass --port.")
    )
    assert "Traceback" not in busy.stderr
    assert one_line(too_big)


def test_teams_manifest_to_a_folder_or_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    site = ("--website", "https://coach.example.com")
    folder = run_coach("teams", "manifest", *site, "--out", str(tmp_path))
    missing = run_coach("teams", "manifest", *site, "--out", str(tmp_path / "no" / "app.zip"))

    assert one_line(folder)
    assert "is a folder" in folder.stderr
    assert one_line(missing)
    assert not (tmp_path / "no").exists()


def test_twenty_digit_numbers_are_one_line(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    huge = "9" * 20
    done = run_coach("commitments", "done", huge, "--user", "ana", "--json", db=db)
    outbox = run_coach("outbox", "--limit", huge, "--user", "ana", db=db)

    assert one_line(done)
    assert json.loads(done.stdout)["error"]["code"] == "input.usage"
    assert one_line(outbox)


def test_a_mistyped_sqlite_path_creates_nothing(tmp_path: Path) -> None:
    done = run_coach("ask", "hello", "--json", "--db", f"sqlite:///{tmp_path}/typo/coach.db")

    assert one_line(done)
    assert json.loads(done.stdout)["error"]["code"] == "store.unavailable"
    assert "no folder" in done.stderr
    assert not (tmp_path / "typo").exists()


def test_nul_bytes_are_dropped_and_long_user_ids_refused(database_url: str) -> None:
    said = run_coach("ask", "-", "--json", "--db", database_url, stdin=f"Hi\x00 {PROMISE}\x00")
    long_id = run_coach("ask", PROMISE, "--user", "u" * 256, "--json", "--db", database_url)

    assert said.returncode == 0, said.stderr
    assert stored(database_url, "SELECT text FROM conversation_turns WHERE speaker = 'user'") == [
        (f"Hi {PROMISE}",)
    ]
    assert one_line(long_id)
    assert json.loads(long_id.stdout)["error"]["code"] == "input.bad_user"
    assert stored(database_url, "SELECT count(*) FROM users") == [(1,)]
