"""The trust self-assessment: scoring, stored history with a trend, and the CLI."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coaching.ports import UserRef
from coaching.trust_check import (
    STATEMENTS,
    Assessment,
    TrustCheck,
    TrustReport,
    build_report,
    parse_answers,
    score_answers,
)
from coaching.types import CoachingError, Platform
from storage.repository import SqlStore
from storage.trust_repo import SqlTrustHistory
from tests.test_cli import run_coach

SELF_SERVING = (4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5)
CLIENT_FIRST = (4, 4, 4, 4, 4, 4, 4, 4, 4, 1, 1, 2)
WHEN = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
ALICE = UserRef(platform=Platform.CONSOLE, tenant="console", user="alice")


def test_every_component_has_statements_and_the_scale_is_1_to_10() -> None:
    assert {s.component for s in STATEMENTS} == {
        "credibility",
        "reliability",
        "intimacy",
        "self_orientation",
    }
    lowest, highest = score_answers((1,) * 12), score_answers((5,) * 12)
    assert (lowest.credibility, highest.credibility) == (1.0, 10.0)
    assert highest.trust == 3.0


def test_high_self_orientation_divides_trust() -> None:
    assert score_answers(SELF_SERVING).trust < score_answers(CLIENT_FIRST).trust
    report = build_report_for(SELF_SERVING)
    assert report.advice.startswith("Work on self-orientation first")


def build_report_for(answers: tuple[int, ...]) -> TrustReport:
    assessment = Assessment(at=WHEN, scores=score_answers(answers), answers=answers)
    return build_report(assessment, [assessment])


@pytest.mark.parametrize("raw", ["", "4,4", "4 " * 11 + "6", "a,b,c,d,e,f,g,h,i,j,k,l"])
def test_malformed_answers_are_refused_clearly(raw: str) -> None:
    with pytest.raises(CoachingError) as raised:
        parse_answers(raw)
    assert raised.value.code == "input.bad_answers"
    assert "12 answers" in raised.value.message


async def test_history_is_kept_and_the_trend_shows(store: SqlStore) -> None:
    check = TrustCheck(SqlTrustHistory(store.engine))
    await check.submit(ALICE, SELF_SERVING, WHEN)
    latest, history = await check.submit(ALICE, CLIENT_FIRST, WHEN + timedelta(days=14))
    assert [a.answers for a in history] == [CLIENT_FIRST, SELF_SERVING]
    report = build_report(latest, history)
    assert report.trend is not None
    assert report.trend.startswith("Trust is up since 2026-11-02")
    other = UserRef(platform=Platform.CONSOLE, tenant="console", user="bob")
    assert await SqlTrustHistory(store.engine).assessments(who=other, limit=5) == []


def test_cli_trust_check_json_and_console_flow(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    answers = ",".join(map(str, SELF_SERVING))
    done = run_coach("trust-check", "--answers", answers, "--json", db=db)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["scores"]["self_orientation"] == score_answers(SELF_SERVING).self_orientation
    piped = "/trust-check\n" + "\n".join(map(str, CLIENT_FIRST)) + "\n"
    chat = run_coach("chat", stdin=piped, db=db)
    assert chat.returncode == 0, chat.stderr
    assert "Trust is up since" in chat.stdout


def test_cli_rejects_bad_answers_without_storing(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    done = run_coach("trust-check", "--answers", "9,9", "--json", db=db)
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "input.bad_answers"
    cancelled = run_coach("chat", stdin="/trust-check\n4\n/cancel\n", db=db)
    assert "nothing was saved" in cancelled.stdout
