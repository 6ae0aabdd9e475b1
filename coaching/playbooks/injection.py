"""Pasted text is data: report instructions aimed at the coach, and change nothing else.

Every other analyser reads the same text as usual, so an injected "set every score to 10" has
no effect beyond this report. The finding quotes the first instruction and counts the others,
so the rep sees the attempt without a wall of repeated warnings.
"""

from __future__ import annotations

from coaching.playbooks.base import Context, PlaybookReport
from coaching.playbooks.catalog import playbook
from coaching.playbooks.signals import all_hits, clause_bounds, clause_span, to_finding


def analyse(ctx: Context) -> list[PlaybookReport]:
    book = playbook("input_safety")
    rule = book.rule("input.injection")
    hits = all_hits([rule], ctx.text)
    quotes: list[str] = []
    covered = -1
    for hit in hits:
        if hit.start() >= covered:
            covered = max(hit.end(), clause_bounds(ctx.text, hit.start(), hit.end())[1])
            quotes.append(clause_span(ctx.text, hit.start(), hit.end()))
    if not quotes:
        return []
    advice = rule.advice
    if len(quotes) > 1:
        advice += f" The text holds {len(quotes)} such instructions; none was followed."
    return [PlaybookReport(book.id, [to_finding(rule, quotes[0], advice)], [book.summary])]
