"""The rep is found among the speakers, and the reply says how."""

from __future__ import annotations

import pytest

from coaching.calls.speakers import choose_rep
from coaching.calls.transcript import Transcript, Utterance
from coaching.errors import CoachingError

CALL = Transcript(
    turns=(
        Utterance("Jordan Park", "Morning! Jordan here, I run operations at Fernhill Foods."),
        Utterance("Ana Costa", "Hi Jordan, I'm Ana from Tidewave, thanks for having me."),
        Utterance(
            "Jordan Park",
            "So our warehouses keep running out of cold storage every summer and the "
            "team spends hours on spreadsheets trying to predict it. Tidewave came up.",
        ),
        Utterance("Ana Costa", "What happens on the worst days?"),
    )
)


def test_the_name_given_wins_and_a_first_name_is_enough() -> None:
    assert choose_rep(CALL, named="ana").speaker == "Ana Costa"
    assert choose_rep(CALL, named="Ana Costa").reason == "the name you gave"


def test_a_name_not_on_the_call_is_refused_with_the_speakers_listed() -> None:
    with pytest.raises(CoachingError) as raised:
        choose_rep(CALL, named="Sam")

    assert raised.value.code == "input.unknown_speaker"
    assert "Jordan Park, Ana Costa" in raised.value.message


def test_the_speaker_claiming_our_company_is_the_rep_even_when_the_customer_names_it() -> None:
    found = choose_rep(CALL, company="Tidewave")

    assert found.speaker == "Ana Costa"
    assert "Tidewave" in found.reason


def test_the_user_name_then_the_most_words_decide() -> None:
    assert choose_rep(CALL, user_name="ana.costa").speaker == "Ana Costa"
    most = choose_rep(CALL, user_name="someone-else")
    assert (most.speaker, most.reason) == ("Jordan Park", "they spoke the most words")
