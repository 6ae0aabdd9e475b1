"""The trust self-assessment: scoring, stored history with a trend, and the CLI."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.console import render_trust
from bot.slack.blocks import build_trust_report_blocks
from bot.teams.cards import build_trust_report_card
from coaching.errors import CoachingError
from coaching.ports import Assessment, UserRef
from coaching.trust_check import (
    STATEMENTS,
    TrustCheck,
    TrustReport,
    build_report,
    parse_answers,
    score_answers,
)
from coaching.types import Platform
from storage.repository import SqlStore
from storage.trust_repo import SqlTrustHistory
from tests.teams.conftest import card_text
from tests.test_cli import run_coach

SELF_SERVING = (4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5)
CLIENT_FIRST = (4, 4, 4, 4, 4, 4, 4, 4, 4, 1, 1, 2)
PERFECT = (5, 5, 5, 5, 5, 5, 5, 5, 5, 1, 1, 1)
NEAR_PERFECT = (5, 5, 5, 5, 5, 5, 5, 5, 4, 1, 1, 2)
INTIMACY_WEAKEST = (5, 5, 5, 5, 5, 5, 3, 3, 3, 3, 3, 3)
CREDIBILITY_TIES_INTIMACY = (3, 3, 3, 5, 5, 5, 3, 3, 3, 2, 2, 2)
STRONG_BUT_SELF_ORIENTED = (5, 5, 5, 5, 5, 5, 5, 5, 5, 2, 2, 3)
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
    assert report.advice.startswith("Work on self-orientation first: 10 out of 10")
    assert report.focus == ["self_orientation"]
    assert report.this_week in report.advice
    assert "what the client gets out of it" in report.this_week


def test_a_perfect_profile_is_praised_with_no_invented_weakness() -> None:
    report = build_report_for(PERFECT)
    assert report.focus == []
    assert "the best this check can show" in report.advice
    assert "no weak part to fix" in report.advice
    assert "Work on" not in report.advice
    assert report.this_week.startswith("This week:")
    assert report.this_week in report.advice
    assert report.meaning.startswith("Trust 30 out of a possible 30")


def test_a_near_perfect_profile_is_praised_too() -> None:
    report = build_report_for(NEAR_PERFECT)
    assert report.focus == []
    assert "close to the best" in report.advice
    assert "Work on" not in report.advice


def test_intimacy_weakest_leads_with_an_intimacy_practice() -> None:
    report = build_report_for(INTIMACY_WEAKEST)
    assert report.focus == ["intimacy"]
    assert report.advice.startswith("Work on intimacy first: at 5.5 it is the lowest")
    assert "self-orientation" not in report.advice
    assert "asking before telling" in report.advice
    assert "one question about their situation" in report.this_week


def test_strong_numerator_with_some_self_orientation_names_the_divisor() -> None:
    report = build_report_for(STRONG_BUT_SELF_ORIENTED)
    assert report.focus == ["self_orientation"]
    assert report.advice.startswith("Work on self-orientation first: 4 out of 10")
    assert "already strong" in report.advice


def test_a_tie_is_named_with_a_lever_for_each() -> None:
    report = build_report_for(CREDIBILITY_TIES_INTIMACY)
    assert report.focus == ["credibility", "intimacy"]
    assert report.advice.startswith("Credibility and intimacy tie for lowest at 5.5")
    assert "Raise credibility" in report.advice
    assert "Raise intimacy" in report.advice
    assert "result the client could check" in report.this_week
    level = build_report_for(CLIENT_FIRST)
    assert level.advice.startswith("Credibility, reliability and intimacy are level at 7.8")


def test_the_score_is_explained_on_its_real_scale() -> None:
    report = build_report_for(SELF_SERVING)
    assert report.meaning == (
        "Trust 2.34 out of a possible 30 (the lowest is 0.3): credibility, reliability and "
        "intimacy add up to 23.4 and are divided by self-orientation 10; a steady 5 on every "
        "part gives 3."
    )


def test_console_slack_and_teams_show_the_same_advice_and_meaning() -> None:
    report = build_report_for(INTIMACY_WEAKEST)
    console = render_trust(report)
    slack = "\n".join(
        b["text"]["text"] for b in build_trust_report_blocks(report)["blocks"] if "text" in b
    )
    teams = card_text(build_trust_report_card(report))
    for shown in (console, slack, teams):
        assert report.meaning in shown
        assert report.advice in shown


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
    assert report["focus"] == ["self_orientation"]
    assert report["advice"].startswith("Work on self-orientation first")
    assert report["this_week"] in report["advice"]
    assert report["meaning"].startswith(f"Trust {score_answers(SELF_SERVING).trust:g} out of")
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
