"""Commitment numbers in a chat reply, so the rep can act on a line without looking it up.

The composer words "Suggested: send the pricing, due Fri 4 Dec. Accept it to track it." for
every surface; the chat leads that line with the commitment's stored id and the command to
type: "[3] Suggested: send the pricing, due Fri 4 Dec \u2014 /accept 3 to track it."
"""

from __future__ import annotations

from collections.abc import Sequence

from coaching.types import Commitment, CommitmentStatus


def numbered_reply(reply: str, commitments: Sequence[Commitment]) -> str:
    """The reply with each commitment's line led by its number and, for a suggestion, the
    command that accepts it; a commitment the reply does not mention gets a line of its own
    (a model-worded reply may not repeat it)."""
    parts = reply.split("\n\n")
    used: set[int] = set()
    for commitment in commitments:
        if commitment.id is None:
            continue
        index = _line_for(parts, commitment, used)
        if index is None:
            parts.append(_numbered(commitment.id, _own_line(commitment), commitment.status))
            continue
        used.add(index)
        parts[index] = _numbered(commitment.id, parts[index], commitment.status)
    return "\n\n".join(parts)


def _line_for(parts: Sequence[str], commitment: Commitment, used: set[int]) -> int | None:
    """The paragraph that reports `commitment` ("Tracking: <text>, due ...")."""
    marker = f": {commitment.text}, "
    for index, part in enumerate(parts):
        if index not in used and marker in part and "\n" not in part:
            return index
    return None


def _numbered(number: int, line: str, status: CommitmentStatus) -> str:
    if status is not CommitmentStatus.SUGGESTED:
        return f"[{number}] {line}"
    told = line.removesuffix(" Accept it to track it.").removesuffix(".")
    return f"[{number}] {told} \u2014 /accept {number} to track it."


def _own_line(commitment: Commitment) -> str:
    when = f"due {commitment.due.isoformat()}" if commitment.due else "no date yet"
    label = "Suggested" if commitment.status is CommitmentStatus.SUGGESTED else "Tracking"
    return f"{label}: {commitment.text}, {when}."
