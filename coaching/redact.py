"""PII redaction: what leaves the process for a model never carries contact or card data.

Operators add their own patterns (customer ids, contract numbers) with
`COACH_REDACT_PATTERNS`; those run after the built-in rules, whose placeholders they keep.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+\b")
_CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
_PHONE = re.compile(r"(?<![\w])\+?\d{1,3}[\s.-]?\(?\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}\b")

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (_EMAIL, "[email]"),
    (_CARD, "[card number]"),
    (_PHONE, "[phone]"),
)
CUSTOM_PLACEHOLDER = "[redacted]"


class Redactor:
    """The built-in rules plus the operator's extra regexes, compiled once."""

    def __init__(self, extra_patterns: Sequence[str] = ()) -> None:
        extra = tuple((re.compile(p), CUSTOM_PLACEHOLDER) for p in extra_patterns)
        self._rules = _RULES + extra

    def __call__(self, text: str) -> str:
        for pattern, placeholder in self._rules:
            text = pattern.sub(placeholder, text)
        return text


_DEFAULT = Redactor()


def redact(text: str) -> str:
    """Replace email addresses, card-like numbers and phone numbers with placeholders."""
    return _DEFAULT(text)
