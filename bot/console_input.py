"""How `coach chat` turns the lines it reads into messages, one message per turn.

A pasted email must be coached as one message, not line by line. Three ways keep it whole:

- a terminal's bracketed paste: everything between ESC[200~ and ESC[201~ is one message;
- `/paste`: the lines up to a line holding a single `.` are one message;
- piped input: an email (its first line is a salutation such as "Hi Dana,", or the next
  line is indented) runs over blank lines until a blank line is followed by another
  salutation, until a blank line after its sign-off ("Best,", "Thanks,", ...), until a
  line that is a slash command, or until end of input.

Every other line is a message of its own, as before. The rule is deliberately shallow so a
rep can predict it; `/paste` is there when it guesses wrong.
"""

from __future__ import annotations

import re
import termios
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
PASTE_COMMAND = "/paste"
PASTE_STOP = "."
ENABLE_BRACKETED_PASTE = "\x1b[?2004h"
DISABLE_BRACKETED_PASTE = "\x1b[?2004l"

_SALUTATION = re.compile(
    r"^(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening))"
    r"(?:\s+[\w.'&-]+){1,4}\s*[,:!.]?$",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^(?:best|best regards|kind regards|warm regards|regards|thanks|thank you|many thanks|"
    r"cheers|sincerely|yours sincerely|yours truly|all the best|talk soon)"
    r"\s*[,.!]?(?:\s+[\w.'-]+){0,3}$",
    re.IGNORECASE,
)


class Lines:
    """The chat's input lines with one line of look-ahead, shared by every reader.

    Slash commands that ask questions (/trust-check, /forget-me) read raw lines from the
    same object, so a line peeked at while reading an email is never lost.
    """

    def __init__(self, source: Iterator[str]) -> None:
        self._source = source
        self._ahead: str | None = None

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self._ahead is not None:
            line, self._ahead = self._ahead, None
            return line
        return next(self._source)

    def peek(self) -> str | None:
        """The next line without consuming it; None at end of input."""
        if self._ahead is None:
            self._ahead = next(self._source, None)
        return self._ahead


def is_salutation(line: str) -> bool:
    """'Hi Dana,', 'Hello team', 'Dear Ms Ortiz,': a greeting and a name, nothing more."""
    return _SALUTATION.match(line.strip()) is not None


def is_sign_off(line: str) -> bool:
    """'Best,', 'Thanks, Sam', 'Kind regards': where an email's body ends."""
    return _SIGN_OFF.match(line.strip()) is not None


def read_message(lines: Lines, *, piped: bool) -> str | None:
    """The next message (without its final newline); None at end of input."""
    first = next(lines, None)
    if first is None:
        return None
    if PASTE_START in first:
        return _bracketed(first, lines)
    if piped and _starts_email(first, lines):
        return _email(first, lines)
    return first.rstrip("\r\n")


def read_until_dot(lines: Lines) -> str:
    """The `/paste` body: lines up to one holding a single '.', or end of input."""
    collected: list[str] = []
    for line in lines:
        if line.strip() == PASTE_STOP:
            break
        collected.append(_unmarked(line).rstrip("\r\n"))
    return "\n".join(collected).strip("\n")


def read_proposal(lines: Lines) -> str:
    """The `/proposal-review` body: a terminal's whole paste, else lines up to an empty one."""
    first = lines.peek()
    if first is not None and PASTE_START in first:
        return _bracketed(next(lines), lines)
    collected: list[str] = []
    for line in lines:
        if not line.strip():
            break
        collected.append(line.rstrip("\r\n"))
    return "\n".join(collected)


def _bracketed(first: str, lines: Lines) -> str:
    collected = [first]
    while PASTE_END not in collected[-1]:
        line = next(lines, None)
        if line is None:
            break
        collected.append(line)
    return _unmarked("".join(collected)).strip("\r\n")


def _unmarked(text: str) -> str:
    return text.replace(PASTE_START, "").replace(PASTE_END, "")


def _starts_email(first: str, lines: Lines) -> bool:
    if _is_command(first):
        return False
    following = lines.peek()
    indented = following is not None and following[:1] in {" ", "\t"} and bool(following.strip())
    return is_salutation(first) or indented


def _email(first: str, lines: Lines) -> str:
    collected = [first.rstrip("\r\n")]
    signed = False
    while (line := lines.peek()) is not None and not _is_command(line):
        if not line.strip():
            if signed:
                break
            blanks = _blank_run(lines)
            following = lines.peek()
            if following is None or _starts_new_message(following):
                break
            collected += blanks
            continue
        collected.append(next(lines).rstrip("\r\n"))
        signed = signed or is_sign_off(line)
    return "\n".join(collected)


def _blank_run(lines: Lines) -> list[str]:
    blanks: list[str] = []
    while (line := lines.peek()) is not None and not line.strip():
        blanks.append(next(lines).rstrip("\r\n"))
    return blanks


def _starts_new_message(line: str) -> bool:
    """After a blank line inside an email: a slash command or another email begins."""
    return _is_command(line) or is_salutation(line)


def _is_command(line: str) -> bool:
    return line.lstrip().startswith("/")


@contextmanager
def bracketed_paste(stdin: TextIO, out: TextIO) -> Iterator[None]:
    """Ask the terminal to mark pastes for the session, and stop asking on the way out.

    The terminal would echo the markers as "^[[200~"; echoing control characters is
    switched off meanwhile (where the terminal has that setting) and restored afterwards.
    """
    saved = _quiet_control_echo(stdin)
    out.write(ENABLE_BRACKETED_PASTE)
    out.flush()
    try:
        yield
    finally:
        out.write(DISABLE_BRACKETED_PASTE)
        out.flush()
        if saved is not None:
            termios.tcsetattr(stdin.fileno(), termios.TCSADRAIN, saved)


def _quiet_control_echo(stdin: TextIO) -> list[Any] | None:
    """The terminal's settings before ECHOCTL was cleared, or None if it has none."""
    try:
        saved = termios.tcgetattr(stdin.fileno())
    except (termios.error, OSError, ValueError):
        return None
    quiet = list(saved)
    quiet[3] &= ~termios.ECHOCTL
    termios.tcsetattr(stdin.fileno(), termios.TCSADRAIN, quiet)
    return saved
