"""The reply a rep reads: one point first, their own facts, concrete next steps.

A coach in a chat says the most important thing in a sentence or two, shows the rep their own
words, names what to do next with the people and dates from the deal, and stops. Theory is
one command away (`explain`), never pasted into every answer. Every surface (console, Slack,
Teams) shows this same text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from coaching.commitments.match import already_line
from coaching.playbooks import trust
from coaching.playbooks.base import Context, PlaybookReport
from coaching.playbooks.catalog import playbook
from coaching.playbooks.p3 import presents_for_us
from coaching.playbooks.routing import looks_like_draft
from coaching.playbooks.stages import Stage, load_stages
from coaching.replies.facts import (
    DealFacts,
    deal_names,
    deal_window,
    deal_windows,
    read_facts,
    read_facts_about,
    single_deal,
)
from coaching.replies.moves import (
    ManagerMove,
    Move,
    Question,
    StageMove,
    capitalised,
    fill,
    load_moves,
    slots,
)
from coaching.replies.one_on_one import asks_how_to_coach, build_one_on_one, coached_rep
from coaching.replies.praise import build_praise, dated_customer_steps
from coaching.replies.wording import short
from coaching.types import (
    Commitment,
    CommitmentStatus,
    Finding,
    MessageKind,
    Party,
    Role,
    Severity,
    TrustScores,
)

CAPABILITIES = (
    "I'm your sales coach. Tell me about a deal, paste a draft email or a call plan, and I'll "
    "check it against our playbooks: the trust equation, the post-proposal presentation (P3), "
    '"don\'t be creepy", customer actions over activity, and deal-interest decay.\n'
    'Try: "I sent the proposal to Acme and will wait for their decision", or type /help.'
)
CHAT_WORDS = 150
REVIEW_WORDS = 220
QUOTE_WORDS = 28
_SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}
_PRIORITY = (
    "p3.excuse.public_speaking",
    "p3.excuse.all_in_proposal",
    "p3.excuse.said_it_all",
    "p3.excuse.dont_know_what_to_say",
    "p3.not_requested",
    "p3.decision_maker_absent",
    "creepy.never",
    "decay.hot_window",
    "decay.stale",
    "trust.self_orientation",
    "trust.transparency",
    "trust.credibility",
    "p3.seller_centric",
    "p3.process_over_outcomes",
    "revenue.unbalanced",
    "funnel.activity_metrics",
    "social.mass_outreach",
    "trust.intimacy",
    "pitch.features_over_needs",
    "trust.reliability",
    "p3.no_emotion",
    "creepy.brown_nosing",
    "creepy.maybe",
    "creepy.too_personal",
)
TRUST_TOPIC = frozenset(
    {
        "trust.self_orientation",
        "trust.credibility",
        "trust.reliability",
        "trust.intimacy",
        "trust.transparency",
        "pitch.features_over_needs",
    }
)
_ASKS_ABOUT_TRUST = re.compile(r"\btrust(?:ed|worthy|s)?\b", re.IGNORECASE)
INJECTION = "input.injection"
NOT_REQUESTED = "p3.not_requested"
DECIDER_ABSENT = "p3.decision_maker_absent"
_DECAY = ("decay.hot_window", "decay.stale")
_DRAFT_WORDING = (
    "creepy.never",
    "trust.self_orientation",
    "trust.credibility",
    "trust.transparency",
)
"""In a pasted draft, what the draft itself says wrong leads over the deal's next meeting."""
_NERVOUS = re.compile(
    r"\b(?:dread\w*|nervous|terrified|scared|anxious|freez\w*|froze|panic\w*|hands\s+shake|"
    r"stage\s+fright)\b",
    re.IGNORECASE,
)
_DRAFT_OPENING = re.compile(
    r"\s*(?:(?:draft|email|reply|message|note)\b[^:\n]{0,30}:\s*)?(?:hi|hello|hey|dear)\b",
    re.IGNORECASE,
)
_ASKING = re.compile(
    r"\b(?:should|shall|can|could) (?:i|we)\b|\b(?:is it ok|what if|what now|what do i|how do i|"
    r"how should i|who should|good call|good idea|thoughts)\b",
    re.IGNORECASE,
)
_FEELING_LEADS = frozenset({"p3.excuse.public_speaking"})
"""Leads that already speak to the rep's nerves, so the feeling line is not said twice."""
# "Jonas to present it": with a decider in that deal's text, their person presents for us.
_PRESENTS_IT = re.compile(r"\bpresent\w*\s+(?:it|this|them)\b", re.IGNORECASE)
_SAID_NO = re.compile(
    r"\b(?:said|says|told us|came back with)\s+(?:a\s+)?no\b|\b(?:lost|budget\s+(?:got\s+)?cut)\b|"
    r"\b(?:went|gone|going)\s+with\s+(?:a|another|the)\s+(?:rival|competitor|cheaper)|"
    r"\bchose\s+(?:a|another|the\s+other)\s+(?:vendor|supplier|competitor)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Turn:
    """Everything the engine concluded about one message, for the composer to word."""

    ctx: Context
    reports: Sequence[PlaybookReport]
    findings: Sequence[Finding]
    commitments: Sequence[Commitment]
    scores: TrustScores | None
    stage: Stage | None
    hunch: str | None = None
    """With no finding: the code the message most nearly shows, asked about as a question."""
    already: Sequence[Commitment] = ()
    """The rep's open commitments this message repeats, named instead of stored again."""


def compose(turn: Turn) -> str:
    """The reply: the answer to the rep's direct question, or the lead and its steps, or
    earned praise, or the stage question; then the second deal's line, if there is one."""
    ranked = ranked_for(turn.findings, turn.ctx.text)
    ctx = turn.ctx
    facts = (
        read_facts_about(ctx.text, ranked[0].evidence, ctx.now, ctx.role)
        if ranked
        else read_facts(ctx.text, ctx.now, ctx.role)
    )
    injected = any(f.code == INJECTION for f in ranked)
    coachable = [f for f in ranked if f.code != INJECTION]
    coaching_asked = asks_how_to_coach(ctx.text) if ctx.role is Role.MANAGER else None
    # In a pasted draft, what its wording gets wrong (whose reasons, unbacked claims) comes
    # first; otherwise a question about the draft itself ("just circling back...") leads.
    draft = _is_a_draft(ctx.text)
    skip = coaching_asked is not None or (draft and any(f.code in _DRAFT_WORDING for f in ranked))
    asked = None if skip else asked_question(ctx.text, draft=draft)
    question = asked[0] if asked else None
    if asked is not None:
        facts = read_facts_about(ctx.text, asked[1], ctx.now, ctx.role)
    lead_company = facts.company if ranked or asked else _open_deal(ctx.text, facts.company)
    other = _other_deal(turn, lead_company, coachable[1:] if asked is None else coachable)
    if other is not None:
        coachable = [f for f in coachable if f is not other.finding]
    if coaching_asked is not None:
        core = _one_on_one(coachable, facts, ctx)
    elif question is not None:
        rest = [f for f in coachable if f.code not in question.covers]
        core = _answer(question, facts, ctx)
        also = _also(rest, "", limit=3)
        if also:
            core.append(also)
    elif coachable:
        core = _coaching(coachable, facts, ctx, turn.stage)
    elif injected:
        core = _coaching([f for f in ranked if f.code == INJECTION], facts, ctx, None)
    else:
        opening = _without_findings(turn, lead_company)
        if opening is None:
            return CAPABILITIES
        core = opening
    if injected and coachable:
        core.insert(0, _injection_note())
    if _NERVOUS.search(ctx.text) and not (ranked and ranked[0].code in _FEELING_LEADS):
        core.insert(0, load_moves().feelings.nervous)
    if other is not None:
        core.append(other.line)
    plain = question is None and coaching_asked is None
    trust_line = _trust_line(turn, coachable) if plain else None
    tail = [trust_line] if trust_line else []
    owner = facts.company if single_deal(ctx.text) else None
    told = other.commitment if other is not None else None
    ours = facts.rep if ctx.role is Role.MANAGER else None
    tail += [_commitment_line(c, owner, ours) for c in turn.commitments if c is not told]
    tail += [already_line(c) for c in turn.already]
    budget = REVIEW_WORDS if turn.ctx.kind is MessageKind.REVIEW else CHAT_WORDS
    return "\n\n".join(_within_budget(core, tail, budget))


def ranked_for(findings: Sequence[Finding], text: str) -> list[Finding]:
    """The findings in the order the reply leads with them, for the message they came from."""
    return rank(findings, champion_alone=presents_for_us(text), draft=looks_like_draft(text))


def rank(
    findings: Sequence[Finding], *, champion_alone: bool = False, draft: bool = False
) -> list[Finding]:
    """Most important first: what the situation costs the deal, then severity.

    An excuse for skipping the final presentation leads over the missing request itself,
    because the excuse is what has to change first; so does a champion who will present it
    alone, because getting into that meeting is the request. In a draft the wording is the
    point, so the wording problems lead and the deal's timing (decay) comes after them.
    """
    order: dict[str, float] = {code: index for index, code in enumerate(_PRIORITY)}
    if champion_alone:
        order[DECIDER_ABSENT] = order[NOT_REQUESTED] - 0.5
    if draft:
        for code in _DECAY:
            order[code] = len(order)
        for index, code in enumerate(_DRAFT_WORDING):
            order[code] = index - len(_DRAFT_WORDING)
    return sorted(
        findings,
        key=lambda f: (
            f.code != INJECTION,
            order.get(f.code, len(order)),
            _SEVERITY_RANK[f.severity],
        ),
    )


@dataclass(frozen=True)
class _OtherDeal:
    """The second deal's own line, and the finding or customer step it has taken over."""

    line: str
    finding: Finding | None = None
    commitment: Commitment | None = None


def _other_deal(
    turn: Turn, lead_company: str | None, findings: Sequence[Finding]
) -> _OtherDeal | None:
    """A message about two deals: the one the reply does not lead with gets a short line.

    `findings` are those the lead has not used, best first; the first about this deal is it.
    """
    ctx = turn.ctx
    names = deal_names(ctx.text)
    lead = lead_company or (names[0] if names else None)
    others = [name for name in names if name != lead]
    if lead is None or not others:
        return None
    deal = others[0]
    window = deal_window(ctx.text, deal)
    deals = load_moves().deals
    values = slots(read_facts(window, ctx.now, ctx.role), ctx.now.date())
    moves = load_moves().codes
    for finding in findings:
        move = moves.get(finding.code)
        if move is not None and finding.evidence and finding.evidence in window:
            step = fill(move.steps[0], values)
            line = deals.finding.format(deal=deal, label=move.label, step=step)
            return _OtherDeal(line=line, finding=finding)
    for commitment in turn.commitments:
        who = commitment.counterpart or ""
        if commitment.party is Party.CUSTOMER and who and who in window:
            for_us = presents_for_us(commitment.text) or bool(
                _PRESENTS_IT.search(commitment.text) and _decider_in(window, ctx)
            )
            template = deals.presents_for_us if for_us else deals.customer_step
            line = template.format(deal=deal, step=commitment.text, when=_when(commitment), who=who)
            return _OtherDeal(line=line, commitment=commitment)
    template = deals.said_no if _said_no(ctx.text, deal) else deals.open
    return _OtherDeal(line=template.format(deal=deal))


def _decider_in(window: str, ctx: Context) -> bool:
    return read_facts(window, ctx.now, ctx.role).decider is not None


def _open_deal(text: str, first: str | None) -> str | None:
    """With nothing to correct, the reply leads with a deal still in play, so a deal that
    said no gets the short line and the live one the question ("Quill said no; Redfield
    wants a demo" is a question about the Redfield demo)."""
    if first is None or not _said_no(text, first):
        return first
    return next((name for name in deal_names(text) if not _said_no(text, name)), first)


def _said_no(text: str, name: str) -> bool:
    return any(_SAID_NO.search(window) for window in deal_windows(text, name))


def _is_a_draft(text: str) -> bool:
    """The message is the draft itself ("Hi Gustav, ... could we?"), so its questions are the
    customer's to answer; "Should I cc my VP on the email?" is the rep asking the coach."""
    return _DRAFT_OPENING.match(text) is not None


def asked_question(text: str, *, draft: bool = False) -> tuple[Question, str] | None:
    """The direct question the message asks, if it asks one a coach has an answer for, with
    the words that ask it.

    The topic and the question mark are often in different sentences ("Joel is giving them
    15% to close. Should I approve it?"), so the whole message is read once it asks anything.
    """
    if "?" not in text and _ASKING.search(text) is None and not draft:
        return None
    questions = [q for q in load_moves().questions.values() if q.in_drafts or not draft]
    asked = ((q, words) for q in questions if (words := q.asked(text)))
    return next(asked, None)


def _answer(question: Question, facts: DealFacts, ctx: Context) -> list[str]:
    """The answer first, in the rep's facts; a manager hears the version for the 1:1."""
    told = question.manager if ctx.role is Role.MANAGER and question.manager else question
    values = slots(facts, ctx.now.date())
    return [fill(told.lead, values), _steps(told.steps, values, one_situation=True)]


def _one_on_one(ranked: Sequence[Finding], facts: DealFacts, ctx: Context) -> list[str]:
    """What the manager asks the rep in the 1:1, for the situation that leads."""
    top = ranked[0] if ranked else None
    values = slots(facts, ctx.now.date(), top.category if top else None)
    rep = coached_rep(ctx.text) or facts.rep
    if rep is not None:
        values |= {"rep": rep, "rep_cap": rep}
    return build_one_on_one(ranked, values)


def _coaching(
    ranked: Sequence[Finding], facts: DealFacts, ctx: Context, stage: Stage | None
) -> list[str]:
    """The lead, the quote and the steps for the top situation; a manager hears what to
    take into the 1:1 with the rep, where the move has words for that. A pasted draft also
    gets its problem sentence rewritten ("Try:") in place of the steps: the rewrite is the step,
    and it teaches more than a rule."""
    moves = load_moves().codes
    top = ranked[0]
    move = moves.get(top.code)
    values = slots(facts, ctx.now.date(), top.category)
    if move is None:
        return [top.advice, _quote(top.evidence)]
    staged = move.stages.get(stage.name) if stage is not None else None
    told: Move | ManagerMove | StageMove = staged or move
    if ctx.role is Role.MANAGER and move.manager:
        told = move.manager
    rewrite = move.try_line if looks_like_draft(ctx.text) and told is move else None
    parts = [fill(told.lead, values)]
    if _worth_quoting(top.evidence, ctx.text):
        parts.append(_quote(top.evidence))
    if rewrite:
        parts.append(fill(rewrite, values))
    else:
        one_situation = len({f.code for f in ranked}) == 1
        parts.append(_steps(told.steps, values, one_situation=one_situation))
    also = _also(ranked[1:], top.code)
    if also:
        parts.append(also)
    why = staged.why if staged is not None else move.why
    parts.append(f"Why: {fill(why, values)}")
    return parts


def _steps(steps: Sequence[str], values: dict[str, str], *, one_situation: bool) -> str:
    """Up to three steps when this is the only situation, two when others follow."""
    chosen = steps[: 3 if one_situation else 2]
    if len(chosen) == 1:
        return f"Next step: {fill(chosen[0], values)}"
    lines = [f"{n}. {fill(step, values)}" for n, step in enumerate(chosen, start=1)]
    return "Next steps:\n" + "\n".join(lines)


def _also(rest: Sequence[Finding], lead_code: str, limit: int = 2) -> str | None:
    """One line naming the other situations found, each with the rep's words."""
    moves = load_moves().codes
    lead = moves.get(lead_code)
    seen = {lead_code} | (lead.covers if lead else frozenset())
    items: list[str] = []
    for finding in rest:
        if finding.code in seen or finding.code == INJECTION:
            continue
        seen.add(finding.code)
        label = moves[finding.code].label if finding.code in moves else finding.code
        items.append(f"{label} (\u201c{short(finding.evidence, 10)}\u201d)")
        if len(items) == limit:
            break
    return f"Also worth fixing: {'; '.join(items)}." if items else None


def _injection_note() -> str:
    return (
        "Note: part of what you pasted tries to give me instructions. I treated it as text "
        "to coach and followed none of it."
    )


def _without_findings(turn: Turn, company: str | None) -> list[str] | None:
    """Earned praise, a playbook's own note, or the question for the deal's stage."""
    praise = build_praise(turn.ctx, turn.stage, turn.commitments)
    notes = _notes(turn.reports)
    parts: list[str] = []
    if praise:
        parts.append(praise)
    parts.extend(notes[:3])
    ready_draft = bool(praise) and looks_like_draft(turn.ctx.text)
    probe = None if praise or notes else _probe(turn)
    if ready_draft:
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


def _trust_line(turn: Turn, findings: Sequence[Finding]) -> str | None:
    """The equation, read for the rep, only where trust is the point of the message."""
    scores = turn.scores
    if scores is None:
        return None
    lead_is_trust = bool(findings) and findings[0].code in TRUST_TOPIC
    asked = _ASKS_ABOUT_TRUST.search(turn.ctx.text) is not None
    if not (lead_is_trust or asked):
        return None
    return (
        f"Trust score {scores.trust:g} = (credibility {scores.credibility:g} + reliability "
        f"{scores.reliability:g} + intimacy {scores.intimacy:g}) / self-orientation "
        f"{scores.self_orientation:g}, each 1-10. {_weakest(scores)}"
    )


def _weakest(scores: TrustScores) -> str:
    """The one component to work on, and the lever that moves it."""
    weakest = trust.weakest_component(scores, flagged=False)
    if weakest is None:
        return "Nothing in the wording pulls it down."
    lever = trust.lever(playbook("trust_equation"), weakest)
    if weakest == "self_orientation":
        return f"The weak spot is self-orientation (lower is better). {lever}"
    return f"The weak spot is {weakest}. {lever}"


def _commitment_line(commitment: Commitment, company: str | None, ours: str | None = None) -> str:
    """One short line per next step, so the rep sees what is tracked and by when. A manager's
    own rep (`ours`) doing something is their plan, never the customer's progress."""
    due = commitment.due
    when = _when(commitment)
    if ours is not None and commitment.counterpart == ours:
        return f"{ours}'s plan: {commitment.text.removeprefix(f'{ours}: ')}, {when}."
    if commitment.party is Party.CUSTOMER:
        who = company or commitment.counterpart
        owner = (f"{who}'" if who.endswith("s") else f"{who}'s") if who else "The customer's"
        if presents_for_us(commitment.text):
            return (
                f"{capitalised(owner)} plan: {commitment.text}, {when}. Better with us in the room."
            )
        news = "That's real progress." if due else "Ask them for the day."
        return f"{owner} next step: {commitment.text}, {when}. {news}"
    if commitment.status is CommitmentStatus.SUGGESTED:
        return f"Suggested: {commitment.text}, {when}. Accept it to track it."
    return f"Tracking: {commitment.text}, {when}." + ("" if due else " Pick a day and tell them.")


def _when(commitment: Commitment) -> str:
    due = commitment.due
    return f"due {due:%a} {due.day} {due:%b}" if due else "no date yet"


def _drop(prefix: str) -> Callable[[str], str]:
    return lambda part: "" if part.startswith(prefix) else part


def _only_first_step(part: str) -> str:
    return re.sub(r"\n2\. [^\n]*", "", part).replace("Next steps:\n1. ", "Next step: ")


_CUTS: tuple[Callable[[str], str], ...] = (
    _drop("Why: "),
    lambda part: re.sub(r"\n3\. [^\n]*", "", part),
    _drop("Trust score"),
    lambda part: part.replace(" Accept it to track it.", ""),
    _only_first_step,
    _drop("You wrote: "),
    _drop("Also worth fixing: "),
    _drop("Suggested: "),
)


def _within_budget(core: list[str], tail: list[str], budget: int) -> list[str]:
    """Drop the least useful parts (why, the third step, the trust reading, then the quote,
    the "Also" line and the suggested step) until it fits: the budget counts every line."""
    parts = core + tail
    for cut in _CUTS:
        if _words(parts) <= budget:
            break
        parts = [kept for p in parts if (kept := cut(p))]
    return parts


def _words(parts: Sequence[str]) -> int:
    return sum(len(p.split()) for p in parts)


def _worth_quoting(evidence: str, text: str) -> bool:
    """Quoting points at the sentence in a longer message; echoing most of a two-line message
    back at the rep reads like a machine."""
    return len(text.split()) > 2 * max(len(evidence.split()), 12)


def _quote(evidence: str) -> str:
    return f"You wrote: \u201c{short(evidence, QUOTE_WORDS)}\u201d"
