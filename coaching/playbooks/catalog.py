"""Playbooks as validated data: one TOML file per playbook under `playbooks/data/`.

Advice, signals and questions live in data so a sales lead can read and tune them without
touching code; the analysers only decide *when* a rule applies. A broken file fails loudly
with one readable line naming the file and the field.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)

from coaching.types import CommitmentKind, Severity

_CODE = r"^[a-z0-9_]+(\.[a-z0-9_]+)+$"


class PlaybookError(Exception):
    """A playbook data file is malformed; the message names the file and the field."""


def _compile(value: object) -> re.Pattern[str]:
    if isinstance(value, re.Pattern):
        return value
    if not isinstance(value, str):
        raise TypeError("a pattern must be a string")
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {value!r}: {exc}") from exc


Pattern = Annotated[re.Pattern[str], BeforeValidator(_compile)]
Prose = Annotated[str, AfterValidator(lambda text: " ".join(text.split()))]
"""Multi-line TOML strings folded to one paragraph, so data files can wrap freely."""


class Suggestion(BaseModel):
    """A next step the coach proposes when a rule fires; the rep accepts or dismisses it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: CommitmentKind
    text: Prose = Field(min_length=5)
    days: int = Field(ge=0, le=180)
    business_days: bool = False
    only_when_matched: bool = False
    """The step fits only the rule's own situation (the acid test's poor fit), so a finding
    the situation model raised for the code in general does not get it."""


class Rule(BaseModel):
    """One detectable signal: patterns that raise a finding code, unless suppressed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=_CODE)
    severity: Severity
    advice: Prose = Field(min_length=10)
    patterns: tuple[Pattern, ...] = ()
    unless: tuple[Pattern, ...] = ()
    category: str | None = None
    name: str | None = None
    suggest: Suggestion | None = None


class Playbook(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    summary: Prose = Field(min_length=20)
    questions: tuple[Prose, ...] = ()
    rules: tuple[Rule, ...] = ()

    def rule(self, code: str, name: str | None = None) -> Rule:
        """The rule for `code` (and `name`, where one code has several rules)."""
        for rule in self.rules:
            if rule.code == code and (name is None or rule.name == name):
                return rule
        raise KeyError(f"playbook {self.id!r} has no rule {code!r} named {name!r}")


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]
    ).lstrip(".")
    return f"{where or '<file>'}: {first['msg']}"


def parse_playbook(source: str, text: str) -> Playbook:
    """Parse one playbook file; `source` names it in any error."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlaybookError(f"{source}: not valid TOML: {exc}") from exc
    try:
        return Playbook.model_validate(data)
    except ValidationError as exc:
        raise PlaybookError(f"{source}: {_describe(exc)}") from exc


@cache
def load_playbooks() -> dict[str, Playbook]:
    """Every shipped playbook by id, read once per process on first use."""
    folder = resources.files("coaching.playbooks") / "data"
    books: dict[str, Playbook] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            book = parse_playbook(f"coaching/playbooks/data/{entry.name}", entry.read_text("utf-8"))
            books[book.id] = book
    return books


def playbook(playbook_id: str) -> Playbook:
    return load_playbooks()[playbook_id]
