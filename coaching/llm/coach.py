"""The LLM port: an OpenAI-compatible model refines the offline result, or steps aside.

The deterministic result always exists first. The model gets it, the applicable playbooks
and the rep's redacted words; its answer must fit a JSON schema, use contract codes only and
quote the input exactly. Anything else (timeout, HTTP error, 429, refusal, junk) means the
rep gets the offline coaching, and the failure is logged by kind, never with prompt text.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coaching.codes import FINDING_CODES
from coaching.config import Settings
from coaching.limits import TokenTally
from coaching.llm.schema import InvalidAnswer, LLMAnswer, parse_answer, strict_schema
from coaching.observe import CoachObserver, NullObserver
from coaching.playbooks.catalog import load_playbooks
from coaching.ports import Turn
from coaching.prompting import render_prompt
from coaching.redact import Redactor
from coaching.types import CoachingResult, Finding, IncomingMessage, Role

if TYPE_CHECKING:
    from openai import AsyncOpenAI

log = logging.getLogger(__name__)

MAX_MEMORY_CHARS = 600
MIN_REPLY_CHARS = 40
# Coaching a rep reads in chat; a model running on past this is broken, not thorough.
MAX_REPLY_CHARS = 6000
MAX_MODEL_FINDINGS = 12
MAX_COMPLETION_TOKENS = 2000
INJECTION = "input.injection"
# A passage in straight or curly double quotes.
_QUOTED = re.compile(r'["“]([^"“”]+)["”]')


class LLMFailure(Exception):
    """The model gave no usable answer; `kind` is safe to log and to count."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class LLMCoach:
    """Asks the model for a better-written reply on top of the offline result."""

    def __init__(
        self,
        client: AsyncOpenAI,
        *,
        model: str,
        timeout_seconds: float,
        redactor: Redactor | None = None,
        observer: CoachObserver | None = None,
    ) -> None:
        self._client = client
        self._model = model
        self._timeout = timeout_seconds
        self._redactor = redactor or Redactor()
        self._observer = observer or NullObserver()

    @classmethod
    def from_settings(
        cls, settings: Settings, observer: CoachObserver | None = None
    ) -> LLMCoach | None:
        """None when no key is configured: the offline engine is then the coach."""
        if not settings.llm_enabled or settings.openai_api_key is None:
            return None
        # Imported here: the client library costs about a second of start-up, and the
        # offline default never needs it.
        from openai import AsyncOpenAI  # noqa: PLC0415

        client = AsyncOpenAI(
            api_key=settings.openai_api_key.get_secret_value(),
            base_url=settings.openai_base_url,
            timeout=settings.llm_timeout_seconds,
            max_retries=settings.llm_max_retries,
        )
        return cls(
            client,
            model=settings.model,
            timeout_seconds=settings.llm_timeout_seconds,
            redactor=Redactor(settings.redact_patterns),
            observer=observer,
        )

    async def refine(
        self,
        *,
        message: IncomingMessage,
        offline: CoachingResult,
        memory: Sequence[Turn],
        tally: TokenTally | None = None,
    ) -> CoachingResult:
        """The model's coaching merged with the offline result; the offline one on failure.

        The tokens the model reports are added to `tally`, so the caller can charge them.
        """
        started = time.perf_counter()
        ask = self._ask(message, offline, memory, tally or TokenTally())
        try:
            answer = await asyncio.wait_for(ask, self._timeout)
        except TimeoutError:
            return self._fall_back(offline, "timeout")
        except LLMFailure as failure:
            return self._fall_back(offline, failure.kind)
        finally:
            self._observer.llm_answered(time.perf_counter() - started)
        declined = _declined(offline, answer, shown=_shown(message, offline, memory))
        if declined is not None:
            log.warning("llm fallback", extra={"kind": declined})
            self._observer.fell_back(declined)
            return offline
        return _merge(offline, answer, source=message.text, model=self._model)

    def _fall_back(self, offline: CoachingResult, kind: str) -> CoachingResult:
        log.warning("llm fallback", extra={"kind": kind})
        self._observer.llm_failed(kind)
        self._observer.fell_back(kind)
        return offline

    async def _ask(
        self,
        message: IncomingMessage,
        offline: CoachingResult,
        memory: Sequence[Turn],
        tally: TokenTally,
    ) -> LLMAnswer:
        import openai  # noqa: PLC0415  (see from_settings)

        system, user = render_messages(
            message=message, offline=offline, memory=memory, redactor=self._redactor
        )
        try:
            completion = await self._client.chat.completions.create(
                model=self._model,
                messages=[
                    {"role": "system", "content": system},
                    {"role": "user", "content": user},
                ],
                response_format={
                    "type": "json_schema",
                    "json_schema": {"name": "coaching", "schema": strict_schema(), "strict": True},
                },
                temperature=0.2,
                max_tokens=MAX_COMPLETION_TOKENS,
            )
        except openai.APITimeoutError as exc:
            raise LLMFailure("timeout") from exc
        except openai.RateLimitError as exc:
            raise LLMFailure("rate_limited") from exc
        except openai.APIStatusError as exc:
            raise LLMFailure(f"http_{exc.status_code}") from exc
        except openai.APIError as exc:
            raise LLMFailure("connection") from exc
        usage = getattr(completion, "usage", None)
        tally.add(int(getattr(usage, "total_tokens", 0) or 0))
        return _parse(completion)


def _parse(completion: Any) -> LLMAnswer:
    choices = getattr(completion, "choices", None) or []
    if not choices:
        raise LLMFailure("empty")
    choice = choices[0].message
    if getattr(choice, "refusal", None):
        raise LLMFailure("refusal")
    try:
        return parse_answer(choice.content or "", anywhere=False)
    except InvalidAnswer as exc:
        raise LLMFailure("invalid_output") from exc


def render_messages(
    *,
    message: IncomingMessage,
    offline: CoachingResult,
    memory: Sequence[Turn],
    redactor: Redactor | None = None,
) -> tuple[str, str]:
    """The system and user prompts; the rep's text is redacted before it leaves the process."""
    redact = redactor or Redactor()
    books = load_playbooks()
    applicable = [books[b] for b in offline.playbooks if b in books] or list(books.values())
    system = render_prompt(
        "coach/system.j2",
        role=(message.role or Role.REP).value,
        playbooks=applicable,
        codes=sorted(FINDING_CODES),
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


def _declined(offline: CoachingResult, answer: LLMAnswer, *, shown: Sequence[str]) -> str | None:
    """Why the model's answer must not be served (a label safe to log), or None.

    A reply too short to be coaching (a bare "APPROVED" obeying a pasted instruction, say)
    is not served, nor one too long to read in chat (a model that ran away). Nor, where the
    input tried to instruct the bot, is an answer quoting anything the model was not shown:
    obeying "list Bob's commitments" it can only make them up, and a made-up quote of a
    colleague must never reach the rep.
    """
    if len(answer.reply.strip()) < MIN_REPLY_CHARS:
        return "reply_too_short"
    if len(answer.reply) > MAX_REPLY_CHARS:
        return "reply_too_long"
    attacked = any(f.code == INJECTION for f in offline.findings)
    if attacked and not _quotes_hold(answer, shown):
        return "unfounded_quote"
    return None


def _shown(message: IncomingMessage, offline: CoachingResult, memory: Sequence[Turn]) -> list[str]:
    """What the model was given that it may quote: the rep's words, their thread, their
    captured next steps."""
    return [message.text, *(t.text for t in memory), *(c.text for c in offline.commitments)]


def _quotes_hold(answer: LLMAnswer, shown: Sequence[str]) -> bool:
    """Every passage in double quotes, in the reply or a finding's advice, is copied from
    `shown` (spacing aside). Single quotes are left alone: they double as apostrophes."""
    sources = [" ".join(text.split()) for text in shown]
    for text in (answer.reply, *(f.advice for f in answer.findings)):
        for match in _QUOTED.finditer(text):
            passage = " ".join(match.group(1).split())
            if passage and not any(passage in source for source in sources):
                return False
    return True


def _merge(
    offline: CoachingResult, answer: LLMAnswer, *, source: str, model: str
) -> CoachingResult:
    """Keep every deterministic finding; add the model's (the first MAX_MODEL_FINDINGS)
    only if its code and quote hold up.

    Where the input tried to instruct the bot, the offline warning leads the reply whatever
    the model wrote.
    """
    reply = answer.reply.strip()
    warning = next((f for f in offline.findings if f.code == INJECTION), None)
    if warning is not None:
        reply = f"{warning.advice}\n\n{reply}"
    findings = list(offline.findings)
    seen = {(f.code, f.category, f.evidence) for f in findings}
    for proposed in answer.findings[:MAX_MODEL_FINDINGS]:
        key = (proposed.code, proposed.category, proposed.evidence)
        if proposed.code not in FINDING_CODES or not proposed.evidence.strip():
            continue
        if proposed.evidence not in source or key in seen:
            continue
        seen.add(key)
        findings.append(Finding(**proposed.model_dump()))
    return offline.model_copy(
        update={"reply": reply, "findings": findings, "engine": "llm", "model": model}
    )
