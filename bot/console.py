"""The console adapter: the same service and results as Slack and Teams, in a terminal.

A terminal gets rich formatting; piped input gets plain lines, one answer per input line,
and the session ends at end of input, so the console is scriptable and testable.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from rich.console import Console
from rich.panel import Panel

from bot.scorecard_text import review_text
from coaching.ports import UserRef
from coaching.privacy import PrivacyService
from coaching.review import ReviewService
from coaching.service import CoachService
from coaching.trust_check import SCALE_HELP, STATEMENTS, TrustCheck, TrustReport, build_report
from coaching.types import (
    CoachingError,
    CoachingResult,
    Commitment,
    IncomingMessage,
    MessageKind,
    Platform,
    Role,
)

CONSOLE_TENANT = "console"

HELP = """Commands:
  /help              this list
  /commitments       your open and overdue next steps
  /proposal-review   paste a proposal or outline; end the paste with an empty line
  /trust-check       rate twelve statements (1-5) and see your trust equation
  /forget-me         delete everything the coach stores about you (asks first)
  /quit              leave (Ctrl-D works too)
Anything else is a coaching question: a deal update, a draft email, a call plan."""


@dataclass(frozen=True)
class Identity:
    user: str
    role: Role | None
    clock: Callable[[], datetime]

    def ref(self) -> UserRef:
        return UserRef(platform=Platform.CONSOLE, tenant=CONSOLE_TENANT, user=self.user)

    def message(self, text: str, kind: MessageKind = MessageKind.CHAT) -> IncomingMessage:
        return IncomingMessage(
            platform=Platform.CONSOLE,
            tenant=CONSOLE_TENANT,
            user=self.user,
            role=self.role,
            text=text,
            now=self.clock(),
            kind=kind,
        )


def render_text(result: CoachingResult) -> str:
    """The reply as plain text, with findings' codes so a rep can look them up."""
    lines = [result.reply]
    if result.findings:
        codes = ", ".join(dict.fromkeys(f.code for f in result.findings))
        lines.append(f"[{codes}]")
    return "\n".join(lines)


def render_commitments(commitments: list[Commitment], today: datetime) -> str:
    if not commitments:
        return "No open commitments. Nice and tidy."
    rows = []
    for c in commitments:
        overdue = c.due is not None and c.due < today.date()
        due = c.due.isoformat() if c.due else "no date"
        flag = " (overdue)" if overdue else ""
        rows.append(f"#{c.id} [{c.status.value}] {c.text} - due {due}{flag}")
    return "\n".join(rows)


class ConsoleChat:
    """A read-eval-print loop over the coaching service."""

    def __init__(
        self,
        service: CoachService,
        trust: TrustCheck,
        review: ReviewService,
        identity: Identity,
        *,
        as_json: bool,
        privacy: PrivacyService | None = None,
    ) -> None:
        self._privacy = privacy
        self._service = service
        self._trust = trust
        self._review = review
        self._identity = identity
        self._as_json = as_json
        self._rich = Console() if sys.stdout.isatty() and not as_json else None

    async def run(self, lines: Iterator[str]) -> None:
        """Coach each line; a turn that fails is answered with its error and the next
        line is read, so one bad line never ends a piped session."""
        if self._rich is not None:
            self._rich.print("[bold]salescoach[/bold] - type /help for commands, /quit to leave.")
        for raw in _prompted(lines, interactive=self._rich is not None):
            text = raw.strip()
            if text in {"/quit", "/exit"}:
                break
            if text:
                await self._turn(text, lines)

    async def _turn(self, text: str, lines: Iterator[str]) -> None:
        try:
            if text == "/help":
                self._say(HELP)
            elif text == "/commitments":
                items = await self._service.commitments(self._identity.ref())
                self._say(render_commitments(items, self._identity.clock()))
            elif text == "/proposal-review":
                await self._review_paste(_read_paste(lines))
            elif text == "/trust-check":
                await self._trust_check(lines)
            elif text == "/forget-me":
                await self._forget_me(lines)
            elif text.startswith("/"):
                self._say(f"I don't know {text.split(maxsplit=1)[0]}. Type /help for the commands.")
            else:
                await self._coach(text, MessageKind.CHAT)
        except CoachingError as error:
            self._say(error.message, error=error)

    async def _coach(self, text: str, kind: MessageKind) -> None:
        result = await self._service.handle(self._identity.message(text, kind))
        if self._as_json:
            print(result.model_dump_json(), flush=True)
        elif self._rich is not None:
            self._rich.print(Panel(render_text(result), title="coach", expand=False))
        else:
            print(render_text(result), flush=True)

    async def _review_paste(self, text: str) -> None:
        outcome = await self._review.review(self._identity.message(text), title=None)
        if self._as_json:
            print(outcome.model_dump_json(), flush=True)
        else:
            self._say(review_text(render_text(outcome.result), outcome))

    async def _trust_check(self, lines: Iterator[str]) -> None:
        answers = ask_statements(lines, self._say, interactive=self._rich is not None)
        if answers is None:
            self._say("Self-assessment cancelled; nothing was saved.")
            return
        assessment, history = await self._trust.submit(
            self._identity.ref(), answers, self._identity.clock()
        )
        report = build_report(assessment, history)
        if self._as_json:
            print(report.model_dump_json(), flush=True)
        else:
            self._say(render_trust(report))

    async def _forget_me(self, lines: Iterator[str]) -> None:
        """Delete the user's data only after an explicit "yes": it cannot be undone."""
        if self._privacy is None:
            raise CoachingError("feature.unavailable", "Forgetting isn't set up here.")
        self._say('This deletes everything the coach stores about you. Type "yes" to confirm.')
        if (next(lines, None) or "").strip().lower() != "yes":
            self._say("Nothing was deleted.")
            return
        deleted = await self._privacy.forget(self._identity.ref())
        self._say(f"Done: {sum(deleted.values())} stored item(s) about you were deleted.")

    def _say(self, text: str, error: CoachingError | None = None) -> None:
        if self._as_json:
            payload = error.to_json() if error else {"reply": text}
            print(json.dumps(payload), flush=True)
        elif self._rich is not None:
            self._rich.print(text, markup=False)
        else:
            print(text, flush=True)


def ask_statements(
    lines: Iterator[str], say: Callable[[str], None], *, interactive: bool
) -> tuple[int, ...] | None:
    """One 1-5 answer per statement; None if the user types /cancel or input ends."""
    say(f"Trust self-assessment: {len(STATEMENTS)} statements. {SCALE_HELP}. /cancel stops.")
    answers: list[int] = []
    for number, statement in enumerate(STATEMENTS, start=1):
        while True:
            if interactive:
                say(f"{number}/{len(STATEMENTS)} {statement.text}")
            line = next(lines, None)
            if line is None or line.strip() == "/cancel":
                return None
            if line.strip() in {"1", "2", "3", "4", "5"}:
                answers.append(int(line))
                break
            say(f"Please answer {number} with a number from 1 to 5 ({SCALE_HELP}).")
    return tuple(answers)


def render_trust(report: TrustReport) -> str:
    s = report.scores
    lines = [
        f"Credibility {s.credibility:g}, reliability {s.reliability:g}, intimacy "
        f"{s.intimacy:g}, self-orientation {s.self_orientation:g} (lower is better).",
        f"Trust = (C + R + I) / S = {s.trust:g}",
        report.advice,
    ]
    if report.trend:
        lines.append(report.trend)
    return "\n".join(lines)


def _prompted(lines: Iterator[str], *, interactive: bool) -> Iterator[str]:
    while True:
        if interactive:
            print("you> ", end="", flush=True)
        line = next(lines, None)
        if line is None:
            return
        yield line


def _read_paste(lines: Iterator[str]) -> str:
    """Lines up to the first empty one (or end of input): a pasted proposal."""
    collected: list[str] = []
    for line in lines:
        if not line.strip():
            break
        collected.append(line.rstrip("\n"))
    return "\n".join(collected)
