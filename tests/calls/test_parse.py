"""Transcript files in every export shape become the same speakers, words and times."""

from __future__ import annotations

from datetime import date

import pytest

from coaching.calls.parse import parse_transcript
from coaching.errors import CoachingError
from tests.calls.files import CALL, headed_text, meet_text, subrip, teams_vtt, zoom_vtt

LIMITS = {"max_bytes": 1_000_000, "max_chars": 200_000}
SPEAKERS = ["Priya Shah", "Marco Bianchi"]


def parse(name: str, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return parse_transcript(name, data, **LIMITS)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("teams.vtt", teams_vtt(CALL)),
        ("zoom.vtt", zoom_vtt(CALL)),
        ("call.srt", subrip(CALL)),
        ("meet.txt", meet_text(CALL)),
        ("teams.txt", headed_text(CALL)),
        ("gong.txt", headed_text(CALL, gong=True)),
    ],
)
def test_every_format_gives_the_same_speakers_and_words(name: str, text: str) -> None:
    transcript = parse(name, text)

    assert transcript.speakers == SPEAKERS
    # The rep's two captions in a row are one stretch of speech.
    assert [t.speaker for t in transcript.turns] == [
        "Priya Shah",
        "Marco Bianchi",
        "Priya Shah",
        "Marco Bianchi",
        "Priya Shah",
    ]
    assert transcript.turns[3].text == "Okay. I'll send you our volumes by Friday."


def test_caption_times_span_the_whole_monologue() -> None:
    monologue = parse("teams.vtt", teams_vtt(CALL)).turns[2]

    assert (monologue.start, monologue.end) == (9.0, 200.0)


def test_headed_text_turns_last_until_the_next_speaker() -> None:
    monologue = parse("gong.txt", headed_text(CALL, gong=True)).turns[2]

    assert (monologue.start, monologue.end) == (9.0, 200.0)


def test_plain_lines_without_times_have_no_times() -> None:
    transcript = parse("meet.txt", meet_text(CALL))

    assert not transcript.timed


def test_a_file_without_an_extension_is_recognised_by_its_content() -> None:
    assert parse("upload", teams_vtt(CALL)).speakers == SPEAKERS
    assert parse("upload", subrip(CALL)).speakers == SPEAKERS


def test_the_call_date_comes_from_the_file() -> None:
    noted = parse("call.vtt", teams_vtt(CALL, note="Recorded 2026-03-04 14:00"))
    headed = parse("call.txt", meet_text(CALL, heading="Weekly sync - March 4, 2026"))
    zoom = parse("GMT20260304-140000_Recording.transcript.vtt", zoom_vtt(CALL))

    assert noted.recorded == headed.recorded == zoom.recorded == date(2026, 3, 4)
    assert parse("call.vtt", zoom_vtt(CALL)).recorded is None


def test_a_colon_inside_someones_words_is_not_a_speaker_in_headed_text() -> None:
    lines = [("Speaker 1", 0.0, 5.0, "Agenda: pricing and rollout."), *CALL[1:2]]

    transcript = parse("call.txt", headed_text(lines))

    assert transcript.speakers == ["Speaker 1", "Marco Bianchi"]
    assert transcript.turns[0].text == "Agenda: pricing and rollout."


def test_speaker_numbers_hour_stamps_and_bracketed_times_are_read() -> None:
    headed = "Speaker 1  00:00:05\nShall we start?\n\nSpeaker 2  00:01:10\nYes, go ahead.\n"
    stamped = "00:00:05 Speaker 1\nShall we start?\n00:01:10 Speaker 2\nYes, go ahead.\n"
    bracketed = "[00:00:05] Speaker 1: Shall we start?\n[00:01:10] Speaker 2: Yes, go ahead.\n"

    for text in (headed, stamped, bracketed):
        transcript = parse("call.txt", text)
        assert transcript.speakers == ["Speaker 1", "Speaker 2"]
        assert [t.start for t in transcript.turns] == [5.0, 70.0]
        assert transcript.turns[0].end == 70.0


def test_a_utf16_export_with_a_byte_order_mark_is_read() -> None:
    assert parse("call.txt", meet_text(CALL).encode("utf-16")).speakers == SPEAKERS


@pytest.mark.parametrize(
    ("name", "data", "code", "words"),
    [
        (
            "notes.txt",
            b"We talked about pricing.\nThey liked it.\n",
            "input.no_speakers",
            "speaker",
        ),
        (
            "call.vtt",
            b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n",
            "input.no_speakers",
            "speaker",
        ),
        (
            "call.vtt",
            b"WEBVTT\n\n00:00:xx --> 00:00:02.000\nA: hi\n",
            "input.unreadable_file",
            "damaged",
        ),
        ("call.vtt", b"just some words: not captions\n", "input.unreadable_file", "damaged"),
        ("call.mp4", b"\x00\x00\x00\x18ftypmp42", "input.unsupported_file", ".vtt, .srt or .txt"),
        ("call.txt", b"\x00\x01\x02binary", "input.unreadable_file", "binary"),
        ("call.txt", b"  \n\n", "input.empty", "empty"),
    ],
)
def test_bad_files_get_one_friendly_error(name: str, data: bytes, code: str, words: str) -> None:
    with pytest.raises(CoachingError) as raised:
        parse(name, data)

    assert raised.value.code == code
    assert words in raised.value.message
    assert "\n" not in raised.value.message


def test_limits_are_checked_before_parsing() -> None:
    text = meet_text(CALL).encode()

    with pytest.raises(CoachingError) as too_big:
        parse_transcript("call.txt", text, max_bytes=100, max_chars=200_000)
    with pytest.raises(CoachingError) as too_long:
        parse_transcript("call.txt", text, max_bytes=1_000_000, max_chars=100)

    assert too_big.value.code == too_long.value.code == "input.too_large"
    assert "limit" in too_big.value.message
