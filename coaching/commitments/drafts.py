"""A promise written in a draft is the rep's only once the draft is sent.

"I'll send you the deck Friday" in an email the rep pasted to have it checked has not been
said to the customer yet: the rep may rewrite it, or never send it. The contract's `open`
means "the rep promised it or accepted it", so a draft's own promises are `suggested` (the
coach proposes tracking them; the rep accepts once the email is out). An email the rep says
they already sent ("Sent this to Dana: Hi Dana, ...") holds real promises and stays `open`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coaching.types import Commitment, CommitmentStatus, Party

# "Hi Dana,", "Draft email: Hi Marguerite", "Dear Mr Becker": a greeting to a named person
# opening the message, a line, a sentence, or what follows a label.
_GREETING = re.compile(r"(?:^|\n|:|[.!?][ \t])[ \t]*(?i:hi|hello|hey|dear)\b[ \t,]+[A-Z]")
# "Draft to Omar: ...", "My draft reply:": the rep labels what follows as a draft.
_LABELLED_DRAFT = re.compile(
    r"^\s*(?:(?:my|a|the|here['\u2019]?s\s+(?:my|a|the))\s+)?draft\w*\b[^:\n]{0,40}:|"
    r"\bdraft(?:ing|ed)?\s+(?:(?:an?|the|my)\s+)?(?:(?:e-?mail|reply|message|note|response)\s+)?"
    r"(?:to|for)\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?\s*:",
    re.IGNORECASE,
)
# "Before I send this, does it read ok? Hi Tomas, ...": asked about the email that follows.
_ABOUT_TO_SEND = re.compile(
    r"\b(?:about|going|planning)\s+to\s+send\b|\bbefore\s+I\s+(?:send|hit\s+send)\b|"
    r"\b(?:does|do|how\s+does)\s+this\s+(?:look|read|sound)\b",
    re.IGNORECASE,
)
_SAID_SENT = re.compile(
    r"\b(?:sent|emailed|replied|forwarded|posted|wrote\s+(?:back|to))\b", re.IGNORECASE
)


def unsent_draft(text: str) -> bool:
    """The message is an email or note the rep has not sent yet: labelled a draft ("Draft to
    Omar: ..."), or pasted as a greeting to a named person without saying it already went
    out. A plan in chat ("I'm going to send the proposal Friday") is no draft."""
    greeting = _GREETING.search(text)
    framing = text[: greeting.start()] if greeting else text
    if _LABELLED_DRAFT.search(framing):
        return True
    if greeting is None:
        return False
    return _ABOUT_TO_SEND.search(framing) is not None or _SAID_SENT.search(framing) is None


def draft_body(text: str) -> str:
    """The email itself, without the rep's words to the coach before its greeting ("Before I
    send this, does it read ok? Hi Tomas, ..."): their question is not the draft's."""
    greeting = _GREETING.search(text)
    return text[greeting.start() :].lstrip(":.!?\n \t") if greeting else text


def until_sent(promises: Sequence[Commitment]) -> list[Commitment]:
    """The rep's own promises, proposed rather than tracked; the customer's agreed steps a
    draft recaps are theirs already and keep their status."""
    return [
        c.model_copy(update={"status": CommitmentStatus.SUGGESTED}) if c.party is Party.REP else c
        for c in promises
    ]
