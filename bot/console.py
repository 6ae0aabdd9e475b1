"""The console adapter: the same service and results as Slack and Teams, in a terminal.

A terminal gets rich formatting; piped input gets plain lines, one answer per message
(`bot.console_input` says how lines become messages), and the session ends at end of input,
so the console is scriptable and testable.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.console_ids import CONSOLE_TENANT
from bot.console_input import (
    PASTE_COMMAND,
    Lines,
    read_message,
    read_proposal,
    read_until_dot,
)
from bot.reply_numbers import numbered_reply
from bot.scorecard_text import review_text
from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.replies.explain import explain
from coaching.review.service import ReviewService
from coaching.service import CoachService
from coaching.team.privacy import PrivacyService
from coaching.trust_check import SCALE_HELP, STATEMENTS, TrustCheck, TrustReport, build_report
from coaching.types import CoachingResult, IncomingMessage, MessageKind, Platform, Role

if TYPE_CHECKING:
    from rich.console import Console

    from bot.chat_commands import CommitmentCommands

HELP = """Commands:
  /help              this list
  /paste             paste a long message; end it with a line holding a single .
  /why               the reasoning behind the last answer
  /commitments       your open, snoozed and suggested next steps, numbered
  /accept N          track suggestion N (the number in [N] or from /commitments)
  /done N            mark N kept
  /snooze N [days|YYYY-MM-DD]  put N aside (default: two working days)
  /dismiss N         suggestion N is not a commitment
  /proposal-review   paste a proposal or outline; end the paste with an empty line
  /trust-check       rate twelve statements (1-5) and see your trust equation
  /forget-me         delete everything the coach stores about you (asks first)
  /quit              leave (Ctrl-D works too)
Anything else is a coaching question: a deal update, a draft email, a call plan.
A paste into this terminal is one message. Piped in, each line is one message, except an
email: a first line like "Hi Dana," (or an indented next line) starts one, and it runs to
a /command, a blank line before another greeting, a blank line after its sign-off
("Best,", "Thanks,"), or the end of input."""
COMMANDS = (
    "/help, /paste, /why, /commitments, /accept N, /done N, /snooze N, /dismiss N, "
    "/proposal-review, /trust-check, /forget-me, /quit"
)


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


def render_numbered(result: CoachingResult) -> str:
    """`render_text` with each commitment's number, which the chat's commands take."""
    numbered = numbered_reply(result.reply, result.commitments)
    return render_text(result.model_copy(update={"reply": numbered}))


def _terminal() -> Console:
    """rich, imported only when a terminal chat starts: every other `coach` process
    (`coach serve` above all) imports this module for its constants and never draws."""
    from rich.console import Console

    return Console()


class ConsoleChat:
    """A read-eval-print loop over the coaching service."""

    def __init__(
        self,
        service: CoachService,
        trust: TrustCheck,
        review: ReviewService,
        identity: Identity,
        commitments: CommitmentCommands,
        *,
        as_json: bool,
        privacy: PrivacyService | None = None,
    ) -> None:
        self._commitments = commitments
        self._last: CoachingResult | None = None
        self._privacy = privacy
        self._service = service
        self._trust = trust
        self._review = review
        self._identity = identity
        self._as_json = as_json
        self._rich = _terminal() if sys.stdout.isatty() and not as_json else None

    async def run(self, source: Iterator[str], *, piped: bool) -> None:
        """Coach each message; a turn that fails is answered with its error and the next
        message is read, so one bad message never ends a piped session. `piped` input
        groups an email's lines into one message (a terminal marks its pastes instead)."""
        if self._rich is not None:
            self._rich.print("[bold]salescoach[/bold] - type /help for commands, /quit to leave.")
        lines = Lines(source)
        while True:
            if self._rich is not None:
                print("you> ", end="", flush=True)
            message = read_message(lines, piped=piped)
            if message is None:
                return
            text = message.strip()
            if text in {"/quit", "/exit"}:
                return
            if text:
                await self._turn(text, lines)

    async def _turn(self, text: str, lines: Lines) -> None:
        name = text.split(maxsplit=1)[0]
        try:
            if text == "/help":
                self._say(HELP)
            elif text == "/why":
                self._say(explain(self._last))
            elif text == PASTE_COMMAND:
                await self._paste(lines)
            elif self._commitments.handles(name):
                await self._commitment_command(text)
            elif text == "/proposal-review":
                await self._review_paste(read_proposal(lines))
            elif text == "/trust-check":
                await self._trust_check(lines)
            elif text == "/forget-me":
                await self._forget_me(lines)
            elif text.startswith("/"):
                self._say(f"I don't know {name}. Commands: {COMMANDS}.")
            else:
                await self._coach(text, MessageKind.CHAT)
        except CoachingError as error:
            self._say(error.message, error=error)

    async def _paste(self, lines: Lines) -> None:
        if self._rich is not None:
            self._say("Paste your message, then a line with a single . to send it.")
        await self._coach(read_until_dot(lines), MessageKind.CHAT)

    async def _commitment_command(self, text: str) -> None:
        answer = await self._commitments.run(text)
        if self._as_json:
            print(json.dumps(answer.data), flush=True)
        else:
            self._say(answer.text)

    async def _coach(self, text: str, kind: MessageKind) -> None:
        result = await self._service.handle(self._identity.message(text, kind))
        self._last = result
        if self._as_json:
            print(result.model_dump_json(), flush=True)
            return
        shown = render_numbered(result)
        if self._rich is not None:
            from rich.panel import Panel
            from rich.text import Text

            self._rich.print(Panel(Text(shown), title="coach", expand=False))
        else:
            print(shown, flush=True)

    async def _review_paste(self, text: str) -> None:
        outcome = await self._review.review(self._identity.message(text), title=None)
        self._last = outcome.result
        if self._as_json:
            print(outcome.model_dump_json(), flush=True)
        else:
            self._say(review_text(render_numbered(outcome.result), outcome))

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
        report.meaning,
        report.advice,
    ]
    if report.trend:
        lines.append(report.trend)
    return "\n".join(lines)
