"""The answer the model must give, and a JSON schema every serving engine can compile.

Only the keywords every constrained decoder supports go into the schema: type, properties,
required, additionalProperties, items, enum, anyOf, $ref and $defs. Length, pattern and
format keywords are left out on purpose: xgrammar (vLLM, SGLang) mis-compiles `minLength`
on a string so that it can hold no line break or escaped quote, and OpenAI's strict subset
has changed over time for them. Such limits are checked here, after parsing, in code.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from coaching.types import Severity

# Keywords that only describe a schema node; everything else in a node is a constraint.
_ANNOTATIONS = frozenset({"title", "description", "default"})


class LLMFinding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    severity: Severity
    evidence: str
    advice: str
    category: str | None


class LLMAnswer(BaseModel):
    """What the model answers: a reply for the rep and its own findings."""

    model_config = ConfigDict(extra="forbid")

    reply: str
    findings: list[LLMFinding]

    @field_validator("reply")
    @classmethod
    def _has_words(cls, value: str) -> str:
        """An empty reply is no answer; checked here because the schema cannot say it."""
        if not value.strip():
            raise ValueError("the reply is empty")
        return value


class InvalidAnswer(ValueError):
    """The text holds no JSON object that is a valid `LLMAnswer`."""


@cache
def _strict_schema_text() -> str:
    schema = LLMAnswer.model_json_schema()
    return json.dumps(_strict(schema))


def strict_schema() -> dict[str, Any]:
    """The portable schema: every property required, no extra properties, no annotations.

    A fresh copy each call, so no caller can change what the next request sends.
    """
    loaded: dict[str, Any] = json.loads(_strict_schema_text())
    return loaded


def _strict(node: Any) -> Any:
    """`node` with annotations dropped and every object closed and fully required."""
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _ANNOTATIONS:
            continue
        if key in {"properties", "$defs"}:
            out[key] = {name: _strict(child) for name, child in value.items()}
        else:
            out[key] = _strict(value)
    if "properties" in out:
        out["required"] = list(out["properties"])
        out["additionalProperties"] = False
    return out


def parse_answer(text: str, *, anywhere: bool) -> LLMAnswer:
    """The answer in `text`: the whole text as JSON, or (with `anywhere`) the first JSON
    object found in it that validates, for servers that wrap JSON in prose or code fences.
    """
    if not anywhere:
        try:
            return LLMAnswer.model_validate_json(text)
        except ValidationError as exc:
            raise InvalidAnswer(str(exc.error_count())) from exc
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            value, _ = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            value = None
        if isinstance(value, dict):
            try:
                return LLMAnswer.model_validate(value)
            except ValidationError:
                pass
        start = text.find("{", start + 1)
    raise InvalidAnswer("no valid JSON object in the text")
