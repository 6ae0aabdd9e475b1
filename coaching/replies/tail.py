"""What closes a reply: the trust reading where trust is the point, one line per tracked
or suggested step, and the word budget that keeps a chat answer short."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from coaching.commitments.match import already_line
from coaching.playbooks import trust
from coaching.playbooks.catalog import playbook
from coaching.playbooks.p3 import presents_for_us
from coaching.replies.facts import DealFacts, single_deal
from coaching.replies.moves import capitalised
from coaching.replies.turn import Turn
from coaching.types import Commitment, CommitmentStatus, Finding, Party, Role, TrustScores

TRUST_TOPIC = frozenset(
    {
        "trust.self_orientation",
        "trust.credibility",
        "trust.reliability",
        "trust.intimacy",
        "trust.transparency",
        "pitch.features_over_needs",
    }
)


_ASKS_ABOUT_TRUST = re.compile(r"\btrust(?:ed|worthy|s)?\b", re.IGNORECASE)


def trust_line(turn: Turn, findings: Sequence[Finding]) -> str | None:
    """The equation, read for the rep, only where trust is the point of the message."""
    scores = turn.scores
    if scores is None:
        return None
    lead_is_trust = bool(findings) and findings[0].code in TRUST_TOPIC
    asked = _ASKS_ABOUT_TRUST.search(turn.ctx.text) is not None
    if not (lead_is_trust or asked):
        return None
    return (
        f"Trust score {scores.trust:g} = (credibility {scores.credibility:g} + reliability "
        f"{scores.reliability:g} + intimacy {scores.intimacy:g}) / self-orientation "
        f"{scores.self_orientation:g}, each 1-10. {_weakest(scores)}"
    )


def closing_lines(
    turn: Turn,
    facts: DealFacts,
    trust_findings: Sequence[Finding] | None,
    told: Commitment | None,
) -> tuple[list[str], bool]:
    """The trust reading (where the findings make trust the point; None for an answer to a
    question or a 1:1), one line per commitment the reply has not already told as another
    deal's (`told`), and the repeats already on the list; and whether the trust reading says
    why the lead matters, so the lead's own "Why:" can go."""
    ctx = turn.ctx
    reading = trust_line(turn, trust_findings) if trust_findings is not None else None
    lines = [reading] if reading else []
    owner = facts.company if single_deal(ctx.text) else None
    ours = facts.rep if ctx.role is Role.MANAGER else None
    drafted = {(p.text, p.due) for p in ctx.promises}
    lines += [
        commitment_line(c, owner, ours, drafted=(c.text, c.due) in drafted)
        for c in turn.commitments
        if c is not told
    ]
    lines += [already_line(c) for c in turn.already]
    said_why = reading is not None and _lever_is_the_lead(turn, trust_findings or ())
    return lines, said_why


def _lever_is_the_lead(turn: Turn, findings: Sequence[Finding]) -> bool:
    """The trust reading's lever is about the very component the lead is about, so the
    lead's own "Why:" line would say the same thing twice."""
    if turn.scores is None or not findings:
        return False
    weakest = trust.weakest_component(turn.scores, flagged=False)
    return weakest is not None and findings[0].code == f"trust.{weakest}"


def _weakest(scores: TrustScores) -> str:
    """The one component to work on, and the lever that moves it."""
    weakest = trust.weakest_component(scores, flagged=False)
    if weakest is None:
        return "Nothing in the wording pulls it down."
    lever = trust.lever(playbook("trust_equation"), weakest)
    if weakest == "self_orientation":
        return f"The weak spot is self-orientation (lower is better). {lever}"
    return f"The weak spot is {weakest}. {lever}"


def commitment_line(
    commitment: Commitment, company: str | None, ours: str | None = None, *, drafted: bool = False
) -> str:
    """One short line per next step, so the rep sees what is tracked and by when. A manager's
    own rep (`ours`) doing something is their plan, never the customer's progress; a promise
    `drafted` in an email not sent yet is the rep's to accept once the email is out."""
    due = commitment.due
    when = when_due(commitment)
    if ours is not None and commitment.counterpart == ours:
        return f"{ours}'s plan: {commitment.text.removeprefix(f'{ours}: ')}, {when}."
    if commitment.party is Party.CUSTOMER:
        who = company or _named(commitment.counterpart)
        owner = (f"{who}'" if who.endswith("s") else f"{who}'s") if who else "The customer's"
        if presents_for_us(commitment.text):
            return (
                f"{capitalised(owner)} plan: {commitment.text}, {when}. Better with us in the room."
            )
        news = "That's real progress." if due else "Ask them for the day."
        return f"{owner} next step: {commitment.text}, {when}. {news}"
    if commitment.status is CommitmentStatus.SUGGESTED and drafted:
        return f"Once the email is out: {commitment.text}, {when}. Accept it to track it."
    if commitment.status is CommitmentStatus.SUGGESTED:
        return f"Suggested: {commitment.text}, {when}. Accept it to track it."
    return f"Tracking: {commitment.text}, {when}." + ("" if due else " Pick a day and tell them.")


def _named(counterpart: str | None) -> str | None:
    """A counterpart that is a name ("Dana"), not a draft's "your team" seen from the reader."""
    return counterpart if counterpart and counterpart[:1].isupper() else None


def when_due(commitment: Commitment) -> str:
    due = commitment.due
    return f"due {due:%a} {due.day} {due:%b}" if due else "no date yet"


def _drop(prefix: str) -> Callable[[str], str]:
    return lambda part: "" if part.startswith(prefix) else part


def _only_first_step(part: str) -> str:
    return re.sub(r"\n2\. [^\n]*", "", part).replace("Next steps:\n1. ", "Next step: ")


_CUTS: tuple[Callable[[str], str], ...] = (
    _drop("Why: "),
    lambda part: re.sub(r"\n3\. [^\n]*", "", part),
    _drop("Trust score"),
    lambda part: part.replace(" Accept it to track it.", ""),
    _only_first_step,
    _drop("You wrote: "),
    _drop("Also worth fixing: "),
    _drop("Suggested: "),
)


def within_budget(core: list[str], tail: list[str], budget: int) -> list[str]:
    """Drop the least useful parts (why, the third step, the trust reading, then the quote,
    the "Also" line and the suggested step) until it fits: the budget counts every line."""
    parts = core + tail
    for cut in _CUTS:
        if _words(parts) <= budget:
            break
        parts = [kept for p in parts if (kept := cut(p))]
    return parts


def _words(parts: Sequence[str]) -> int:
    return sum(len(p.split()) for p in parts)
