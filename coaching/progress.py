"""The steps a coaching turn works through, reported while it runs so a rep sees progress.

The answer is checked before a rep sees it, so adapters never stream the model's words;
they show these steps instead (Slack's streamed task list, Teams' informative updates).
A step is a fixed label of ours, never text from the rep or the model, so it is safe to
send anywhere. Reporting is a plain method call on a `Progress`: the default `NO_PROGRESS`
drops it, so a turn nobody watches does no extra work.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Step(StrEnum):
    """One thing the coach does for a turn, in the order it does them."""

    READING = "reading"
    COMMITMENTS = "commitments"
    INPUT_SAFETY = "input_safety"
    P3 = "p3"
    TIMING = "timing"
    SOCIAL = "social"
    TRUST = "trust"
    MANAGER = "manager"
    SITUATION = "situation"
    MODEL = "model"
    CHECKING_MODEL = "checking_model"


LABELS: dict[Step, str] = {
    Step.READING: "Reading your message",
    Step.COMMITMENTS: "Looking for commitments",
    Step.INPUT_SAFETY: "Checking for pasted instructions",
    Step.P3: "Checking the proposal follow-up (P3)",
    Step.TIMING: "Checking how fresh the deal is",
    Step.SOCIAL: "Checking how you reach out",
    Step.TRUST: "Checking trust",
    Step.MANAGER: "Checking the manager playbooks",
    Step.SITUATION: "Matching it to situations I know",
    Step.MODEL: "Asking the model for a second opinion",
    Step.CHECKING_MODEL: "Checking the model's advice against the playbooks",
}


def label(step: Step) -> str:
    """What a rep reads for `step`."""
    return LABELS[step]


class Progress(Protocol):
    def step(self, step: Step) -> None:
        """The turn has started `step` (and finished the one before). Must not block."""


class NoProgress:
    """Nobody is watching: every step is dropped."""

    def step(self, step: Step) -> None:
        """Dropped."""


NO_PROGRESS: Progress = NoProgress()
