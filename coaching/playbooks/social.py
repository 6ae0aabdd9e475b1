"""Social selling: don't be creepy, measure customer actions, connect, and give first.

The creepy rules only look at the rep's own drafts and plans; a manager describing the team
gets none of them. Activity counts are judged as a pattern (several counts adding up to real
volume, or a mass send), so a rep mentioning the two calls they had is not told off for being a
funnelist.
"""

from __future__ import annotations

import re

from coaching.playbooks.base import Context, PlaybookReport
from coaching.playbooks.catalog import Playbook, playbook
from coaching.playbooks.routing import is_rep
from coaching.playbooks.signals import (
    Suppress,
    all_hits,
    book_findings,
    clause_span,
    fire,
    first_hit,
    has_signal,
    matches_any,
    signal,
    to_finding,
)
from coaching.playbooks.suggestions import suggestion
from coaching.types import Finding

MIN_ACTIVITY_COUNTS = 2
MIN_ACTIVITY_TOTAL = 20
_NUMBER = re.compile(r"\d[\d,]*")


def analyse(ctx: Context) -> list[PlaybookReport]:
    reports = [_funnel_report(playbook("dont_be_a_funnelist"), ctx)]
    if is_rep(ctx):
        reports += [
            _creepy_report(playbook("dont_be_creepy"), ctx),
            _plain_report(playbook("connections_not_contacts"), ctx),
            _network_report(playbook("enrich_your_network"), ctx),
        ]
    return [r for r in reports if r is not None]


def _report(book: Playbook, findings: list[Finding]) -> PlaybookReport | None:
    if not findings:
        return None
    return PlaybookReport(playbook=book.id, findings=findings, advice=[book.summary])


def _plain_report(book: Playbook, ctx: Context) -> PlaybookReport | None:
    return _report(book, book_findings(book, ctx))


def _creepy_report(book: Playbook, ctx: Context) -> PlaybookReport | None:
    """Never-category details, careless role changes, unwitnessed praise, over-sharing."""
    findings = book_findings(book, ctx, skip=("creepy.brown_nosing",))
    praise = _brown_nosing(book, ctx.text)
    if praise is not None:
        findings.append(praise)
    return _report(book, findings)


def _brown_nosing(book: Playbook, text: str) -> Finding | None:
    """Praise counts as flattery when the rep admits not witnessing it, or shows no sign of it."""
    rule = book.rule("creepy.brown_nosing")
    scope = Suppress.NONE if has_signal(book, "not_witnessed", text) else Suppress.TEXT
    return fire(rule, text, scope=scope)


def _funnel_report(book: Playbook, ctx: Context) -> PlaybookReport | None:
    """Activity reported as progress: several counts, or a send measured in thousands."""
    counts = book.rule("funnel.activity_metrics", "counts")
    hits = all_hits([counts], ctx.text)
    total = sum(_count(ctx.text[m.start() : m.end()]) for m in hits)
    finding: Finding | None = None
    a_pattern = len(hits) >= MIN_ACTIVITY_COUNTS and total >= MIN_ACTIVITY_TOTAL
    if a_pattern and not matches_any(counts.unless, ctx.text):
        finding = to_finding(counts, clause_span(ctx.text, hits[0].start(), hits[0].end()))
    if finding is None:
        finding = fire(book.rule("funnel.activity_metrics", "volume"), ctx.text)
    return _report(book, [finding] if finding else [])


def counted_activity(text: str) -> bool | None:
    """Whether counted activity adds up to real volume; None when nothing is counted.

    "3 calls and 2 emails" is a week's ordinary work, not a funnel report.
    """
    hits = all_hits(
        [playbook("dont_be_a_funnelist").rule("funnel.activity_metrics", "counts")], text
    )
    if not hits:
        return None
    return sum(_count(text[m.start() : m.end()]) for m in hits) >= MIN_ACTIVITY_TOTAL


def _count(activity: str) -> int:
    number = _NUMBER.search(activity)
    return int(number.group().replace(",", "")) if number else 0


def _network_report(book: Playbook, ctx: Context) -> PlaybookReport | None:
    """An introduction the rep is weighing: encourage it, with the give-first habit."""
    intro = signal(book, "introduction")
    if first_hit(intro, ctx.text) is None:
        return None
    step = suggestion(intro, ctx)
    return PlaybookReport(
        playbook=book.id,
        advice=[book.summary, intro.advice],
        commitments=[step] if step else [],
    )
