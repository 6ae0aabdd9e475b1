"""The full reasoning behind an answer, for the rep who asks "why?".

The reply stays short; this is the longer read a rep opens on purpose (the "Why?" card in
Teams and the "Why?" modal in Slack show it): each situation with the playbook's full advice and
the rep's words, then what each playbook applied is about and the questions it asks. It is
built from the result alone, so a stored turn can be explained again.
"""

from __future__ import annotations

from coaching.playbooks.catalog import load_playbooks
from coaching.replies.moves import capitalised, load_moves
from coaching.types import CoachingResult

NOTHING = "Nothing to explain yet: ask me about a deal first."
GONE = "I no longer have that answer, so I can't explain it. Ask me again for a fresh one."


def explain(result: CoachingResult | None) -> str:
    """Findings with their full advice, then each playbook's summary and questions."""
    if result is None or not (result.findings or result.playbooks):
        return NOTHING
    moves = load_moves().codes
    parts: list[str] = []
    for finding in result.findings:
        label = moves[finding.code].label if finding.code in moves else finding.code
        parts.append(
            f"{capitalised(label)} [{finding.code}]: {finding.advice}\n"
            f"You wrote: \u201c{finding.evidence}\u201d"
        )
    parts += playbook_notes(result)
    if result.scores is not None:
        s = result.scores
        parts.append(
            "The trust equation: trust = (credibility + reliability + intimacy) / "
            f"self-orientation = ({s.credibility:g} + {s.reliability:g} + {s.intimacy:g}) / "
            f"{s.self_orientation:g} = {s.trust:g}. Each part is scored 1-10 from the wording; "
            "self-orientation divides the rest, so it moves the score most."
        )
    return "\n\n".join(parts)


def playbook_notes(result: CoachingResult) -> list[str]:
    """What each playbook applied is about, with the questions it asks."""
    books = load_playbooks()
    notes: list[str] = []
    for book_id in result.playbooks:
        book = books.get(book_id)
        if book is None:
            continue
        questions = "\n".join(f"- {q}" for q in book.questions)
        notes.append(f"{book.name}: {book.summary}" + (f"\n{questions}" if questions else ""))
    return notes
