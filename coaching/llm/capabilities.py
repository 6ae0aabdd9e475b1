"""What an endpoint can do, learned from its answers and remembered for the process.

OpenAI-compatible servers differ: OpenAI, vLLM and llama.cpp's `llama-server` take a strict
JSON schema; the `llama-cpp-python` server answers one with HTTP 500; some proxies take only
JSON mode, some nothing. Rather than a setting per server, the coach starts at the top of a
ladder (strict schema, then JSON mode with the schema in the prompt, then plain text parsed
for its first JSON object) and moves one step down for an endpoint when the server says the
step is not supported. Transient errors (timeouts, 429, 503) never move it: they say nothing
about what the server can do.

Reasoning models (o1, o3, o4, gpt-5) refuse `max_tokens` and `temperature`; they are
recognised by name, by the `COACH_LLM_REASONING` setting, or by the server's complaint.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)

# A model name (or an Azure deployment named after one), optionally behind a provider path.
_REASONING_NAME = re.compile(r"(?:^|[/_-])(?:o\d+(?:[-_]|$)|gpt-?5)", re.IGNORECASE)
# Statuses with which servers refuse a request shape rather than fail at random.
_REFUSING_STATUSES = frozenset({400, 422, 500})
_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "schema", "grammar", "structured")
_REASONING_WORDS = ("max_completion_tokens", "temperature")
_UNSUPPORTED_WORDS = ("not supported", "unsupported", "not implemented", "does not support")
# The server's error class (its `type` or `code` field) is logged only if it is a label.
_LABEL = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


class Mode(StrEnum):
    """How the answer's shape is asked for, strongest first."""

    JSON_SCHEMA = "json_schema"
    JSON_OBJECT = "json_object"
    TEXT = "text"


LADDER = (Mode.JSON_SCHEMA, Mode.JSON_OBJECT, Mode.TEXT)


@dataclass
class Learned:
    mode: Mode = Mode.JSON_SCHEMA
    reasoning: bool = False


class Capabilities:
    """What each endpoint (base URL and model) has shown it supports.

    One instance is shared by every coach in the process (`PROCESS_CAPABILITIES`), so a
    server that refused a step once is not asked again on every turn.
    """

    def __init__(self) -> None:
        self._learned: dict[str, Learned] = {}
        self._lock = threading.Lock()

    def of(self, endpoint: str) -> Learned:
        with self._lock:
            return self._learned.setdefault(endpoint, Learned())

    def step_down(self, endpoint: str, refused: Mode) -> Mode:
        """The step below `refused` (never the bottom one) for this endpoint, now remembered."""
        position = LADDER.index(refused)
        lower = LADDER[position + 1]
        with self._lock:
            learned = self._learned.setdefault(endpoint, Learned())
            if LADDER.index(learned.mode) < position + 1:
                learned.mode = lower
                log.warning(
                    "llm endpoint refused %s; asking it with %s from now on",
                    refused.value,
                    lower.value,
                    extra={"kind": f"capability.{lower.value}"},
                )
        return lower

    def learn_reasoning(self, endpoint: str) -> None:
        with self._lock:
            self._learned.setdefault(endpoint, Learned()).reasoning = True
        log.warning(
            "llm endpoint wants reasoning-model parameters; sending them from now on",
            extra={"kind": "capability.reasoning"},
        )


PROCESS_CAPABILITIES = Capabilities()


def is_reasoning_model(model: str) -> bool:
    """o1/o3/o4-mini/gpt-5 style names, which take `max_completion_tokens` and no temperature."""
    return _REASONING_NAME.search(model) is not None


def refuses_format(status: int, message: str) -> bool:
    """The server refused the requested answer format (not a transient failure)."""
    text = message.lower()
    return status in _REFUSING_STATUSES and any(word in text for word in _FORMAT_WORDS)


def wants_reasoning_parameters(status: int, message: str) -> bool:
    """The server refused `max_tokens` or `temperature`, as reasoning models do."""
    text = message.lower()
    if status not in _REFUSING_STATUSES:
        return False
    named = any(word in text for word in _REASONING_WORDS)
    refused = any(word in text for word in _UNSUPPORTED_WORDS)
    return "max_completion_tokens" in text or (named and refused)


def error_class(body: object) -> str | None:
    """The `type` or `code` of an OpenAI-style error body, if it is a plain label.

    Never the message: servers quote the request in it, and the request holds rep text.
    """
    error: Any = body.get("error", body) if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None
    for key in ("type", "code"):
        value = error.get(key)
        if isinstance(value, str) and _LABEL.match(value):
            return value
    return None


def response_format(mode: Mode, schema: dict[str, Any]) -> dict[str, Any] | None:
    """The `response_format` request field for `mode` (None: the field is left out)."""
    if mode is Mode.JSON_SCHEMA:
        return {
            "type": "json_schema",
            "json_schema": {"name": "coaching", "schema": schema, "strict": True},
        }
    if mode is Mode.JSON_OBJECT:
        return {"type": "json_object"}
    return None
