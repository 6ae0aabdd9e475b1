"""The LLM port: an OpenAI-compatible model refines the offline result, or steps aside.

The deterministic result always exists first. The model gets it, the applicable playbooks
and the rep's redacted words; its answer must fit a JSON schema, use contract codes only and
quote the input exactly. Anything else (timeout, HTTP error, 429, refusal, junk) means the
rep gets the offline coaching, and the failure is logged by kind and the server's error
class, never with prompt text or the server's message (which may quote it).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coaching.llm.breaker import Breaker
from coaching.llm.budget import (
    PromptTooLarge,
    completion_allowance,
    estimate_tokens,
    prompt_allowance,
)
from coaching.llm.capabilities import (
    PROCESS_CAPABILITIES,
    Capabilities,
    Mode,
    error_class,
    is_reasoning_model,
    refuses_format,
    response_format,
    wants_reasoning_parameters,
)
from coaching.llm.gate import declined, merge, shown_to_model
from coaching.llm.messages import render_messages
from coaching.llm.schema import InvalidAnswer, LLMAnswer, parse_answer, strict_schema
from coaching.observe import CoachObserver, NullObserver
from coaching.ports import Turn
from coaching.progress import NO_PROGRESS, Progress, Step
from coaching.redact import Redactor
from coaching.team.limits import TokenTally
from coaching.types import CoachingResult, IncomingMessage

if TYPE_CHECKING:
    from openai import AsyncOpenAI

log = logging.getLogger(__name__)

MAX_COMPLETION_TOKENS = 2000
DEFAULT_CONTEXT_TOKENS = 16384
# A reasoning model spends part of its completion budget thinking before it writes.
REASONING_COMPLETION_TOKENS = 8000
TEMPERATURE = 0.2
# Failures that say the endpoint is down or overloaded (with any HTTP 5xx); they count
# towards the breaker. A 4xx is about the request, and a junk answer about the model.
OUTAGE_KINDS = frozenset({"timeout", "connection", "rate_limited"})


class LLMFailure(Exception):
    """The model gave no usable answer; `kind` is safe to log and to count.

    `detail` is the server's error class (an OpenAI error `type` or `code`, or the client's
    exception class), also a label: it tells an operator why without any request text.
    """

    def __init__(self, kind: str, detail: str | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.detail = detail


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
        reasoning: bool | None = None,
        capabilities: Capabilities | None = None,
        context_tokens: int = DEFAULT_CONTEXT_TOKENS,
        breaker: Breaker | None = None,
    ) -> None:
        self._client = client
        self._model = model
        self._timeout = timeout_seconds
        self._redactor = redactor or Redactor()
        self._observer = observer or NullObserver()
        self._reasoning = is_reasoning_model(model) if reasoning is None else reasoning
        self._capabilities = capabilities or PROCESS_CAPABILITIES
        self._endpoint = f"{client.base_url}|{model}"
        self._context = context_tokens
        self._breaker = breaker or Breaker(failures=0, cooldown_seconds=0)

    async def aclose(self) -> None:
        """Close the client's pooled keep-alive connections while their event loop still
        runs; left to the garbage collector they are closed on whatever loop runs then, or
        on none (an unclosed socket)."""
        await self._client.close()

    async def refine(
        self,
        *,
        message: IncomingMessage,
        offline: CoachingResult,
        memory: Sequence[Turn],
        tally: TokenTally | None = None,
        progress: Progress = NO_PROGRESS,
    ) -> CoachingResult:
        """The model's coaching merged with the offline result; the offline one on failure.

        The tokens the model reports are added to `tally`, so the caller can charge them;
        a call that timed out is charged its prompt's estimate. While the breaker is open
        (the endpoint kept failing) the model is not asked at all.
        """
        if not self._breaker.allow():
            self._observer.fell_back("breaker_open")
            return offline
        started = time.perf_counter()
        progress.step(Step.MODEL)
        ask = self._ask(message, offline, memory, tally or TokenTally())
        try:
            answer = await asyncio.wait_for(ask, self._timeout)
        except TimeoutError:
            return self._fall_back(offline, LLMFailure("timeout"))
        except LLMFailure as failure:
            return self._fall_back(offline, failure)
        finally:
            self._observer.llm_answered(time.perf_counter() - started)
        self._breaker.succeeded()
        progress.step(Step.CHECKING_MODEL)
        shown = shown_to_model(message, offline, memory)
        reason = declined(offline, answer, source=message.text, shown=shown)
        if reason is not None:
            _log_fallback(reason, None)
            self._observer.fell_back(reason)
            return offline
        return merge(offline, answer, source=message.text, model=self._model)

    def _fall_back(self, offline: CoachingResult, failure: LLMFailure) -> CoachingResult:
        if failure.kind in OUTAGE_KINDS or failure.kind.startswith("http_5"):
            self._breaker.failed()
        else:
            self._breaker.succeeded()
        _log_fallback(failure.kind, failure.detail)
        self._observer.llm_failed(failure.kind)
        self._observer.fell_back(failure.kind)
        return offline

    async def _ask(
        self,
        message: IncomingMessage,
        offline: CoachingResult,
        memory: Sequence[Turn],
        tally: TokenTally,
    ) -> LLMAnswer:
        """One answer, walking down the capability ladder while the server refuses a step."""
        import openai  # noqa: PLC0415  (see bot.wiring.model_coach)

        learned = self._capabilities.of(self._endpoint)
        mode = learned.mode
        while True:
            reasoning = self._reasoning or learned.reasoning
            wanted = REASONING_COMPLETION_TOKENS if reasoning else MAX_COMPLETION_TOKENS
            completion_tokens = completion_allowance(self._context, wanted)
            try:
                system, user = render_messages(
                    message=message,
                    offline=offline,
                    memory=memory,
                    redactor=self._redactor,
                    mode=mode,
                    budget_tokens=prompt_allowance(self._context, completion_tokens),
                )
            except PromptTooLarge as exc:
                raise LLMFailure("context_exceeded") from exc
            # Charged up front, so a call cut off by the timeout still counts its prompt.
            charged_before = tally.total
            tally.add(estimate_tokens(system) + estimate_tokens(user))
            request = self._request(system, user, mode, reasoning, completion_tokens)
            try:
                completion = await self._client.chat.completions.create(**request)
            except openai.APITimeoutError as exc:
                raise LLMFailure("timeout") from exc
            except openai.RateLimitError as exc:
                raise LLMFailure("rate_limited", error_class(exc.body)) from exc
            except openai.APIStatusError as exc:
                status, said = exc.status_code, str(exc.message)
                if not reasoning and wants_reasoning_parameters(status, said):
                    tally.total = charged_before  # refused: nothing was generated
                    self._capabilities.learn_reasoning(self._endpoint)
                    continue
                if mode is not Mode.TEXT and refuses_format(status, said):
                    tally.total = charged_before
                    mode = self._capabilities.step_down(self._endpoint, mode)
                    continue
                raise LLMFailure(f"http_{status}", error_class(exc.body)) from exc
            except openai.APIError as exc:
                raise LLMFailure("connection", type(exc).__name__) from exc
            usage = getattr(completion, "usage", None)
            reported = int(getattr(usage, "total_tokens", 0) or 0)
            if reported:
                tally.total = charged_before + reported
            return _parse(completion, mode)

    def _request(
        self, system: str, user: str, mode: Mode, reasoning: bool, completion_tokens: int
    ) -> dict[str, Any]:
        """The Chat Completions arguments: reasoning models take `max_completion_tokens`
        and no temperature, the others `max_tokens` and a low temperature."""
        request: dict[str, Any] = {
            "model": self._model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
        }
        shape = response_format(mode, strict_schema())
        if shape is not None:
            request["response_format"] = shape
        if reasoning:
            request["max_completion_tokens"] = completion_tokens
        else:
            request["temperature"] = TEMPERATURE
            request["max_tokens"] = completion_tokens
        return request


def _log_fallback(kind: str, detail: str | None) -> None:
    """One line an operator (or `coach ask` on stderr) can act on: why the model was not used."""
    reason = f"{kind}, {detail}" if detail else kind
    extra = {"kind": kind} if detail is None else {"kind": kind, "code": detail}
    log.warning("llm fallback (%s): served the offline coaching", reason, extra=extra)


def _parse(completion: Any, mode: Mode) -> LLMAnswer:
    choices = getattr(completion, "choices", None) or []
    if not choices:
        raise LLMFailure("empty")
    choice = choices[0]
    if getattr(choice.message, "refusal", None):
        raise LLMFailure("refusal")
    if getattr(choice, "finish_reason", None) == "length":
        raise LLMFailure("truncated")
    try:
        return parse_answer(choice.message.content or "", anywhere=mode is not Mode.JSON_SCHEMA)
    except InvalidAnswer as exc:
        raise LLMFailure("invalid_output", mode.value) from exc
