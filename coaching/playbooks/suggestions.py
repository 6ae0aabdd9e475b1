"""Next steps the playbooks propose when one of their rules fires.

A finding says what is wrong; a suggested commitment says what to do by when, so the coach
can track it once the rep accepts. Which rule fired is found again from the finding's own
evidence, so every analyser gets this for free by declaring `suggest` in its data file.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from coaching.commitments.dates import add_business_days
from coaching.playbooks.base import Context
from coaching.playbooks.catalog import Rule, load_playbooks
from coaching.types import Commitment, CommitmentStatus, Finding


def suggestion(rule: Rule, ctx: Context) -> Commitment | None:
    """The rule's proposed next step, dated from the rep's own clock."""
    if rule.suggest is None:
        return None
    today = ctx.now.date()
    step = rule.suggest
    due = (
        add_business_days(today, step.days)
        if step.business_days
        else today + timedelta(days=step.days)
    )
    return Commitment(text=step.text, kind=step.kind, due=due, status=CommitmentStatus.SUGGESTED)


def for_findings(findings: Iterable[Finding], ctx: Context) -> list[Commitment]:
    """One suggestion per rule with a `suggest` whose patterns produced one of the findings."""
    suggested: dict[tuple[str, str | None], Commitment] = {}
    for finding in findings:
        for rule in suggesting_rules(finding.code):
            key = (rule.code, rule.name)
            if key in suggested or not any(p.search(finding.evidence) for p in rule.patterns):
                continue
            commitment = suggestion(rule, ctx)
            if commitment is not None:
                suggested[key] = commitment
    return list(suggested.values())


def suggesting_rules(code: str) -> list[Rule]:
    return [
        rule
        for book in load_playbooks().values()
        for rule in book.rules
        if rule.code == code and rule.suggest is not None
    ]
