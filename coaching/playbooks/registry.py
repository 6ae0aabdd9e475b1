"""The analysers the offline engine runs, in the order their advice should read.

A warning about pasted instructions comes first, so the rep sees it before the review; then the
deal-level playbooks (the P3, timing), then the wording of drafts (social, trust, whose report
carries the trust equation), and manager coaching, which only runs for managers. Each check
names the progress step a rep sees while it runs, and only for the people it applies to, so
a rep is never told the manager playbooks are being checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coaching.playbooks import decay, injection, manager, p3, social, trust
from coaching.playbooks.base import Analyser, Context
from coaching.playbooks.routing import is_manager, is_rep
from coaching.progress import Step


def _everyone(_ctx: Context) -> bool:
    return True


@dataclass(frozen=True)
class Check:
    """One analyser, the step it shows, and whom it applies to (it returns nothing for others)."""

    step: Step
    analyse: Analyser
    applies: Callable[[Context], bool] = _everyone


ALL_CHECKS: tuple[Check, ...] = (
    Check(Step.INPUT_SAFETY, injection.analyse),
    Check(Step.P3, p3.analyse, is_rep),
    Check(Step.TIMING, decay.analyse),
    Check(Step.SOCIAL, social.analyse),
    Check(Step.TRUST, trust.analyse, is_rep),
    Check(Step.MANAGER, manager.analyse, is_manager),
)
