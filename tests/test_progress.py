"""The steps a turn reports while it runs: the ones that apply to the speaker, in the order
the coach works through them, the model's only when a model is asked, none for a re-delivery."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from coaching.engine import OfflineEngine
from coaching.llm import LLMCoach
from coaching.progress import LABELS, Step
from coaching.service import CoachService
from coaching.types import IncomingMessage, Platform, Role
from storage.repository import SqlStore
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.llm.support import coach_for, good

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
TEXT = "I sent the proposal to Acme on Monday and will just wait for their decision."


class Recorder:
    def __init__(self) -> None:
        self.steps: list[Step] = []

    def step(self, step: Step) -> None:
        self.steps.append(step)


def service(store: SqlStore, llm: LLMCoach | None = None) -> CoachService:
    return CoachService(
        store=store, engine=OfflineEngine(), llm=llm, max_input_chars=5000, memory_turns=4
    )


def message(key: str = "Ev1", role: Role | None = None) -> IncomingMessage:
    return IncomingMessage(
        platform=Platform.SLACK,
        tenant="T1",
        user="U1",
        text=TEXT,
        now=NOW,
        idempotency_key=key,
        role=role,
    )


async def test_a_reps_turn_reports_the_reps_checks_in_order(store: SqlStore) -> None:
    heard = Recorder()
    await service(store).process(message(), progress=heard)
    assert heard.steps == [
        Step.READING,
        Step.COMMITMENTS,
        Step.INPUT_SAFETY,
        Step.P3,
        Step.TIMING,
        Step.SOCIAL,
        Step.TRUST,
        Step.SITUATION,
    ]


async def test_a_manager_hears_the_manager_playbooks_not_the_reps(store: SqlStore) -> None:
    heard = Recorder()
    await service(store).process(message(role=Role.MANAGER), progress=heard)
    assert Step.MANAGER in heard.steps
    assert Step.P3 not in heard.steps
    assert Step.TRUST not in heard.steps


async def test_with_a_model_its_answer_is_checked_before_the_turn_ends(
    store: SqlStore, fake_openai: FakeOpenAI
) -> None:
    fake_openai.enqueue(good())
    heard = Recorder()
    await service(store, coach_for(fake_openai)).process(message(), progress=heard)
    assert heard.steps[-2:] == [Step.MODEL, Step.CHECKING_MODEL]


async def test_a_model_that_fails_is_not_said_to_be_checked(
    store: SqlStore, fake_openai: FakeOpenAI
) -> None:
    fake_openai.enqueue(Reply(status=500))
    heard = Recorder()
    saved = await service(store, coach_for(fake_openai)).process(message(), progress=heard)
    assert heard.steps[-1] is Step.MODEL
    assert saved.result.engine == "offline"


async def test_a_redelivered_event_reports_nothing(store: SqlStore) -> None:
    coach = service(store)
    await coach.process(message())
    heard = Recorder()
    again = await coach.process(message(), progress=heard)
    assert not again.first_time
    assert heard.steps == []


def test_every_step_has_a_short_label_of_its_own() -> None:
    assert set(LABELS) == set(Step)
    assert len(set(LABELS.values())) == len(Step)
    assert all(0 < len(text) <= 60 for text in LABELS.values())
