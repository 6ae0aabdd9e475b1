"""The system and user prompts for one coaching turn.

The rep's text is redacted before it leaves the process. Where the server cannot be held to
the schema (JSON mode, plain text), the schema goes into the system prompt instead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from coaching.codes import FINDING_CODES
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
) -> tuple[str, str]:
    """The system and user prompts for `message`, asking for the answer as `mode` can."""
    redact = redactor or Redactor()
    books = load_playbooks()
    applicable = [books[b] for b in offline.playbooks if b in books] or list(books.values())
    system = render_prompt(
        "coach/system.j2",
        role=(message.role or Role.REP).value,
        playbooks=applicable,
        codes=sorted(FINDING_CODES),
        schema=None if mode is Mode.JSON_SCHEMA else json.dumps(strict_schema()),
    )
    user = render_prompt(
        "coach/user.j2",
        today=message.now.date().isoformat(),
        text=redact(message.text),
        memory=[{"speaker": t.speaker, "text": redact(t.text[:MAX_MEMORY_CHARS])} for t in memory],
        findings=offline.findings,
        commitments=offline.commitments,
    )
    return system, user
