"""The post-proposal presentation playbook: ask for the final meeting, and build it well.

In chat the coach looks for the moment a proposal goes out (or a decision is pending) with no
final presentation planned, for the rep trying to skip it, for the four classic excuses and for
a deal left in the hands of a technical buyer. In a review it scores the outline itself. The
suggested `p3_request` lands on the proposal-delivery day when the rep names one, because the
best time to ask is as the proposal goes in, and always before the customer decides.
"""

from __future__ import annotations

import re
from datetime import date

from coaching.commitments.dates import add_business_days, find_due_date, previous_business_day
from coaching.playbooks.base import Context, PlaybookReport
from coaching.playbooks.catalog import Playbook, playbook
from coaching.playbooks.p3_outline import assess_outline, build_scorecard, outline_findings
from coaching.playbooks.routing import is_rep, is_review, looks_like_outline
from coaching.playbooks.signals import (
    finditer,
    fire,
    first_hit,
    has_signal,
    sentence_bounds,
)
from coaching.replies.facts import DealFacts, read_facts, single_deal
from coaching.types import Commitment, CommitmentKind, CommitmentStatus, Finding

P3_DEFAULT_LEAD_BUSINESS_DAYS = 2
EXCUSES = (
    "p3.excuse.all_in_proposal",
    "p3.excuse.said_it_all",
    "p3.excuse.public_speaking",
    "p3.excuse.dont_know_what_to_say",
)
# Case-sensitive on purpose: the recipient is the capitalised name the proposal goes "to".
_CALENDAR_WORDS = (
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
    "May|June|July|August|September|October|November|December"
)
_RECIPIENT = re.compile(rf"\bto\s+(?!(?:{_CALENDAR_WORDS})\b)([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b")


def analyse(ctx: Context) -> list[PlaybookReport]:
    if not is_rep(ctx):
        return []
    book = playbook("p3")
    if is_review(ctx):
        return [_review(book, ctx)]
    if not has_signal(book, "p3_context", ctx.text):
        return []
    findings = _chat_findings(book, ctx.text)
    if not findings:
        if not planned(book, ctx.text):
            return []
        return [PlaybookReport(playbook=book.id, findings=[], advice=[_booked(book)])]
    report = PlaybookReport(playbook=book.id, findings=findings, advice=[book.summary])
    if any(f.code == "p3.not_requested" for f in findings):
        report.commitments.append(p3_request(book, ctx))
    return [report]


def _review(book: Playbook, ctx: Context) -> PlaybookReport:
    """A proposal or outline review: the three criteria, the preconditions and a scorecard."""
    assessment = assess_outline(book, ctx.text)
    findings = outline_findings(book, ctx.text, assessment)
    findings += [f for f in (_skipping(book, ctx.text), _decider(book, ctx.text)) if f]
    return PlaybookReport(
        playbook=book.id,
        findings=findings,
        advice=[book.summary, *([_booked(book)] if planned(book, ctx.text) else [])],
        scorecard=build_scorecard(book, ctx.text, assessment),
    )


def _booked(book: Playbook) -> str:
    """The next step once the final presentation is booked, said instead of asking for it
    (which the deal-stage question would otherwise do)."""
    return book.rule("scorecard.p3_requested", "pass").advice


def _chat_findings(book: Playbook, text: str) -> list[Finding]:
    findings: list[Finding] = []
    if has_signal(book, "presentation", text) and not planned(book, text):
        findings += [f for code in EXCUSES if (f := fire(book.rule(code), text))]
    if (not_requested := _not_requested(book, text)) is not None:
        findings.append(not_requested)
    if (absent := _decider(book, text)) is not None:
        findings.append(absent)
    if looks_like_outline(text):
        findings += outline_findings(book, text, assess_outline(book, text))
    elif (talk := fire(book.rule("p3.process_over_outcomes", "talk_track"), text)) is not None:
        findings.append(talk)
    return findings


def planned(book: Playbook, text: str) -> bool:
    """A final presentation to the decision group is already booked, with the rep in it: a
    dated board slot where the champion presents for us is the problem, not the plan."""
    if not has_signal(book, "p3_planned", text):
        return False
    delegated = first_hit(book.rule("p3.decision_maker_absent", "delegated_selling"), text)
    return delegated is None and not carried_alone(text)


# The champion takes it upstairs alone: the decider's meeting exists, but not with the rep.
_WITHOUT_THE_REP = re.compile(
    r"\b(?:(?:pitch|present|take|took|walk|sell|bring|brought|carry|carries|carried)\w*\s+"
    r"(?:it|this|the\s+\w+|our\s+\w+)\s+"
    r"(?:\w+\s+){0,4}(?:herself|himself|themselves|on (?:her|his|their) own|alone|solo)|"
    r"(?:pitch|present|take|walk|sell|bring|carry)\w*\s+(?:it|this|the\s+\w+|our\s+\w+)\s+"
    r"(?:\w+\s+){0,5}without (?:me|us)|"
    r"no need for (?:me|us) to (?:come|join|be there)|without (?:me|us) in the room|"
    r"(?:i'?m|i am|we'?re|we are) not (?:invited|needed|in (?:that|the) (?:meeting|room))|"
    r"(?:her|his|their) (?:\w+\s+){0,2}meeting with (?:the|their|her|his))\b",
    re.IGNORECASE,
)


def carried_alone(text: str) -> bool:
    """The champion takes the proposal to the decider without the rep."""
    return _WITHOUT_THE_REP.search(text) is not None


# "the customer to present our proposal to the exec team": a step in which the customer sells
# for the rep, which is the P3 problem, not progress.
_ON_OUR_BEHALF = re.compile(
    r"\b(?:present|pitch|take|bring|walk|sell|carry)\w*\s+(?:it|this|our\s+\w+|the\s+"
    r"(?:proposal|deck|offer|quote|pricing))\s+(?:to|through|into)\b",
    re.IGNORECASE,
)


def presents_for_us(text: str) -> bool:
    """The customer (a champion) takes the proposal to the decider in the rep's place."""
    return carried_alone(text) or _ON_OUR_BEHALF.search(text) is not None


def decider_engaged(book: Playbook, text: str) -> bool:
    """The final decision maker is planned into the room, or already meets the rep; never
    when the text says the champion carries it to them alone."""
    if carried_alone(text):
        return False
    engaged = book.rule("scorecard.decision_maker_engaged", "pass")
    return planned(book, text) or first_hit(engaged, text) is not None


def _skipping(book: Playbook, text: str) -> Finding | None:
    """The rep argues against the final presentation (a video, a document, no meeting)."""
    if planned(book, text):
        return None
    return fire(book.rule("p3.not_requested", "skipping"), text)


def _not_requested(book: Playbook, text: str) -> Finding | None:
    """Skipping it outright, or a proposal out / decision pending with no P3 in sight."""
    if (skipping := _skipping(book, text)) is not None:
        return skipping
    if planned(book, text) or has_signal(book, "slot_expected", text):
        return None
    for name in ("proposal_out", "decision_pending"):
        if (found := fire(book.rule("p3.not_requested", name), text)) is not None:
            return found
    return None


def _decider(book: Playbook, text: str) -> Finding | None:
    """The final decision maker decides without meeting the rep, or a champion sells alone."""
    if decider_engaged(book, text):
        return None
    for name in ("decider_elsewhere", "delegated_selling"):
        if (found := fire(book.rule("p3.decision_maker_absent", name), text)) is not None:
            return found
    return None


def _date_near(text: str, match: re.Match[str], ctx: Context) -> date | None:
    """The date phrased right after the cue ("decides on the 6th"), else just before it."""
    left, right = sentence_bounds(text, match.start(), match.end())
    for window in (
        text[match.start() : right],
        text[max(left, match.start() - 30) : match.start()],
    ):
        found = find_due_date(window, ctx.now)
        if found is not None:
            return found.due
    return None


def _decision_dates(book: Playbook, ctx: Context) -> list[date]:
    """Every upcoming decision date the rep names."""
    cues = book.rule("signal.decision_date").patterns
    found = (_date_near(ctx.text, m, ctx) for p in cues for m in finditer(p, ctx.text))
    return [d for d in found if d is not None and d > ctx.now.date()]


def _delivery(book: Playbook, ctx: Context) -> tuple[date | None, str | None]:
    """When an upcoming proposal goes out, and to whom, from the sentence announcing it."""
    sent = first_hit(book.rule("p3.not_requested", "proposal_out"), ctx.text)
    if sent is None:
        return None, None
    left, right = sentence_bounds(ctx.text, sent.start(), sent.end())
    sentence = ctx.text[left:right]
    recipient = _RECIPIENT.search(sentence)
    who = recipient.group(1) if recipient else None
    if not has_signal(book, "delivery_upcoming", sentence):
        return None, who
    return _date_near(ctx.text, sent, ctx), who


def p3_request(book: Playbook, ctx: Context) -> Commitment:
    """Ask for the P3 on the delivery day (else in 2 business days), always before the decision."""
    today = ctx.now.date()
    delivery, who = _delivery(book, ctx)
    due = delivery if delivery and delivery >= today else None
    due = due or add_business_days(today, P3_DEFAULT_LEAD_BUSINESS_DAYS)
    decisions = _decision_dates(book, ctx)
    deadline = min(decisions) if decisions else None
    if deadline is not None:
        due = max(today, min(due, previous_business_day(deadline)))
    facts = read_facts(ctx.text, ctx.now, ctx.role) if single_deal(ctx.text) else DealFacts()
    who = who or facts.contact or facts.company
    target = f"Ask {who}" if who else "Ask your contact"
    audience = facts.decider or "the decision group"
    before = f" before {deadline:%B} {deadline.day}" if deadline else " before they decide"
    return Commitment(
        text=f"{target} for a final presentation slot with {audience}{before}",
        kind=CommitmentKind.P3_REQUEST,
        due=due,
        counterpart=who,
        status=CommitmentStatus.SUGGESTED,
    )
