"""PII redaction: what leaves the process for a model never carries contact or card data.

Phone numbers are found the way a phone would dial them (Google's libphonenumber metadata,
through `phonenumbers`), in international form anywhere and in national form for the
deployment's `COACH_PHONE_REGION`, with the digits grouped as that country writes them: so
"+49 (0)30 1234567" is a phone and "PO 123 4567 8901" is a purchase order the coach may need
to talk about. A run of 13 to 19 digits is a card number only when its Luhn check digit
holds. Operators add their own patterns (customer ids, contract numbers) with
`COACH_REDACT_PATTERNS`; those run after the built-in rules, whose placeholders they keep.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

DEFAULT_PHONE_REGION = "US"
_EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+\b")
_CARD_LIKE = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
CUSTOM_PLACEHOLDER = "[redacted]"


def luhn_holds(digits: str) -> bool:
    """Whether the last digit of `digits` is the Luhn check digit of the rest."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[card number]" if luhn_holds(digits) else match.group()


class Redactor:
    """The built-in rules plus the operator's extra regexes, compiled once."""

    def __init__(
        self, extra_patterns: Sequence[str] = (), *, phone_region: str = DEFAULT_PHONE_REGION
    ) -> None:
        self._extra = tuple(re.compile(p) for p in extra_patterns)
        self._region = phone_region

    def __call__(self, text: str) -> str:
        text = _EMAIL.sub("[email]", text)
        text = _CARD_LIKE.sub(_card, text)
        text = self._phones(text)
        for pattern in self._extra:
            text = pattern.sub(CUSTOM_PLACEHOLDER, text)
        return text

    def _phones(self, text: str) -> str:
        if sum(char.isdigit() for char in text) < 7:  # no phone number is shorter
            return text
        # Imported on first use: its metadata costs every process ~30 ms at start, and only
        # text bound for a model is redacted.
        from phonenumbers import Leniency, PhoneNumberMatcher

        found = PhoneNumberMatcher(text, self._region, leniency=Leniency.STRICT_GROUPING)
        pieces: list[str] = []
        done = 0
        for match in found:
            pieces += [text[done : match.start], "[phone]"]
            done = match.end
        return "".join([*pieces, text[done:]])


_DEFAULT = Redactor()


def redact(text: str) -> str:
    """Replace email addresses, card numbers and phone numbers with placeholders."""
    return _DEFAULT(text)
