"""Talk ratio and monologues: by the clock when the file has times, by words otherwise."""

from __future__ import annotations

from coaching.calls.measure import call_findings, measure
from coaching.calls.transcript import Transcript, Utterance, join_turns


def codes(transcript: Transcript, rep: str) -> set[str]:
    return {f.code for f in call_findings(measure(transcript, rep))}


def test_three_minutes_alone_is_a_monologue_and_two_is_not() -> None:
    long = Transcript(
        turns=join_turns(
            [
                Utterance("Rep", "Here is the overview.", 0.0, 100.0),
                Utterance("Rep", "And the pricing.", 100.0, 190.0),
                Utterance("Buyer", "Got it, " * 40, 190.0, 260.0),
            ]
        )
    )
    short = Transcript(
        turns=(
            Utterance("Rep", "Here is the overview.", 0.0, 120.0),
            Utterance("Buyer", "Got it, " * 40, 120.0, 200.0),
        )
    )

    assert measure(long, "Rep").longest_seconds == 190.0
    assert "call.monologue" in codes(long, "Rep")
    assert "call.monologue" not in codes(short, "Rep")


def test_without_times_a_monologue_is_counted_in_words() -> None:
    transcript = Transcript(
        turns=(Utterance("Rep", "word " * 400), Utterance("Buyer", "reply " * 300))
    )

    stats = measure(transcript, "Rep")

    assert (stats.longest_seconds, stats.longest_words) == (None, 400)
    assert codes(transcript, "Rep") == {"call.monologue"}


def test_a_rep_talking_most_of_the_call_is_flagged_with_the_share() -> None:
    transcript = Transcript(turns=(Utterance("Rep", "word " * 70), Utterance("Buyer", "ok " * 30)))

    findings = call_findings(measure(transcript, "Rep"))

    assert [f.code for f in findings] == ["call.talk_ratio"]
    assert "70%" in findings[0].evidence
