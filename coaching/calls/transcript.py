"""What a parsed call is: speaker turns in order, with times when the file had them.

Every parser (WebVTT, SubRip, plain text) produces this one shape, so speaker recognition
and the measures never care which tool exported the call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# Speech runs at about 150 words a minute: used to close the last turn of a file whose
# lines carry only start times.
WORDS_PER_SECOND = 2.5


@dataclass(frozen=True)
class Utterance:
    """One speaker's words; `start` and `end` in seconds from the start of the call."""

    speaker: str
    text: str
    start: float | None = None
    end: float | None = None

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Transcript:
    """The call as turns (consecutive lines of one speaker joined) and its recorded date."""

    turns: tuple[Utterance, ...]
    recorded: date | None = None

    @property
    def speakers(self) -> list[str]:
        """Speakers in the order they first speak."""
        return list(dict.fromkeys(turn.speaker for turn in self.turns))

    @property
    def timed(self) -> bool:
        return bool(self.turns) and all(t.start is not None for t in self.turns)


def join_turns(lines: Iterable[Utterance]) -> tuple[Utterance, ...]:
    """Consecutive lines of one speaker as one turn: captions split speech every few
    seconds, and a monologue is the whole stretch, not one caption."""
    turns: list[Utterance] = []
    for line in lines:
        text = " ".join(line.text.split())
        if not text:
            continue
        if turns and turns[-1].speaker == line.speaker:
            last = turns[-1]
            end = line.end if line.end is not None else last.end
            turns[-1] = Utterance(last.speaker, f"{last.text} {text}", last.start, end)
        else:
            turns.append(Utterance(line.speaker, text, line.start, line.end))
    return tuple(_close_open_ends(turns))


def _close_open_ends(turns: list[Utterance]) -> list[Utterance]:
    """A turn with a start but no end lasts until the next turn starts (the last one as
    long as its words take to say)."""
    closed: list[Utterance] = []
    for index, turn in enumerate(turns):
        if turn.start is None or turn.end is not None:
            closed.append(turn)
            continue
        following = turns[index + 1].start if index + 1 < len(turns) else None
        end = following if following is not None else turn.start + turn.words / WORDS_PER_SECOND
        closed.append(Utterance(turn.speaker, turn.text, turn.start, max(end, turn.start)))
    return closed
