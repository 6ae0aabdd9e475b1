"""The analysers the offline engine runs, in the order their advice should read."""

from __future__ import annotations

from coaching.playbooks import p3
from coaching.playbooks.base import Analyser

ALL_ANALYSERS: tuple[Analyser, ...] = (p3.analyse,)
