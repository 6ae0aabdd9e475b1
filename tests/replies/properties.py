"""Reply properties a rep notices, checked the same way on every surface (CLI, Slack, Teams).

Each case is a message and what its answer must and must not say; the surface tests only
differ in how they send the message and read the answer back.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReplyCase:
    name: str
    text: str
    says: tuple[str, ...]
    never_says: tuple[str, ...]


CASES = (
    ReplyCase(
        name="names-the-counterpart",
        text="Priya at Northwind said she'll take our proposal to the CFO herself on Tuesday.",
        says=("Suggest to Priya", "the CFO before Tuesday"),
        never_says=("your contact",),
    ),
    ReplyCase(
        name="no-trust-score-on-a-p3-message",
        text="I sent the proposal to Acme on Monday and will just wait for their decision.",
        says=("final presentation",),
        never_says=("Trust score", "self-orientation"),
    ),
    ReplyCase(
        name="praise-for-a-good-draft",
        text=(
            "Hi Lena, thanks for walking me through the churn numbers yesterday. Before I "
            "suggest anything, could we spend 30 minutes on Thursday with your support lead to "
            "see where tickets pile up? I'd rather understand it first."
        ),
        says=("This is good", "send it as it is"),
        never_says=("Next steps", "Why:"),
    ),
    ReplyCase(
        name="a-booked-presentation-gets-preparation",
        text=(
            "Big one: the Corrib Energy board gave us a final presentation slot on Dec 14 with "
            "their CEO. How do I get ready?"
        ),
        says=("hardest to convince",),
        never_says=("next action", "If the plan is that"),
    ),
    ReplyCase(
        name="a-customer-step-is-progress-not-a-gap",
        text=(
            "Call with Wendell at Fosbury went well. He'll send their current SLA report by "
            "Thursday and we review it together on Dec 11."
        ),
        says=("This is good", "Wendell"),
        never_says=("If there is none yet",),
    ),
    ReplyCase(
        name="a-promise-in-an-unsent-draft-is-not-tracked-yet",
        text="Hi Tomas, thanks for today. I'll send you the deck by Friday. Best, Jan",
        says=("Once the email is out: send Tomas the deck",),
        never_says=("Tracking:",),
    ),
)


MANAGER_CASES = (
    ReplyCase(
        name="a-manager-gets-the-one-on-one-not-the-reps-advice",
        text=(
            "Leon keeps saying Dunmere Tools is a done deal, but their CFO has never joined a "
            "call. How do I coach Leon on this?"
        ),
        says=("Ask Leon:", "Listen for:", "Agree before you finish:"),
        never_says=("Next steps", "your rep", "Tell their story back"),
    ),
)


def check(case: ReplyCase, answer: str) -> None:
    """Every phrase the case expects is in the answer, and none it forbids."""
    for phrase in case.says:
        assert phrase in answer
    for phrase in case.never_says:
        assert phrase not in answer
