"""A reply with nothing to correct: earned praise, a playbook's note, or the question the
deal's stage needs answered, in the rep's own facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from coaching.commitments.drafts import draft_body
from coaching.playbooks import trust
from coaching.playbooks.base import Context, PlaybookReport
from coaching.playbooks.catalog import playbook
from coaching.playbooks.routing import looks_like_draft
from coaching.playbooks.stages import load_stages
from coaching.replies.facts import deal_window, read_facts, single_deal
from coaching.replies.moves import fill, load_moves, slots
from coaching.replies.praise import build_praise, dated_customer_steps, drafted_promises
from coaching.replies.turn import Turn


def without_findings(turn: Turn, company: str | None) -> list[str] | None:
    """Earned praise, a playbook's own note, or the question for the deal's stage."""
    praise = build_praise(turn.ctx, turn.stage, turn.commitments)
    notes = _notes(turn.reports)
    parts: list[str] = []
    if praise:
        parts.append(praise)
    parts.extend(notes[:3])
    ready_draft = bool(praise) and looks_like_draft(turn.ctx.text)
    probe = None if praise or notes else _probe(turn)
    if ready_draft and _asks_nothing(turn):
        values = slots(read_facts(turn.ctx.text, turn.ctx.now, turn.ctx.role), turn.ctx.now.date())
        parts.append(fill(load_moves().praise.ask_their_step, values))
    elif ready_draft:
        parts.append(load_moves().praise.send_it)
    elif probe is not None:
        parts.append(probe)
    elif turn.stage is not None and (not notes or turn.stage.name == "presentation"):
        moving = turn.stage.name == "any" and bool(dated_customer_steps(turn.commitments))
        settled = praise is not None and load_moves().praise.criteria_agreed in praise
        if settled:
            question = _stage_question("presentation")
        else:
            question = load_moves().praise.keep_going if moving else turn.stage.question
        parts.append(_named(question, turn.ctx, company))
    if not parts and turn.scores is not None:
        parts.append(trust.weakest_advice(playbook("trust_equation"), turn.scores, flagged=False))
    if not parts and turn.reports and not turn.commitments:
        parts.append(playbook(turn.reports[0].playbook).summary)
    if parts or turn.commitments or turn.already:
        return parts
    return None


def _asks_nothing(turn: Turn) -> bool:
    """A draft that promises something dated but asks the customer for nothing in return:
    good, but the deal only moves when they take a step too."""
    body = draft_body(turn.ctx.text)
    return (
        bool(drafted_promises(turn.ctx))
        and "?" not in body
        and not dated_customer_steps(turn.commitments)
    )


def _stage_question(name: str) -> str:
    """The question of a named stage, for a message that has already done its own stage's."""
    return next(s.question for s in load_stages().stages if s.name == name)


def _named(question: str, ctx: Context, company: str | None) -> str:
    """The stage question in the facts of the deal the reply is about ("What is Verra
    Logistics' next action"); in a message about several deals, that deal's own stretch."""
    text = ctx.text if company is None or single_deal(ctx.text) else deal_window(ctx.text, company)
    facts = read_facts(text, ctx.now, ctx.role)
    if company is not None:
        facts = replace(facts, company=company)
    return fill(question, slots(facts, ctx.now.date()))


def _probe(turn: Turn) -> str | None:
    """The question for the situation the message hints at, in the rep's facts."""
    move = load_moves().codes.get(turn.hunch or "")
    if move is None or move.probe is None:
        return None
    ctx = turn.ctx
    return fill(move.probe, slots(read_facts(ctx.text, ctx.now, ctx.role), ctx.now.date()))


def _notes(reports: Sequence[PlaybookReport]) -> list[str]:
    """Advice a playbook gave without a finding (a manager's question, an acid-test check)."""
    notes: list[str] = []
    for report in reports:
        summary = playbook(report.playbook).summary
        notes += [
            a for a in report.advice if a != summary and not a.startswith(trust.WEAKEST_PREFIXES)
        ]
    return list(dict.fromkeys(notes))
