"""What redaction takes out of a rep's text before a model sees it, and what it leaves."""

from __future__ import annotations

import pytest

from coaching.errors import CoachingError
from coaching.redact import Redactor, luhn_holds, redact
from config.settings import Settings, load_settings


@pytest.mark.parametrize(
    "text",
    [
        "Call Jana on +49 (0)30 1234567 before noon",
        "her cell: +44 20 7946 0958",
        "ring 415-555-0134 after the demo",
        "desk line (415) 555 2671, ask for Priya",
        "+33 1 42 68 53 00 is their Paris office",
        "+1 212 555 0100 ext 3",
    ],
)
def test_a_phone_number_is_redacted_in_any_common_shape(text: str) -> None:
    redacted = redact(text)
    assert "[phone]" in redacted
    assert not any(run in redacted for run in ("1234567", "7946", "555", "42 68"))


@pytest.mark.parametrize(
    "text",
    [
        "PO 123 4567 8901 is approved",
        "order 2026-11-18, 1200 seats",
        "ARR went from 4500000 to 5100000",
        "quote Q-2026-118-0042 sent",
        "$1,250,000 over 36 months",
    ],
)
def test_numbers_that_are_not_phones_or_cards_reach_the_model(text: str) -> None:
    assert redact(text) == text


def test_a_card_number_is_redacted_only_when_its_check_digit_holds() -> None:
    assert redact("card 4111 1111 1111 1111 exp 12/28") == "card [card number] exp 12/28"
    assert redact("tracking 4111 1111 1111 1112") == "tracking 4111 1111 1111 1112"
    assert luhn_holds("79927398713")
    assert not luhn_holds("79927398710")


def test_an_email_address_is_redacted() -> None:
    assert redact("cc dana.ruiz+deals@northwind.co.uk") == "cc [email]"


def test_national_numbers_follow_the_configured_country() -> None:
    uk = Redactor(phone_region="GB")
    assert uk("mobile 07911 123456") == "mobile [phone]"
    assert redact("mobile 07911 123456") == "mobile 07911 123456"


def test_extra_patterns_run_after_the_built_in_rules() -> None:
    redactor = Redactor([r"ACME-\d{4,}"])
    assert redactor("ACME-20931 via +49 (0)30 1234567") == "[redacted] via [phone]"


def test_the_phone_region_setting_is_a_known_country(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_PHONE_REGION", " gb ")
    assert Settings(_env_file=None).privacy.phone_region == "GB"
    monkeypatch.setenv("COACH_PHONE_REGION", "XX")
    with pytest.raises(CoachingError, match="COACH_PHONE_REGION"):
        load_settings()
