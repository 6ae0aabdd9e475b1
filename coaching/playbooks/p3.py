"""The post-proposal presentation playbook: ask for the final meeting, and build it well."""

from __future__ import annotations

from coaching.dates import add_business_days
from coaching.playbooks.base import Context, PlaybookReport, first_match, sentence_around
from coaching.playbooks.catalog import playbook
from coaching.types import Commitment, CommitmentKind, CommitmentStatus, Finding

P3_DEFAULT_LEAD_BUSINESS_DAYS = 2


def analyse(ctx: Context) -> list[PlaybookReport]:
    book = playbook("p3")
    rule = book.rule("p3.not_requested")
    match = first_match(ctx.text, list(rule.patterns))
    if match is None or first_match(ctx.text, list(rule.unless)):
        return []
    evidence = sentence_around(ctx.text, match.start(), match.end())
    due = add_business_days(ctx.now.date(), P3_DEFAULT_LEAD_BUSINESS_DAYS)
    request = Commitment(
        text="Request a post-proposal presentation with the final decision maker",
        kind=CommitmentKind.P3_REQUEST,
        due=due,
        status=CommitmentStatus.SUGGESTED,
    )
    finding = Finding(
        code=rule.code, severity=rule.severity, evidence=evidence, advice=rule.advice.strip()
    )
    return [
        PlaybookReport(
            playbook=book.id,
            findings=[finding],
            advice=[book.summary.strip()],
            commitments=[request],
        )
    ]
