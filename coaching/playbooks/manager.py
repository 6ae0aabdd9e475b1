"""Manager coaching: revenue mix, training that sticks, a CRM people use, hiring for results.

These run only for managers, whose messages are about their team rather than a rep's own
draft. Apart from `revenue.unbalanced` no contract code fits, so the playbooks answer with
advice alone: the manager asked a question and deserves a coach's view, not a finding.
"""

from __future__ import annotations

from coaching.playbooks.base import Context, PlaybookReport
from coaching.playbooks.catalog import Playbook, playbook
from coaching.playbooks.routing import is_manager
from coaching.playbooks.signals import fire, has_signal

ADVICE_BOOKS = (
    ("toxic_training", ("training_event",)),
    ("crm_discipline", ("crm_overload", "side_systems")),
    ("recruiting_retreads", ("retread_hiring",)),
)


def analyse(ctx: Context) -> list[PlaybookReport]:
    if not is_manager(ctx):
        return []
    reports = [_revenue(playbook("good_revenue"), ctx)]
    reports += [_advice(playbook(book_id), names, ctx) for book_id, names in ADVICE_BOOKS]
    return [r for r in reports if r is not None]


def _revenue(book: Playbook, ctx: Context) -> PlaybookReport | None:
    """Attainment reached on one line while the others sit at zero."""
    if not has_signal(book, "attainment", ctx.text):
        return None
    finding = fire(book.rule("revenue.unbalanced"), ctx.text)
    if finding is None:
        return None
    return PlaybookReport(book.id, [finding], [book.summary])


def _advice(book: Playbook, names: tuple[str, ...], ctx: Context) -> PlaybookReport | None:
    """The playbook's view on what the manager plans, one paragraph per matching signal."""
    notes = [book.rule(f"signal.{n}").advice for n in names if has_signal(book, n, ctx.text)]
    if not notes:
        return None
    return PlaybookReport(book.id, advice=[book.summary, *notes])
