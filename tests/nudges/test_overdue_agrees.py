"""After a snooze past its date, the rep's reminder and the manager's digest tell one story.

A promise due Monday 2 March and snoozed to Friday 6 March is four days overdue on Friday,
whoever reads about it: the reminder (console, Slack, Teams), the digest, and the list.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime
from pathlib import Path

from bot.delivery import Dispatcher
from bot.outbox import ConsoleOutbox, reminder_title, render_digest, render_reminder
from bot.slack.digest_sender import build_reminder_blocks
from bot.teams.digest_sender import build_reminder_card
from coaching.commitments.due import DueState, due_status
from coaching.digests.reminders import ReminderService
from coaching.digests.service import DigestService
from coaching.team.rules import Clock
from coaching.types import CommitmentStatus, Party, Role
from storage.digest_repo import SqlDigestStore
from storage.outbox_repo import SqlOutbox
from storage.repository import SqlStore, open_store
from tests.nudges.org import Org, ref
from tests.slack.harness import block_texts
from tests.teams.conftest import card_text
from tests.test_cli import run_coach

PROMISED = date(2026, 3, 2)
SNOOZE_ENDS = date(2026, 3, 6)
THURSDAY = Clock(at=datetime.fromisoformat("2026-03-05T08:00"))
FRIDAY = Clock(at=datetime.fromisoformat("2026-03-06T08:00"))


def services(store: SqlStore) -> tuple[ReminderService, DigestService]:
    outbound = Dispatcher([ConsoleOutbox(SqlOutbox(store.engine))])
    digest_store = SqlDigestStore(store.engine)
    return ReminderService(digest_store, outbound), DigestService(digest_store, outbound)


async def snoozed_past_its_date(store: SqlStore, party: Party = Party.REP) -> Org:
    org = Org(store)
    await org.people(("maria", Role.MANAGER, None), ("ana", Role.REP, "maria"))
    await org.promise(
        "ana",
        "send Lena the pricing",
        due=PROMISED,
        status=CommitmentStatus.SNOOZED,
        snoozed_until=SNOOZE_ENDS,
        party=party,
    )
    return org


async def test_the_reminder_and_the_digest_both_say_overdue_by_four_days(
    store: SqlStore,
) -> None:
    await snoozed_past_its_date(store)
    reminders, digests = services(store)

    [reminder] = await reminders.run(FRIDAY)
    digest = await digests.preview(ref("maria"), "maria", FRIDAY)

    assert reminder_title(reminder) == "Overdue by 4 days: send Lena the pricing"
    assert "(overdue by 4 days, #" in render_reminder(reminder)
    assert "Due today" not in render_reminder(reminder)
    assert any("overdue by 4 days" in t for t in block_texts(dict(build_reminder_blocks(reminder))))
    assert "Overdue by 4 days: send Lena the pricing" in card_text(build_reminder_card(reminder))

    shown = render_digest(digest)
    assert "Overdue by 4 days: send Lena the pricing" in shown
    assert "A promise is overdue by 4 days" in shown
    [section] = digest.reps
    assert [line.days_late for line in section.overdue] == [4]


async def test_the_day_before_the_snooze_ends_it_is_not_due_tomorrow(store: SqlStore) -> None:
    await snoozed_past_its_date(store)
    reminders, _ = services(store)

    [reminder] = await reminders.run(THURSDAY)

    assert reminder_title(reminder) == "Overdue by 3 days: send Lena the pricing"
    assert "tomorrow" not in render_reminder(reminder)


async def test_a_snooze_moves_the_reminder_day_never_the_promised_date(store: SqlStore) -> None:
    org = await snoozed_past_its_date(store)
    reminders, _ = services(store)

    [reminder] = await reminders.run(FRIDAY)
    [tracked] = await org.team.tracked(owner_id=(await org.member("ana")).id, statuses=None)

    assert (reminder.due, reminder.remind_on) == (PROMISED, SNOOZE_ENDS)
    assert tracked.commitment.due == PROMISED


async def _seed_file(db: Path) -> None:
    store = await open_store(f"sqlite:///{db}", migrate=True)
    try:
        await snoozed_past_its_date(store)
    finally:
        await store.close()


def test_the_command_line_tells_the_rep_and_the_manager_the_same(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    asyncio.run(_seed_file(db))
    friday = ("--now", "2026-03-06T08:00")

    sent = run_coach("reminders", "run", *friday, db=db)
    outbox = run_coach("outbox", "--user", "ana", db=db)
    listed = run_coach("commitments", "list", "--user", "ana", *friday, db=db)
    as_json = run_coach("commitments", "list", "--user", "ana", "--json", *friday, db=db)
    digest = run_coach("nudges", "preview", "--manager", "maria", "--user", "maria", *friday, db=db)

    for done in (sent, outbox, listed, as_json, digest):
        assert done.returncode == 0, done.stderr
    assert "Overdue by 4 days: send Lena the pricing" in outbox.stdout
    assert "Due today" not in outbox.stdout
    assert "due 2026-03-02 (overdue by 4 days)" in listed.stdout
    [item] = json.loads(as_json.stdout)["commitments"]
    assert (item["due"], item["days_late"], item["due_words"]) == (
        "2026-03-02",
        4,
        "overdue by 4 days",
    )
    assert "Overdue by 4 days: send Lena the pricing" in digest.stdout


async def test_a_customer_step_reads_the_same_way(store: SqlStore) -> None:
    await snoozed_past_its_date(store, party=Party.CUSTOMER)
    reminders, digests = services(store)

    [reminder] = await reminders.run(FRIDAY)
    shown = render_digest(await digests.preview(ref("maria"), "maria", FRIDAY))

    assert "Lena agreed to this (overdue by 4 days)" in render_reminder(reminder)
    assert "Customer step overdue by 4 days: send Lena the pricing" in shown
    assert "A step the customer agreed to is overdue by 4 days" in shown


def test_the_words_for_each_state() -> None:
    today = date(2026, 3, 6)
    assert due_status(None, today).words == "no date"
    assert due_status(today, today).words == "due today"
    assert due_status(date(2026, 3, 7), today).words == "due tomorrow"
    assert due_status(date(2026, 3, 9), today).words == "due in 3 days"
    assert due_status(date(2026, 3, 5), today).words == "overdue by 1 day"
    late = due_status(PROMISED, today)
    assert (late.state, late.days, late.words) == (DueState.OVERDUE, 4, "overdue by 4 days")
