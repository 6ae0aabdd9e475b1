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
from coaching.llm.capabilities import Mode
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
) -> tuple[str, str]:
    """The system and user prompts for `message`, asking for the answer as `mode` can.

    Everything that came from a person (the text, the thread, the evidence quoted from it,
    the commitments) is redacted and sits inside data blocks closed by `boundary`, a fresh
    random one unless a test fixes it.
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
    applicable = [books[b] for b in offline.playbooks if b in books] or list(books.values())
    system = render_prompt(
        "coach/system.j2",
        role=(message.role or Role.REP).value,
        playbooks=applicable,
        codes=sorted(FINDING_CODES),
        schema=None if mode is Mode.JSON_SCHEMA else json.dumps(strict_schema()),
        boundary=fence,
    )
    user = render_prompt(
        "coach/user.j2",
        weekday=message.now.strftime("%A"),
        today=message.now.date().isoformat(),
        boundary=fence,
        text=text,
        memory=turns,
        findings=findings,
        commitments=commitments,
    )
    return system, user
