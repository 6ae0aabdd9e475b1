"""`build_digest` from plain values: windows, thresholds, privacy and the 1:1 questions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from coaching.commitments.ports import Tracked
from coaching.digests.build import build_digest
from coaching.digests.deals import Deal, DealStage
from coaching.digests.model import Digest, FindingMark
from coaching.team.ports import Member
from coaching.types import Commitment, CommitmentKind, CommitmentStatus, Platform, Role

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
DONE = CommitmentStatus.DONE
MANAGER = Member(1, 1, Platform.CONSOLE, "console", "m1", Role.MANAGER, "Maria")


def rep(member_id: int, name: str, manager_id: int = 1) -> Member:
    return Member(
        member_id, 1, Platform.CONSOLE, "console", name.lower(), Role.REP, name, None, manager_id
    )


def promise(
    owner: int,
    text: str,
    due: date | None,
    *,
    status: CommitmentStatus = CommitmentStatus.OPEN,
    finished: datetime | None = None,
    kind: CommitmentKind = CommitmentKind.FOLLOW_UP,
) -> Tracked:
    commitment = Commitment(
        id=owner * 100 + len(text), text=text, kind=kind, due=due, counterpart="Lena", status=status
    )
    return Tracked(commitment, owner, updated_at=finished)


def digest(
    reps: list[Member],
    commitments: Sequence[Tracked] = (),
    deals: Sequence[Deal] = (),
    findings: Sequence[FindingMark] = (),
) -> Digest:
    return build_digest(
        manager=MANAGER, reps=reps, commitments=commitments, deals=deals, findings=findings, now=NOW
    )


def test_reps_are_listed_by_name_not_ranked() -> None:
    zed, ana = rep(2, "Zed"), rep(3, "ana")
    busy = [promise(2, f"step {i}", TODAY + timedelta(days=2)) for i in range(5)]
    built = digest([zed, ana], busy)
    assert [section.name for section in built.reps] == ["ana", "Zed"]
    assert built.iso_week == "2026-W10"


def test_commitments_done_this_week_due_next_week_and_overdue() -> None:
    ana = rep(2, "Ana")
    built = digest(
        [ana],
        [
            promise(2, "kept", TODAY - timedelta(days=2), status=DONE, finished=NOW - timedelta(3)),
            promise(2, "old news", TODAY, status=DONE, finished=NOW - timedelta(days=9)),
            promise(2, "soon", TODAY + timedelta(days=6)),
            promise(2, "later", TODAY + timedelta(days=7)),
            promise(2, "late", date(2026, 2, 27)),
        ],
    )
    section = built.reps[0]
    assert [(line.text, line.on_time) for line in section.done_this_week] == [("kept", True)]
    assert [line.text for line in section.due_next_week] == ["soon"]
    assert [(line.text, line.days_late) for line in section.overdue] == [("late", 3)]
    item = next(i for i in section.items if i.code == "trust.reliability")
    assert item.evidence == "late"
    assert "Lena" in item.question


def test_decay_flags_a_quarter_and_requalifies_at_two() -> None:
    ana = rep(2, "Ana")
    quiet = [
        Deal(2, "Fresh", DealStage.PROPOSAL, last_customer_action_at=TODAY - timedelta(days=89)),
        Deal(2, "Stale", DealStage.PROPOSAL, last_customer_action_at=TODAY - timedelta(days=90)),
        Deal(2, "Dead", DealStage.DISCOVERY, peak_interest_at=TODAY - timedelta(days=200)),
        Deal(2, "Lost", DealStage.LOST, last_customer_action_at=TODAY - timedelta(days=300)),
    ]
    section = digest([ana], deals=quiet).reps[0]
    assert [(d.name, d.requalify) for d in section.decaying_deals] == [
        ("Dead", True),
        ("Stale", False),
    ]
    assert sum(1 for item in section.items if item.code == "decay.stale") == 2


def test_never_category_details_are_counted_never_quoted() -> None:
    dana = rep(2, "Dana")
    mark = FindingMark(2, "creepy.never", NOW - timedelta(days=1))
    built = digest([dana], findings=[mark, mark])
    section = built.reps[0]
    assert [(g.code, g.count, g.recurring) for g in section.trust_gaps] == [
        ("creepy.never", 2, True)
    ]
    item = next(i for i in section.items if i.code == "creepy.never")
    assert item.evidence is None
    text = built.model_dump_json().lower()
    assert "health" not in text


def test_findings_outside_the_week_do_not_count() -> None:
    ben = rep(2, "Ben")
    old = FindingMark(2, "funnel.activity_metrics", NOW - timedelta(days=8))
    assert digest([ben], findings=[old]).reps[0].trust_gaps == []


def test_other_teams_are_ignored_even_when_passed_in() -> None:
    ana, stranger = rep(2, "Ana"), rep(9, "Stranger", manager_id=5)
    built = digest(
        [ana],
        [promise(9, "not yours", date(2026, 2, 1))],
        [Deal(9, "Theirs", DealStage.PROPOSAL, peak_interest_at=date(2025, 1, 1))],
        [FindingMark(9, "creepy.never", NOW)],
    )
    assert [section.rep for section in built.reps] == ["ana"]
    assert "not yours" not in built.model_dump_json()
    assert stranger.user not in built.model_dump_json()


def test_two_or_three_questions_per_rep() -> None:
    quiet, busy = rep(2, "Quiet"), rep(3, "Busy")
    built = digest(
        [quiet, busy],
        [promise(3, f"late {i}", date(2026, 2, 20 + i)) for i in range(3)],
        [Deal(3, "Globex", DealStage.PROPOSAL, last_customer_action_at=date(2025, 10, 14))],
        [FindingMark(3, "funnel.activity_metrics", NOW), FindingMark(3, "creepy.never", NOW)],
    )
    for section in built.reps:
        assert 2 <= len(section.questions) <= 3
        assert len(set(section.questions)) == len(section.questions)
    assert all(item.question for section in built.reps for item in section.items)


def test_recognition_for_kept_promises_and_introductions() -> None:
    cara = rep(2, "Cara")
    built = digest(
        [cara],
        [
            promise(2, "case study", TODAY, status=DONE, finished=NOW - timedelta(days=1)),
            promise(
                2,
                "introduce Sam",
                TODAY,
                status=DONE,
                finished=NOW - timedelta(days=2),
                kind=CommitmentKind.INTRODUCTION,
            ),
        ],
    )
    item = next(i for i in built.reps[0].items if i.code == "recognition")
    assert "kept all 2 promises on time" in item.title
    assert "introduction" in item.title


def test_a_built_digest_reads_back_from_its_json_unchanged() -> None:
    """The delivery record and the outbox keep the digest as JSON; what Slack, Teams and
    `coach outbox` read back from it is the digest that was built, every field included."""
    ana, ben = rep(2, "Ana"), rep(3, "Ben")
    built = digest(
        [ana, ben],
        [
            promise(2, "kept", TODAY - timedelta(days=2), status=DONE, finished=NOW - timedelta(3)),
            promise(2, "soon", TODAY + timedelta(days=3)),
            promise(3, "late", date(2026, 2, 20), kind=CommitmentKind.INTRODUCTION),
            promise(3, "someday", None),
        ],
        [Deal(3, "Globex", DealStage.PROPOSAL, last_customer_action_at=date(2025, 10, 14))],
        [FindingMark(3, "creepy.never", NOW), FindingMark(3, "creepy.never", NOW)],
    )
    again = Digest.model_validate_json(built.model_dump_json())
    assert again == built
    assert again.model_dump() == built.model_dump()
    assert again.model_fields_set == built.model_fields_set
