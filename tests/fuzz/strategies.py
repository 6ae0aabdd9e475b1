"""Shared Hypothesis settings and the text a rep might type, for the fuzz properties.

Every property is bounded and derandomized, so CI runs the same examples every time and
the whole folder stays well under a minute.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# Endpoint examples each cost a request and a database check.
FUZZ_HTTP = settings(FUZZ, max_examples=100)

# Words the parsers look for, so generated text reaches their deeper branches.
SALES_WORDS = (
    "I'll", "I will", "we'll", "I", "will", "send", "call", "email", "follow up", "the",
    "proposal", "contract", "to", "Dana", "Acme", "by", "before", "on", "next", "this",
    "week", "month", "quarter", "Q4", "Friday", "monday", "tomorrow", "today", "EOD",
    "end of", "March", "12", "31st", "2026-11-30", "11/30", "in", "3", "two", "days",
    "weeks", "soon", "later", "meeting", "demo", "with", "their", "CFO", "and", ",", ".",
    "?", "!", '"', "'", "\n", "she said", "they'll", "let's", "set up", "a", "call",
)  # fmt: skip

words = st.sampled_from(SALES_WORDS) | st.text(max_size=6)
rep_text = st.one_of(
    st.lists(words, max_size=40).map(" ".join),
    st.text(max_size=300),
)
zones = st.sampled_from([UTC, *(timezone(timedelta(minutes=m)) for m in (-660, 345, 840))])
moments = st.builds(
    lambda at, zone: at.astimezone(zone),
    st.datetimes(
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - Hypothesis takes naive bounds
        max_value=datetime(2099, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    zones,
)

# JSON-like values of any shape, for payload fields a platform might send wrongly.
scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
)
json_values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


def maybe(value: Any) -> st.SearchStrategy[Any]:
    """The well-formed value, or something of another shape in its place."""
    return st.just(value) | json_values
