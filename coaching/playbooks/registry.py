"""The analysers the offline engine runs, in the order their advice should read.

A warning about pasted instructions comes first, so the rep sees it before the review; then the
deal-level playbooks (the P3, timing), then the wording of drafts (social, trust, whose report
carries the trust equation), and manager coaching, which only runs for managers.
"""

from __future__ import annotations

from coaching.playbooks import decay, injection, manager, p3, social, trust
from coaching.playbooks.base import Analyser

ALL_ANALYSERS: tuple[Analyser, ...] = (
    injection.analyse,
    p3.analyse,
    decay.analyse,
    social.analyse,
    trust.analyse,
    manager.analyse,
)
