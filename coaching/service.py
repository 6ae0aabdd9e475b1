"""CoachService: the one entry point every adapter calls for a coaching turn.

It validates the input, answers a re-delivered event from the store, runs the offline
engine, lets the LLM refine the result when one is configured, and persists everything in
one transaction before returning. Adapters only translate and render.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime

from coaching.engine import OfflineEngine
from coaching.errors import CoachingError
from coaching.llm import LLMCoach
from coaching.observe import CoachObserver, NullObserver
from coaching.playbooks.base import Context
from coaching.ports import Assessment, CoachStore, SavedTurn, UserRef
from coaching.progress import NO_PROGRESS, Progress, Step
from coaching.replies.explain import GONE, explain
from coaching.team.limits import BUDGET_NOTE, Limits, TokenTally
from coaching.trust_check import TrustCheck, TrustReport, build_report
from coaching.types import CoachingResult, Commitment, CommitmentStatus, IncomingMessage, Role

OPEN_STATUSES = (CommitmentStatus.OPEN, CommitmentStatus.SUGGESTED, CommitmentStatus.SNOOZED)


class CoachService:
    def __init__(
        self,
        *,
        store: CoachStore,
        engine: OfflineEngine,
        llm: LLMCoach | None = None,
        max_input_chars: int,
        memory_turns: int,
        trust: TrustCheck | None = None,
        limits: Limits | None = None,
        observer: CoachObserver | None = None,
    ) -> None:
        self._store = store
        self._limits = limits
        self._observer = observer or NullObserver()
        self._trust = trust
        self._engine = engine
        self._llm = llm
        self._max_input_chars = max_input_chars
        self._memory_turns = memory_turns

    async def handle(self, message: IncomingMessage) -> CoachingResult:
        """Coach one message. Raises CoachingError for input the user must fix."""
        return (await self.process(message)).result

    async def process(
        self,
        message: IncomingMessage,
        finish: Callable[[CoachingResult], CoachingResult] | None = None,
        *,
        progress: Progress = NO_PROGRESS,
    ) -> SavedTurn:
        """Coach one inbound event exactly once.

        `first_time` is False when the event (same idempotency key) was handled before, by
        this worker or another: adapters then send nothing, so a re-delivery never doubles
        a reply or a commitment. `finish` adds what a caller measured itself (a call
        review's talk ratio, the customer's promises) before the turn is stored with it.
        `progress` hears each step as it starts; a re-delivered event reports none.
        """
        started = time.perf_counter()
        self.validate(message.text)
        if message.idempotency_key:
            prior = await self._store.find_processed(
                platform=message.platform, key=message.idempotency_key
            )
            if prior is not None:
                return SavedTurn(result=prior, first_time=False)
        if self._limits is not None:
            await self._limits.admit(who(message))
        progress.step(Step.READING)
        if message.role is None:
            message = message.model_copy(
                update={"role": await self._store.role_of(who=who(message))}
            )
        role = message.role or Role.REP
        known = await self._store.list_commitments(who=who(message), statuses=OPEN_STATUSES)
        result = self._engine.coach(
            Context(text=message.text, now=message.now, role=role, kind=message.kind),
            known,
            progress,
        )
        if self._llm is not None:
            result = await self._refine(self._llm, message, result, progress)
        if finish is not None:
            result = finish(result)
        saved = await self._store.save_turn(message=message, result=result)
        self._observer.turn_finished(time.perf_counter() - started, saved.result.engine)
        return saved

    async def _refine(
        self,
        llm: LLMCoach,
        message: IncomingMessage,
        offline: CoachingResult,
        progress: Progress,
    ) -> CoachingResult:
        """The model's refinement, charged to the tenant; offline (with a note) once it's spent."""
        if self._limits is not None and not await self._limits.has_budget(who(message)):
            self._observer.fell_back("budget")
            return offline.model_copy(update={"reply": f"{offline.reply}\n\n{BUDGET_NOTE}"})
        memory = await self._store.recent_turns(
            who=who(message), thread=message.thread, limit=self._memory_turns
        )
        tally = TokenTally()
        refined = await llm.refine(
            message=message, offline=offline, memory=memory, tally=tally, progress=progress
        )
        if self._limits is not None:
            await self._limits.spend(who(message), tally)
        return refined

    def validate(self, text: str) -> None:
        """Reject empty or oversized input before any work or any write."""
        if not text.strip():
            raise CoachingError(
                "input.empty",
                "There's nothing to coach yet: tell me about a deal, or paste a draft.",
            )
        if len(text) > self._max_input_chars:
            raise CoachingError(
                "input.too_large",
                f"That's {len(text):,} characters; the limit is {self._max_input_chars:,}. "
                "Paste the part you want coached, or upload the file for a proposal review.",
            )

    async def commitments(
        self, who: UserRef, statuses: Sequence[CommitmentStatus] | None = OPEN_STATUSES
    ) -> list[Commitment]:
        return await self._store.list_commitments(who=who, statuses=statuses)

    async def set_commitment_status(
        self, who: UserRef, commitment_id: int, status: CommitmentStatus
    ) -> Commitment:
        changed = await self._store.set_commitment_status(
            who=who, commitment_id=commitment_id, status=status
        )
        if changed is None:
            raise CoachingError(
                "commitment.not_found", f"You have no commitment with id {commitment_id}."
            )
        return changed

    async def explain_answer(self, who: UserRef, key: str) -> str:
        """The reasoning behind one of this user's earlier answers, read from the stored
        result, so a "Why?" pressed days later explains what the rep saw then."""
        result = await self._store.find_own_result(who=who, key=key)
        return GONE if result is None else explain(result)

    async def submit_trust_check(
        self, who: UserRef, answers: Sequence[int], at: datetime
    ) -> TrustReport:
        """Score and store a trust self-assessment; the report carries the trend."""
        assessment, history = await self._trust_check().submit(who, answers, at)
        return build_report(assessment, history)

    async def trust_history(self, who: UserRef, limit: int = 12) -> list[Assessment]:
        """This user's self-assessments, newest first (for a trend on a home tab)."""
        return await self._trust_check().history(who, limit)

    def _trust_check(self) -> TrustCheck:
        if self._trust is None:
            raise CoachingError(
                "feature.unavailable", "The trust self-assessment isn't set up on this server."
            )
        return self._trust


def who(message: IncomingMessage) -> UserRef:
    return UserRef(platform=message.platform, tenant=message.tenant, user=message.user)
