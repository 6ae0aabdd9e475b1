"""The LLM port: an OpenAI-compatible model refines the offline result, or steps aside.

`coach` asks the model and merges its answer; `schema` is the answer's portable JSON
schema. Callers import from here.
"""

from coaching.llm.coach import (
    MAX_COMPLETION_TOKENS,
    MAX_MODEL_FINDINGS,
    LLMCoach,
    LLMFailure,
    render_messages,
)

__all__ = [
    "MAX_COMPLETION_TOKENS",
    "MAX_MODEL_FINDINGS",
    "LLMCoach",
    "LLMFailure",
    "render_messages",
]
