"""The system and user prompts for one coaching turn.

The rep's text is redacted before it leaves the process, and everything a person wrote is
fenced in data blocks (see `boundary`). Where the server cannot be held to the schema (JSON
mode, plain text), the schema goes into the system prompt instead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from coaching.codes import FINDING_CODES
from coaching.llm.boundary import new_boundary
from coaching.llm.budget import PromptTooLarge, estimate_tokens, trim_middle
from coaching.llm.capabilities import Mode
from coaching.llm.definitions import CODE_MEANINGS, FORMATTING, NEVER_CATEGORIES, SEVERITY_RUBRIC
from coaching.llm.schema import strict_schema
from coaching.playbooks.catalog import load_playbooks
from coaching.ports import Turn
from coaching.prompting import render_prompt
from coaching.redact import Redactor
from coaching.types import CoachingResult, IncomingMessage, Role

MAX_MEMORY_CHARS = 600


def render_messages(
    *,
    message: IncomingMessage,
    offline: CoachingResult,
    memory: Sequence[Turn],
    redactor: Redactor | None = None,
    mode: Mode = Mode.JSON_SCHEMA,
    boundary: str | None = None,
    budget_tokens: int | None = None,
) -> tuple[str, str]:
    """The system and user prompts for `message`, asking for the answer as `mode` can.

    Everything that came from a person (the text, the thread, the evidence quoted from it,
    the commitments) is redacted and sits inside data blocks closed by `boundary`, a fresh
    random one unless a test fixes it. Only the playbooks the offline engine applied are
    included. With `budget_tokens`, the oldest memory, then the code definitions and the
    worked example, then the middle of the text give way until the prompt fits (`budget`);
    `PromptTooLarge` if it still does not.
    """
    redact = redactor or Redactor()
    text = redact(message.text)
    turns = [{"speaker": t.speaker, "text": redact(t.text[:MAX_MEMORY_CHARS])} for t in memory]
    findings = [f.model_copy(update={"evidence": redact(f.evidence)}) for f in offline.findings]
    commitments = [c.model_copy(update={"text": redact(c.text)}) for c in offline.commitments]
    untrusted = [text, *(t["text"] for t in turns), *(f.evidence for f in findings)]
    untrusted += [c.text for c in commitments]
    fence = boundary or new_boundary(untrusted)
    books = load_playbooks()

    def system_prompt(compact: bool) -> str:
        return render_prompt(
            "coach/system.j2",
            role=(message.role or Role.REP).value,
            playbooks=[books[b] for b in offline.playbooks if b in books],
            codes=[(code, CODE_MEANINGS[code]) for code in sorted(FINDING_CODES)],
            compact=compact,
            severity_rubric=SEVERITY_RUBRIC,
            categories=NEVER_CATEGORIES,
            formatting=FORMATTING[message.platform.value],
            kind=message.kind.value,
            schema=None if mode is Mode.JSON_SCHEMA else json.dumps(strict_schema()),
            boundary=fence,
        )

    def user_prompt(text: str, turns: list[dict[str, str]]) -> str:
        return render_prompt(
            "coach/user.j2",
            kind=message.kind.value,
            weekday=message.now.strftime("%A"),
            today=message.now.date().isoformat(),
            boundary=fence,
            text=text,
            memory=turns,
            findings=findings,
            commitments=commitments,
        )

    system, user = system_prompt(compact=False), user_prompt(text, turns)
    if budget_tokens is None:
        return system, user
    while turns and _over(system, user, budget_tokens) > 0:
        turns = turns[1:]
        user = user_prompt(text, turns)
    if _over(system, user, budget_tokens) > 0:
        system = system_prompt(compact=True)
    overflow = _over(system, user, budget_tokens)
    if overflow > 0:
        user = user_prompt(trim_middle(text, overflow), turns)
    if _over(system, user, budget_tokens) > 0:
        raise PromptTooLarge
    return system, user


def _over(system: str, user: str, budget_tokens: int) -> int:
    """Estimated tokens by which the two prompts exceed the budget (negative: room left)."""
    return estimate_tokens(system) + estimate_tokens(user) - budget_tokens
