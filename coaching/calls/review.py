"""CallService: one call transcript reviewed and stored as one coaching turn.

The rep's own turns, joined, go through `CoachService` like any chat turn, so features
before needs, bluffing, seller-centric talk and undated promises come from the same
playbooks, the same LLM refinement and the same store. On top, this adds what only a call
has: the talk ratio and longest monologue (as findings when they cross a threshold) and
the promises the customer made, stored with `party: customer`. Dates are read relative
to the call's own date when the file carries one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_serializer

from coaching.calls.measure import (
    CallStats,
    call_findings,
    length_text,
    measure,
    monologue_length,
)
from coaching.calls.speakers import RepChoice, choose_rep
from coaching.calls.transcript import Transcript
from coaching.commitments.extract import extract_commitments
from coaching.progress import NO_PROGRESS, Progress
from coaching.service import CoachService
from coaching.types import (
    CoachingResult,
    Commitment,
    CommitmentStatus,
    IncomingMessage,
    MessageKind,
    Party,
)


class CallSummary(BaseModel):
    """The `call` object of the JSON output: the scorecard of the call itself."""

    model_config = ConfigDict(frozen=True)

    rep: str
    rep_reason: str
    speakers: list[str]
    date: date | None
    talk_ratio: float
    longest_monologue_seconds: float | None
    longest_monologue_words: int
    next_step_agreed: bool

    @property
    def longest_monologue(self) -> str:
        return length_text(self.longest_monologue_seconds, self.longest_monologue_words)


class CallOutcome(BaseModel):
    """A call review as adapters render it: the contract's result plus a `call` object."""

    model_config = ConfigDict(frozen=True)

    result: CoachingResult
    call: CallSummary
    first_time: bool = Field(default=True, exclude=True)

    @model_serializer(mode="wrap")
    def _flatten(self, handler: Any) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {**data.pop("result"), **data}

    def scorecard_text(self) -> str:
        """The call scorecard as plain lines, for every adapter to append to the reply."""
        call = self.call
        return "\n".join(
            [
                f"Call scorecard ({call.rep} as the rep, because {call.rep_reason}):",
                f"\u2022 Your talk ratio: {call.talk_ratio:.0%} of the words",
                f"\u2022 Your longest monologue: {call.longest_monologue}",
                f"\u2022 Next step agreed with a date: {'yes' if call.next_step_agreed else 'no'}",
            ]
        )


class CallService:
    """Reviews a parsed transcript through the coach and stores it as one turn."""

    def __init__(self, coach: CoachService) -> None:
        self._coach = coach

    async def review(
        self,
        message: IncomingMessage,
        transcript: Transcript,
        *,
        rep: str | None = None,
        company: str | None = None,
        progress: Progress = NO_PROGRESS,
    ) -> CallOutcome:
        """Review one call. Raises CoachingError (nothing stored) for a rep not in the call.

        `message` carries who asks and their clock; its text is replaced by the rep's turns.
        `progress` hears the coaching steps as they start.
        """
        choice = choose_rep(
            transcript, named=rep, company=company, user_name=message.user_name or message.user
        )
        now = call_clock(message.now, transcript.recorded)
        own = "\n".join(t.text for t in transcript.turns if t.speaker == choice.speaker)
        stats = measure(transcript, choice.speaker)
        theirs = customer_commitments(transcript, choice.speaker, now)
        turn = message.model_copy(update={"text": own, "now": now, "kind": MessageKind.CHAT})

        def finish(result: CoachingResult) -> CoachingResult:
            said = {c.text.casefold() for c in result.commitments}
            added = [c for c in theirs if c.text.casefold() not in said]
            return result.model_copy(
                update={
                    "findings": [*call_findings(stats), *result.findings],
                    "commitments": [*result.commitments, *added],
                    "reply": "\n\n".join(
                        [call_lead(choice, stats), result.reply, *_their_steps(added)]
                    ),
                }
            )

        saved = await self._coach.process(turn, finish, progress=progress)
        summary = CallSummary(
            rep=choice.speaker,
            rep_reason=choice.reason,
            speakers=transcript.speakers,
            date=now.date(),
            talk_ratio=stats.talk_ratio,
            longest_monologue_seconds=stats.longest_seconds,
            longest_monologue_words=stats.longest_words,
            next_step_agreed=next_step_agreed(saved.result.commitments),
        )
        return CallOutcome(result=saved.result, call=summary, first_time=saved.first_time)


def call_clock(now: datetime, recorded: date | None) -> datetime:
    """The clock for the call's dates: its recorded day at the user's time, else now."""
    if recorded is None:
        return now
    return datetime.combine(recorded, now.timetz())


def customer_commitments(transcript: Transcript, rep: str, now: datetime) -> list[Commitment]:
    """What the other speakers promised ("I'll send you our volumes by Friday"), as their
    commitments: `party: customer`, with the speaker as counterpart; a promise repeated
    later in the call ("so, volumes by Friday") is kept once."""
    found: dict[tuple[str, str, date | None], Commitment] = {}
    for turn in transcript.turns:
        if turn.speaker == rep:
            continue
        for commitment in extract_commitments(turn.text, now).commitments:
            who = commitment.counterpart or turn.speaker
            key = (who, commitment.text.casefold(), commitment.due)
            found.setdefault(
                key, commitment.model_copy(update={"party": Party.CUSTOMER, "counterpart": who})
            )
    return list(found.values())


def next_step_agreed(commitments: list[Commitment]) -> bool:
    """A dated step either side actually said, not one the coach only suggests."""
    return any(
        c.due is not None and c.status is not CommitmentStatus.SUGGESTED for c in commitments
    )


def _their_steps(commitments: list[Commitment]) -> list[str]:
    """The customer's promises as a line each, so the rep can hold them to it."""
    lines = []
    for commitment in commitments:
        when = (
            f"by {commitment.due:%a} {commitment.due.day} {commitment.due:%b}"
            if commitment.due
            else "no date set"
        )
        lines.append(f"Their next step: {commitment.counterpart} will {commitment.text}, {when}.")
    return lines


def call_lead(choice: RepChoice, stats: CallStats) -> str:
    """The opening line of the reply: the call's shape before the playbook coaching."""
    line = (
        f"On this call {choice.speaker} (the rep) spoke {stats.talk_ratio:.0%} of the words; "
        f"the longest stretch without the customer ran {monologue_length(stats)}."
    )
    if stats.long_monologue:
        line += " Break long explanations with a question about what they need."
    return line
