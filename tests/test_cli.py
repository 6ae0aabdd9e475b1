"""The `coach` command driven as a user drives it: arguments, stdin, environment and flags."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import main
from tests.fakes.openai_server import FakeOpenAI, Reply

COACH = str(Path(sys.executable).with_name("coach"))
PROPOSAL_WAIT = "I sent the proposal to Acme on Monday and will just wait for their decision."
CONTRACT_KEYS = {"reply", "playbooks", "findings", "commitments", "engine", "model"}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "coach.db"


def run_coach(
    *args: str,
    stdin: str | bytes = "",
    db: Path | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`coach ARGS` run in this process through its real entry point (`bot.cli.main`, with its
    error handling and exit codes), its stdin, stdout, stderr, environment and working folder
    isolated as a subprocess would have them; much cheaper than starting Python each time.
    The installed script itself still runs where the process matters: signals and bytes in
    `test_cli_robust.py`, start-up in `test_cli_imports.py`, and the server and worker tests."""
    argv = [*args, *(["--db", f"sqlite:///{db}"] if db is not None else [])]
    folder = cwd or (db.parent if db else None)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _in_process(argv, stdin, env or {}, folder)
    # An async test: the command runs its own event loop, so it gets a thread to run it on.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_in_process, argv, stdin, env or {}, folder).result()


def _in_process(
    argv: list[str], stdin: str | bytes, env: dict[str, str], cwd: Path | None
) -> subprocess.CompletedProcess[str]:
    before = Path.cwd()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    code = 0
    with CliRunner().isolation(input=stdin, env=env) as (out, err, _):
        saved_argv, sys.argv = sys.argv, [COACH, *argv]
        try:
            if cwd is not None:
                os.chdir(cwd)
            main()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        finally:
            sys.argv = saved_argv
            os.chdir(before)
            # A process ends here; this one goes on, so logging set up by the command
            # (`coach scheduler` logs JSON to its stderr) must not outlive it.
            root.handlers[:], root.level = handlers, level
            sys.stdout.flush()
            sys.stderr.flush()
        stdout, stderr = out.getvalue(), err.getvalue()
    return subprocess.CompletedProcess(
        [COACH, *argv], code, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace")
    )


def count_rows(db: Path, table: str) -> int:
    with closing(sqlite3.connect(db)) as conn:
        (count,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(count)


def test_piped_chat_gives_post_proposal_presentation_advice(db_path: Path) -> None:
    done = run_coach("chat", "--now", "2026-11-18", stdin=PROPOSAL_WAIT + "\n", db=db_path)
    assert done.returncode == 0, done.stderr
    assert "final presentation" in done.stdout
    assert "p3.not_requested" in done.stdout
    assert done.stderr == ""


def test_chat_lists_the_suggested_commitment(db_path: Path) -> None:
    stdin = f"{PROPOSAL_WAIT}\n/commitments\n"
    done = run_coach("chat", "--now", "2026-11-18", stdin=stdin, db=db_path)
    assert done.returncode == 0, done.stderr
    listed = [line for line in done.stdout.splitlines() if line.startswith("#1 [suggested]")]
    assert len(listed) == 1
    assert "presentation" in listed[0]
    assert "due 2026-11-20" in listed[0]


def test_chat_help_and_unknown_slash_command(db_path: Path) -> None:
    done = run_coach("chat", stdin="/help\n/frobnicate\n", db=db_path)
    assert done.returncode == 0
    assert "/commitments" in done.stdout
    assert "I don't know /frobnicate" in done.stdout


def test_ask_json_prints_a_contract_result(db_path: Path) -> None:
    done = run_coach(
        "ask",
        "-",
        "--json",
        "--now",
        "2026-11-18T10:00",
        "--tz",
        "Europe/Berlin",
        stdin=PROPOSAL_WAIT,
        db=db_path,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result.keys() >= CONTRACT_KEYS
    assert result["engine"] == "offline"
    assert result["model"] is None
    assert result["playbooks"] == ["p3"]
    finding = result["findings"][0]
    assert finding["code"] == "p3.not_requested"
    assert finding["evidence"] in PROPOSAL_WAIT
    assert result["commitments"][0]["kind"] == "p3_request"
    assert isinstance(result["commitments"][0]["id"], int)
    assert count_rows(db_path, "conversation_turns") == 2


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_input_is_rejected_and_nothing_is_stored(db_path: Path, text: str) -> None:
    run_coach("ask", "warm-up so the schema exists", db=db_path)
    done = run_coach("ask", "-", "--json", stdin=text, db=db_path)
    assert done.returncode == 2
    assert json.loads(done.stdout) == {
        "error": {"code": "input.empty", "message": json.loads(done.stdout)["error"]["message"]}
    }
    assert len(done.stderr.strip().splitlines()) == 1
    assert count_rows(db_path, "conversation_turns") == 2


def test_text_over_the_limit_is_rejected(db_path: Path) -> None:
    done = run_coach(
        "ask", "-", "--json", stdin="x" * 101, db=db_path, env={"COACH_MAX_INPUT_CHARS": "100"}
    )
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert error["code"] == "input.too_large"
    assert "100" in error["message"]


def test_missing_review_file_is_one_clear_line(db_path: Path) -> None:
    done = run_coach("review", str(db_path.parent / "nope.md"), "--json", db=db_path)
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "input.unreadable_file"
    assert done.stderr.startswith("coach: There is no file at")
    assert "Traceback" not in done.stderr


def test_unknown_command_is_one_line_and_status_2() -> None:
    done = run_coach("frobnicate")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "frobnicate" in done.stderr


def test_bad_clock_and_zone_are_rejected(db_path: Path) -> None:
    bad_now = run_coach("ask", "hello", "--now", "next tuesday", "--json", db=db_path)
    bad_tz = run_coach("ask", "hello", "--tz", "Mars/Olympus", "--json", db=db_path)
    assert (bad_now.returncode, bad_tz.returncode) == (2, 2)
    assert json.loads(bad_now.stdout)["error"]["code"] == "input.bad_clock"
    assert json.loads(bad_tz.stdout)["error"]["code"] == "input.bad_timezone"


def test_unopenable_database_is_store_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    done = run_coach("ask", "hello", "--json", "--db", f"sqlite:///{blocker}/sub/coach.db")
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "store.unavailable"
    assert "Traceback" not in done.stderr


def test_db_upgrade_creates_the_schema(db_path: Path) -> None:
    done = run_coach("db", "upgrade", db=db_path)
    assert done.returncode == 0, done.stderr
    assert count_rows(db_path, "conversation_turns") == 0


@pytest.fixture
def fake_llm() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


def test_llm_failure_still_coaches_and_stores_the_turn(db_path: Path, fake_llm: FakeOpenAI) -> None:
    fake_llm.enqueue(Reply(status=500), Reply(status=500))
    env = {
        "OPENAI_API_KEY": "test",
        "OPENAI_BASE_URL": fake_llm.base_url,
        "COACH_LLM_MAX_RETRIES": "0",
    }
    done = run_coach("ask", PROPOSAL_WAIT, "--json", db=db_path, env=env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["engine"] == "offline"
    assert [f["code"] for f in result["findings"]] == ["p3.not_requested"]
    assert len(fake_llm.requests) == 1
    assert count_rows(db_path, "conversation_turns") == 2
