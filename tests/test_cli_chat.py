"""`coach chat` as a rep uses it: pasted emails, commitment commands, numbers and /why.

Driven through the real `coach` script, with piped stdin, and once through a pseudo-terminal
for the terminal's bracketed paste.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.test_cli import COACH, PROPOSAL_WAIT, run_coach

NOW = "2026-11-18"
EMAIL = """Hi Dana,

Thanks again for walking us through your rollout plan.
I'll send the revised pricing by Friday.

Best,
Sam
"""


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "coach.db"


def chat(stdin: str, db: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    done = run_coach("chat", "--now", NOW, *flags, stdin=stdin, db=db)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


def json_chat(stdin: str, db: Path) -> list[dict[str, Any]]:
    """One JSON object per answer the chat gave."""
    return [json.loads(line) for line in chat(stdin, db, "--json").stdout.splitlines()]


def coached(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [a for a in answers if "findings" in a]


def test_a_piped_email_is_coached_as_one_message(db_path: Path) -> None:
    answers = coached(json_chat(EMAIL, db_path))
    assert len(answers) == 1
    assert "send the revised pricing" in [c["text"] for c in answers[0]["commitments"]]


def test_a_signed_email_ends_at_the_blank_line_after_its_sign_off(db_path: Path) -> None:
    answers = coached(json_chat(EMAIL + "\nIs the deal with Acme still warm?\n", db_path))
    assert len(answers) == 2
    assert answers[1]["commitments"] == []


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_an_email_ends_at_a_command(db_path: Path, gap: str) -> None:
    stdin = f"Hello team\nI will send the revised pricing by Friday.{gap}/commitments\n"
    answers = json_chat(stdin, db_path)
    assert len(coached(answers)) == 1
    assert [c["text"] for c in answers[1]["commitments"]] == ["send the revised pricing"]


def test_two_emails_in_a_row_are_two_messages(db_path: Path) -> None:
    second = "Dear Ms Ortiz,\nI'll send the signed order form by Monday.\n"
    assert len(coached(json_chat(EMAIL.replace("Best,\nSam\n", "") + "\n" + second, db_path))) == 2


def test_indented_lines_continue_the_message(db_path: Path) -> None:
    stdin = "Acme update:\n  - I'll send the revised pricing by Friday\n  - the CFO is involved\n"
    assert len(coached(json_chat(stdin, db_path))) == 1


def test_ordinary_piped_lines_are_still_one_message_each(db_path: Path) -> None:
    stdin = f"{PROPOSAL_WAIT}\nHi, how do I ask for a final presentation?\n"
    assert len(coached(json_chat(stdin, db_path))) == 2


def test_paste_command_reads_up_to_a_single_dot(db_path: Path) -> None:
    stdin = "/paste\nQuick update on Acme.\n\nI'll send the revised pricing by Friday.\n.\n/quit\n"
    answers = coached(json_chat(stdin, db_path))
    assert len(answers) == 1
    assert [c["text"] for c in answers[0]["commitments"]] == ["send the revised pricing"]


def test_reply_numbers_the_suggestion_with_the_id_the_list_uses(db_path: Path) -> None:
    done = chat(f"{PROPOSAL_WAIT}\n", db_path)
    line = next(li for li in done.stdout.splitlines() if "Suggested:" in li)
    assert line.startswith("[1] Suggested: ")
    assert line.endswith("/accept 1 to track it.")
    listed = run_coach("commitments", "list", "--now", NOW, db=db_path)
    assert listed.stdout.startswith("#1 [suggested]")


def test_accept_in_chat_tracks_the_suggestion(db_path: Path) -> None:
    done = chat(f"{PROPOSAL_WAIT}\n/accept 1\n/commitments\n", db_path)
    assert "Accepted: #1 [open]" in done.stdout
    listed = run_coach("commitments", "list", "--now", NOW, db=db_path)
    assert listed.stdout.startswith("#1 [open]")


def test_snooze_by_days_then_done_then_nothing_open(db_path: Path) -> None:
    stdin = f"{PROPOSAL_WAIT}\n/accept 1\n/snooze 1 5\n/done 1\n/commitments\n"
    done = chat(stdin, db_path)
    until = date.fromisoformat(NOW) + timedelta(days=5)
    assert f"Snoozed: #1 [snoozed until {until.isoformat()}]" in done.stdout
    assert "Done: #1 [done]" in done.stdout
    assert done.stdout.rstrip().endswith("No open commitments. Nice and tidy.")


def test_snooze_until_a_date_and_dismiss(db_path: Path) -> None:
    other = PROPOSAL_WAIT.replace("Acme", "Brightline")  # the same one again adds nothing
    stdin = f"{PROPOSAL_WAIT}\n{other}\n/accept 1\n/snooze 1 2026-12-01\n/dismiss 2\n"
    done = chat(stdin, db_path)
    assert "Snoozed: #1 [snoozed until 2026-12-01]" in done.stdout
    assert "Dismissed: #2 [cancelled]" in done.stdout


def test_json_chat_reports_the_changed_commitment(db_path: Path) -> None:
    answers = json_chat(f"{PROPOSAL_WAIT}\n/accept 1\n", db_path)
    assert answers[1]["commitment"]["id"] == 1
    assert answers[1]["commitment"]["status"] == "open"


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("/accept", "Use /accept N"),
        ("/done two", "Use /done N"),
        ("/accept 7", "You have no commitment #7; /commitments lists yours."),
        ("/dismiss 99999999999", "You have no commitment #99999999999"),
        ("/snooze 1 someday", "Snooze for a number of days"),
        ("/snooze 1 5", "can't be snoozed: only open ones"),
    ],
)
def test_commitment_command_mistakes_are_one_line_and_change_nothing(
    db_path: Path, command: str, says: str
) -> None:
    done = chat(f"{PROPOSAL_WAIT}\n{command}\n/commitments\n", db_path)
    answer = done.stdout.splitlines()
    assert len([line for line in answer if says in line]) == 1
    assert answer[-2].startswith("#1 [suggested]")


def test_unknown_command_lists_the_commands(db_path: Path) -> None:
    done = chat("/frobnicate\n", db_path)
    assert done.stdout.startswith("I don't know /frobnicate. Commands: /help, /paste, /why")
    assert "/accept N" in done.stdout
    assert len(done.stdout.strip().splitlines()) == 1


def test_why_explains_the_last_answer(db_path: Path) -> None:
    done = chat(f"/why\n{PROPOSAL_WAIT}\n/why\n", db_path)
    before, after = done.stdout.split("[p3.not_requested]\n", 1)
    assert before.startswith("Nothing to explain yet")
    assert "[p3.not_requested]: " in after
    assert f"You wrote: \u201c{PROPOSAL_WAIT}\u201d" in after


def test_help_describes_pasting(db_path: Path) -> None:
    done = chat("/help\n", db_path)
    assert "/paste" in done.stdout
    assert '"Hi Dana,"' in done.stdout


def _run_in_terminal(keys: bytes, db: Path) -> str:
    """Run `coach chat` on a pseudo-terminal, type `keys`, return all it printed."""
    main, child = pty.openpty()
    env = dict(os.environ)
    argv = [COACH, "chat", "--now", NOW, "--db", f"sqlite:///{db}"]
    with subprocess.Popen(
        argv, stdin=child, stdout=child, stderr=child, env={**env, "COLUMNS": "200"}
    ) as proc:
        os.close(child)
        os.write(main, keys)
        output = b""
        while True:
            ready, _, _ = select.select([main], [], [], 60)
            if not ready:
                proc.kill()
                break
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    os.close(main)
    return output.decode("utf-8", errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")
def test_bracketed_paste_in_a_terminal_is_one_message(db_path: Path) -> None:
    pasted = f"Hi Dana,\r\r{PROPOSAL_WAIT}\rI'll call you on Friday.\r\rBest,\rSam".encode()
    raw = _run_in_terminal(b"\x1b[200~" + pasted + b"\x1b[201~\r/commitments\r/quit\r", db_path)
    assert "\x1b[?2004h" in raw
    assert raw.rstrip().endswith("\x1b[?2004l")
    output = re.sub(r"\x1b\[[0-9;]*m", "", raw)
    assert output.count("\u2500 coach \u2500") == 1
    assert "[p3.not_requested]" in output
    assert re.search(r"\[(\d+)\] Suggested: .* /accept \1 to track it\.", output)
    # The pasted email is a draft: its promise is the rep's to accept once it is sent.
    assert re.search(
        r"\[(\d+)\] Once the email is out: call Dana, .* /accept \1 to track it\.", output
    )
    assert "#1 [suggested] call Dana - due 2026-11-20" in output


def test_a_pasted_proposal_with_blank_lines_is_reviewed_whole(db_path: Path) -> None:
    proposal = (
        "Proposal for Acme\n\nWe will roll out the platform in three phases.\n\n"
        "Pricing: 40,000 a year.\n\nNext step: a call with the CFO on 2026-11-25."
    )
    stdin = f"/proposal-review\n\x1b[200~{proposal}\x1b[201~\n"
    answers = json_chat(stdin, db_path)
    assert len(answers) == 1
    assert "Pricing: 40,000 a year." in json.dumps(answers[0])


def test_a_reviews_suggested_step_carries_its_number(db_path: Path) -> None:
    stdin = "/proposal-review\nProposal for Acme\nPricing: 40,000 a year.\n\n/accept 1\n"
    done = chat(stdin, db_path)
    assert re.search(r"^\[1\] Suggested.* /accept 1 to track it\.$", done.stdout, re.MULTILINE)
    assert "Accepted: #1 [open]" in done.stdout
