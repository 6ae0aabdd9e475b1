"""`coach call FILE` as a rep runs it: findings, the customer's promise, the scorecard."""

from __future__ import annotations

import json
from pathlib import Path

from tests.calls.files import CALL, meet_text, subrip, teams_vtt
from tests.test_cli import count_rows, run_coach

NOW = ("--now", "2026-03-10T09:00", "--tz", "Europe/Berlin")


def test_a_call_gets_the_monologue_the_feature_dump_and_the_customers_promise(
    tmp_path: Path,
) -> None:
    call = tmp_path / "northwind-discovery.vtt"
    call.write_text(teams_vtt(CALL, note="Recorded 2026-03-04"))

    done = run_coach("call", str(call), "--json", *NOW, db=tmp_path / "coach.db")

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    codes = {f["code"] for f in result["findings"]}
    assert {"call.monologue", "pitch.features_over_needs"} <= codes
    theirs = [c for c in result["commitments"] if c["party"] == "customer"]
    assert [(c["counterpart"], c["due"], c["kind"]) for c in theirs] == [
        ("Marco Bianchi", "2026-03-06", "send_material")
    ]
    assert theirs[0]["id"] is not None
    assert result["call"]["rep"] == "Priya Shah"
    assert result["call"]["date"] == "2026-03-04"
    assert result["call"]["longest_monologue_seconds"] == 191.0
    assert result["call"]["next_step_agreed"] is True


def test_the_text_reply_leads_with_the_call_and_ends_with_its_scorecard(tmp_path: Path) -> None:
    call = tmp_path / "call.srt"
    call.write_text(subrip(CALL))

    done = run_coach("call", str(call), "--company", "Northwind", *NOW, db=tmp_path / "coach.db")

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("On this call Priya Shah (the rep) spoke")
    assert "Their next step: Marco Bianchi will send you our volumes, by Fri 13 Mar." in done.stdout
    assert "Call scorecard (Priya Shah as the rep, because they speak for Northwind):" in (
        done.stdout
    )
    assert "Your longest monologue: 3 min 11 s" in done.stdout
    assert "Next step agreed with a date: yes" in done.stdout


def test_a_rep_chosen_by_name_is_reviewed_on_their_own_words(tmp_path: Path) -> None:
    done = run_coach(
        "call", "-", "--rep", "Marco", "--json", *NOW, stdin=meet_text(CALL), db=tmp_path / "c.db"
    )

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["call"]["rep"] == "Marco Bianchi"
    assert result["call"]["longest_monologue_seconds"] is None
    assert "pitch.features_over_needs" not in {f["code"] for f in result["findings"]}


def test_bad_input_is_one_line_exit_2_and_nothing_stored(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    run_coach("db", "upgrade", db=db)
    notes = tmp_path / "notes.txt"
    notes.write_text("We talked about pricing and they seemed keen.\n")
    call = tmp_path / "call.vtt"
    call.write_text(teams_vtt(CALL))

    no_speakers = run_coach("call", str(notes), "--json", db=db)
    unknown_rep = run_coach("call", str(call), "--rep", "Sam", db=db)

    assert no_speakers.returncode == unknown_rep.returncode == 2
    assert json.loads(no_speakers.stdout)["error"]["code"] == "input.no_speakers"
    assert unknown_rep.stderr.count("\n") == 1
    assert "Priya Shah, Marco Bianchi" in unknown_rep.stderr
    assert "Traceback" not in no_speakers.stderr + unknown_rep.stderr
    assert count_rows(db, "conversation_turns") == 0
    assert count_rows(db, "commitments") == 0
