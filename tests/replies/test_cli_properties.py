"""The reply properties through `coach ask`, as a rep at a terminal reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.replies.properties import CASES, MANAGER_CASES, ReplyCase, check
from tests.test_cli import run_coach


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_console_answer_has_the_property(case: ReplyCase, tmp_path: Path) -> None:
    done = run_coach("ask", "--now", "2026-12-02T10:00", case.text, db=tmp_path / "c.db")
    assert done.returncode == 0
    check(case, done.stdout)


@pytest.mark.parametrize("case", MANAGER_CASES, ids=lambda c: c.name)
def test_the_managers_console_answer_has_the_property(case: ReplyCase, tmp_path: Path) -> None:
    done = run_coach(
        "ask",
        "--role",
        "manager",
        "--user",
        "m1",
        "--now",
        "2026-12-02T10:00",
        case.text,
        db=tmp_path / "c.db",
    )
    assert done.returncode == 0
    check(case, done.stdout)
