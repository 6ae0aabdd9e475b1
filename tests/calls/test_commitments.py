"""The customer's promises on a call: theirs, dated from the call's day, kept once."""

from __future__ import annotations

from datetime import UTC, date, datetime

from coaching.calls.review import call_clock, customer_commitments
from coaching.calls.transcript import Transcript, Utterance
from coaching.types import Party

# A Tuesday, a week after the call below.
NOW = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
CALL = Transcript(
    turns=(
        Utterance("Rep", "I'll send you the pilot plan by Thursday."),
        Utterance("Lena Vogt", "Great. I'll send you our shipment volumes by Friday."),
        Utterance("Rep", "Perfect."),
        Utterance("Lena Vogt", "Yes, I'll send you our shipment volumes by Friday."),
    ),
    recorded=date(2026, 3, 3),
)


def test_only_the_customers_promises_are_theirs_and_dated_from_the_call() -> None:
    now = call_clock(NOW, CALL.recorded)

    found = customer_commitments(CALL, "Rep", now)

    assert [(c.party, c.counterpart, c.due) for c in found] == [
        (Party.CUSTOMER, "Lena Vogt", date(2026, 3, 6))
    ]
    assert "volumes" in found[0].text


def test_without_a_recorded_date_the_clock_is_now() -> None:
    assert call_clock(NOW, None) == NOW
    assert call_clock(NOW, date(2026, 3, 3)) == datetime(2026, 3, 3, 15, 30, tzinfo=UTC)
