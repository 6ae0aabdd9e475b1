"""The question that fits the deal's stage, for messages no playbook found fault with.

A rep who tells the coach about a deal and gets "I'm your sales coach" back stops telling it
things. So when nothing needs correcting, the coach still engages: it recognises that the
message is about selling and asks the diagnostic question for where the deal stands. The cues
and questions are data (`stages.toml`), in our own words.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Stage:
    name: str
    cues: tuple[re.Pattern[str], ...]
    question: str


@dataclass(frozen=True)
class Stages:
    deal_cues: tuple[re.Pattern[str], ...]
    stages: tuple[Stage, ...]


def _compiled(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@cache
def load_stages() -> Stages:
    source = resources.files("coaching.playbooks") / "stages.toml"
    data = tomllib.loads(source.read_text("utf-8"))
    return Stages(
        deal_cues=_compiled(data["deal_cues"]),
        stages=tuple(
            Stage(s["name"], _compiled(s["cues"]), " ".join(s["question"].split()))
            for s in data["stages"]
        ),
    )


def has_deal_cues(text: str) -> bool:
    return any(p.search(text) for p in load_stages().deal_cues)


def stage_question(text: str, *, about_a_deal: bool) -> Stage | None:
    """The first stage whose cues appear, for a message about a deal; None otherwise.

    `about_a_deal` is the situation model's reading; the cue words (an amount, "proposal",
    "renewal") back it up on messages too short for the model to be sure.
    """
    if not (about_a_deal or has_deal_cues(text)):
        return None
    return next(s for s in load_stages().stages if any(p.search(text) for p in s.cues))
