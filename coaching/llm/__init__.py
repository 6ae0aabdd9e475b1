"""The LLM port: an OpenAI-compatible model refines the offline result, or steps aside.

`coach` asks the model; `capabilities` learns what each server supports; `messages` renders
the prompts; `schema` is the answer's portable JSON schema; `gate` decides whether the answer
is served. Callers import from here.
"""

from coaching.llm.coach import MAX_COMPLETION_TOKENS, LLMCoach, LLMFailure
from coaching.llm.gate import MAX_MODEL_FINDINGS
from coaching.llm.messages import render_messages

__all__ = [
    "MAX_COMPLETION_TOKENS",
    "MAX_MODEL_FINDINGS",
    "LLMCoach",
    "LLMFailure",
    "render_messages",
]
