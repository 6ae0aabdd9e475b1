"""Keeping a prompt inside the model's context window, before it is sent.

A server with a small window rejects an oversized prompt (HTTP 400) or, like Ollama,
silently cuts it, losing the instructions or the rep's words. Tokens are estimated at about
four characters each (close enough for English with any tokenizer, and no tokenizer to ship);
the completion's own allowance is reserved first. What gives way, in order: the oldest
thread memory, then the code definitions and the worked example (a compact prompt lists the
codes only), then the middle of the rep's text (its opening and its end are kept, where
a draft's ask and a review's summary usually are). A prompt that still does not fit is not
sent at all.
"""

from __future__ import annotations

import math

CHARS_PER_TOKEN = 4
# Trimmed text never shrinks below this; past it the turn is served offline instead.
MIN_TEXT_CHARS = 400
# Slack for the estimate's error, in tokens.
MARGIN_TOKENS = 64


class PromptTooLarge(Exception):
    """Even trimmed, the prompt would not fit the configured context."""


def estimate_tokens(text: str) -> int:
    """About four characters a token, rounded up."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def prompt_allowance(context_tokens: int, completion_tokens: int) -> int:
    """Tokens the prompt may use: the window less the completion's share and a margin."""
    return context_tokens - completion_tokens - MARGIN_TOKENS


def completion_allowance(context_tokens: int, wanted: int) -> int:
    """The completion's share of the window: what is wanted, at most a third of it."""
    return min(wanted, context_tokens // 3)


def trim_middle(text: str, overflow_tokens: int) -> str:
    """`text` shortened by about `overflow_tokens`, its middle replaced by a marker.

    Two thirds of what is kept comes from the start, one third from the end.
    """
    keep = max(len(text) - overflow_tokens * CHARS_PER_TOKEN - 80, MIN_TEXT_CHARS)
    if keep >= len(text):
        return text
    head = keep * 2 // 3
    tail = keep - head
    left_out = len(text) - keep
    return f"{text[:head]}\n[... {left_out:,} characters left out ...]\n{text[-tail:]}"
