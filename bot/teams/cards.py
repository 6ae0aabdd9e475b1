"""Adaptive Cards for Teams: pure `build_*` functions from domain objects to card JSON.

Cards use schema 1.5, the newest Teams renders
(https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-reference#adaptive-card).
Commitment buttons are `Action.Execute` (Universal Actions: Teams sends an `invoke` and
shows the card we answer with) with an `Action.Submit` fallback for hosts that predate it
(https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/overview).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from coaching.calls.review import CallOutcome
from coaching.commitments.due import DueState, due_status
from coaching.replies.explain import playbook_notes
from coaching.review.service import ReviewOutcome
from coaching.team.privacy import FORGET_QUESTION
from coaching.trust_check import LIKERT, SCALE_HELP, STATEMENTS, TrustReport
from coaching.types import (
    CoachingResult,
    Commitment,
    CommitmentStatus,
    Finding,
    ScorecardEntry,
    TrustScores,
)

Card = dict[str, Any]

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
# Teams refuses messages over ~28 KB; long quotes and long lists are cut to stay well under.
MAX_EVIDENCE_CHARS = 300
MAX_FINDINGS = 8
MAX_COMMITMENTS = 15
# A review's additions are built from the rep's own text, so they are capped the same way.
MAX_OUTLINE_LINES = 25
MAX_IMPROVEMENTS = 10
# The trust self-assessment's submit button; its `verb` key routes `Action.Submit` too.
TRUST_VERB = "trust.submit"
_LIKERT_TITLES = {1: "1 · not true of me at all", 5: "5 · completely true of me"}


class Verb(StrEnum):
    """What a commitment button asks for; the value travels in the action's data."""

    CONFIRM = "commitment.confirm"
    DONE = "commitment.done"
    SNOOZE = "commitment.snooze"


class ForgetVerb(StrEnum):
    """The two answers to "forget me"; the value travels in the action's data."""

    FORGET = "privacy.forget"
    KEEP = "privacy.keep"


class Source(StrEnum):
    """Which card a button sat on, so the answer can redraw that card."""

    RESULT = "result"
    COMMITMENTS = "commitments"


VERB_STATUS = {
    Verb.CONFIRM: CommitmentStatus.OPEN,
    Verb.DONE: CommitmentStatus.DONE,
    Verb.SNOOZE: CommitmentStatus.SNOOZED,
}


def build_result_card(result: CoachingResult, *, today: date) -> Card:
    """One coaching result: the reply, scorecard and next steps, with a "Why?" card that
    opens the findings with their quotes, the scores and the playbooks behind them."""
    return build_adaptive_card(_result_body(result, today))


def build_review_card(outcome: ReviewOutcome, *, today: date) -> Card:
    """A proposal review: the result card, with what changed since the last review, the
    outline with the customer as the hero and the signals after the scorecard."""
    return build_adaptive_card(_result_body(outcome.result, today, _review_extras(outcome)))


def build_call_card(outcome: CallOutcome, *, today: date) -> Card:
    """A call review: the result card with the call scorecard after the reply."""
    call = outcome.call
    facts = [
        ("Rep", f"{call.rep} ({call.rep_reason})"),
        ("Your talk ratio", f"{call.talk_ratio:.0%}"),
        ("Longest monologue", call.longest_monologue),
        ("Next step agreed with a date", "yes" if call.next_step_agreed else "no"),
    ]
    scorecard = [
        build_heading("Call scorecard"),
        {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in facts]},
    ]
    return build_adaptive_card(_result_body(outcome.result, today, scorecard))


def _result_body(
    result: CoachingResult, today: date, extras: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = [build_text_block(result.reply)]
    if result.scorecard:
        body.append(_scorecard(result.scorecard))
    body.extend(extras or [])
    if result.commitments:
        body.append(build_heading("Next steps"))
        body.extend(_commitment(c, today, Source.RESULT) for c in result.commitments)
    why = _why(result)
    if why:
        card = build_adaptive_card(why)
        body.append(
            {
                "type": "ActionSet",
                "actions": [{"type": "Action.ShowCard", "title": "Why?", "card": card}],
            }
        )
    return body


def _why(result: CoachingResult) -> list[dict[str, Any]]:
    """The reasoning one click away: each finding in full, the scores, the playbooks."""
    blocks = _findings(result.findings)
    if result.scores is not None:
        blocks.append(_scores(result.scores))
    blocks.extend(build_text_block(note) for note in playbook_notes(result))
    return blocks


def _review_extras(outcome: ReviewOutcome) -> list[dict[str, Any]]:
    """What changed, the hero outline and the signals, each list cut to stay small."""
    blocks: list[dict[str, Any]] = []
    if outcome.improvements:
        blocks.append(build_heading("What changed since last time"))
        blocks.extend(_clipped_lines(outcome.improvements, MAX_IMPROVEMENTS, bullet="- "))
    if outcome.outline:
        blocks.append(build_heading("Your outline with the customer as the hero"))
        blocks.extend(_clipped_lines(outcome.outline, MAX_OUTLINE_LINES))
    s = outcome.signals
    facts = [
        ("Words about the customer", s.get("customer_words")),
        ("Words about you", s.get("seller_words")),
        ("Customer-to-you ratio", s.get("customer_to_seller_ratio")),
        ("Quantified outcomes", s.get("quantified_outcomes")),
    ]
    shown = [{"title": t, "value": f"{v:g}"} for t, v in facts if v is not None]
    if shown:
        blocks.append(build_heading("Signals"))
        blocks.append({"type": "FactSet", "facts": shown})
    return blocks


def _clipped_lines(lines: list[str], limit: int, *, bullet: str = "") -> list[dict[str, Any]]:
    blocks = [
        build_text_block(f"{bullet}{build_clipped_text(line)}")
        for line in lines[:limit]
        if line.strip()
    ]
    if len(lines) > limit:
        blocks.append(build_text_block(f"…and {len(lines) - limit} more.", subtle=True))
    return blocks


def build_commitments_card(commitments: list[Commitment], *, today: date) -> Card:
    """The rep's open next steps, soonest first, each with its buttons."""
    if not commitments:
        return build_adaptive_card([build_text_block("No open commitments. Nice and tidy.")])
    shown = commitments[:MAX_COMMITMENTS]
    body: list[dict[str, Any]] = [build_heading("Your commitments")]
    body.extend(_commitment(c, today, Source.COMMITMENTS) for c in shown)
    if len(commitments) > len(shown):
        body.append(build_text_block(f"…and {len(commitments) - len(shown)} more.", subtle=True))
    return build_adaptive_card(body)


def build_trust_check_card() -> Card:
    """The self-assessment: one required 1-5 choice per statement, and one submit button.

    Teams merges the inputs' values (keyed by their ids) into the button's data.
    """
    body: list[dict[str, Any]] = [
        build_heading("Trust self-assessment"),
        build_text_block(f"How true is each statement of you? {SCALE_HELP}.", subtle=True),
    ]
    body.extend(
        _trust_choice(number, statement.text) for number, statement in enumerate(STATEMENTS, 1)
    )
    data = {"verb": TRUST_VERB}
    submit = {
        "type": "Action.Execute",
        "title": "See my trust score",
        "verb": TRUST_VERB,
        "data": data,
        "fallback": {"type": "Action.Submit", "title": "See my trust score", "data": data},
    }
    return {**build_adaptive_card(body), "actions": [submit]}


def trust_input_id(number: int) -> str:
    """The input of statement `number` (1-based): the key its answer arrives under."""
    return f"trust_{number}"


def build_trust_report_card(report: TrustReport) -> Card:
    """A finished self-assessment: the components and trust, the advice, the trend."""
    body: list[dict[str, Any]] = [
        build_heading("Your trust self-assessment"),
        _scores(report.scores),
        build_text_block(report.meaning, subtle=True),
        build_text_block(report.advice),
    ]
    if report.trend:
        body.append(build_text_block(report.trend, subtle=True))
    return build_adaptive_card(body)


def build_forget_card(asked_user: str) -> Card:
    """The "forget me" question: what would be deleted, and the two answers.

    Both buttons name the person who was asked, so in a channel a colleague's click is
    refused rather than deleting the colleague's own history by surprise.
    """
    body = [build_heading("Forget me"), build_text_block(FORGET_QUESTION)]
    answers = [
        (ForgetVerb.FORGET, "Delete everything", "destructive"),
        (ForgetVerb.KEEP, "Keep it", "default"),
    ]
    actions = [
        _answer_button(verb, title, style, {"verb": verb.value, "asked": asked_user})
        for verb, title, style in answers
    ]
    return {**build_adaptive_card(body), "actions": actions}


def _answer_button(verb: ForgetVerb, title: str, style: str, data: Card) -> Card:
    return {
        "type": "Action.Execute",
        "title": title,
        "verb": verb.value,
        "style": style,
        "data": data,
        "fallback": {"type": "Action.Submit", "title": title, "data": data},
    }


def build_notice_card(text: str) -> Card:
    """One paragraph; what a question's card becomes once it is answered."""
    return build_adaptive_card([build_text_block(text)])


def build_action_data(verb: Verb, commitment_id: int, source: Source) -> dict[str, Any]:
    """The data a commitment button carries (the `verb` key routes `Action.Submit` too)."""
    return {"verb": verb.value, "commitment_id": commitment_id, "source": source.value}


def build_adaptive_card(body: list[dict[str, Any]]) -> Card:
    return {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body}


def build_text_block(text: str, *, subtle: bool = False, weight: str = "Default") -> dict[str, Any]:
    block: dict[str, Any] = {"type": "TextBlock", "text": text, "wrap": True, "weight": weight}
    if subtle:
        block["isSubtle"] = True
    return block


def build_heading(text: str) -> dict[str, Any]:
    return {**build_text_block(text, weight="Bolder"), "size": "Medium", "separator": True}


def _scores(scores: TrustScores) -> dict[str, Any]:
    facts = [
        ("Credibility", scores.credibility),
        ("Reliability", scores.reliability),
        ("Intimacy", scores.intimacy),
        ("Self-orientation", scores.self_orientation),
        ("Trust (C+R+I)/S", scores.trust),
    ]
    return {
        "type": "FactSet",
        "separator": True,
        "facts": [{"title": title, "value": f"{value:g}"} for title, value in facts],
    }


def _findings(findings: list[Finding]) -> list[dict[str, Any]]:
    if not findings:
        return []
    blocks: list[dict[str, Any]] = [build_heading("What I noticed")]
    for finding in findings[:MAX_FINDINGS]:
        items = [build_text_block(f"**{finding.code}** · {finding.severity.value}")]
        if finding.evidence:
            items.append(build_text_block(f"“{build_clipped_text(finding.evidence)}”", subtle=True))
        items.append(build_text_block(finding.advice))
        blocks.append({"type": "Container", "separator": True, "items": items})
    if len(findings) > MAX_FINDINGS:
        blocks.append(build_text_block(f"…and {len(findings) - MAX_FINDINGS} more.", subtle=True))
    return blocks


def _scorecard(entries: list[ScorecardEntry]) -> dict[str, Any]:
    items: list[dict[str, Any]] = [build_heading("P3 scorecard")]
    for entry in entries:
        mark = "✅" if entry.passed else "❌"
        items.append(build_text_block(f"{mark} **{entry.criterion}**: {entry.advice}"))
    return {"type": "Container", "items": items}


def _trust_choice(number: int, statement: str) -> dict[str, Any]:
    return {
        "type": "Input.ChoiceSet",
        "id": trust_input_id(number),
        "label": f"{number}. {statement}",
        "style": "compact",
        "isRequired": True,
        "errorMessage": "Pick a number from 1 to 5.",
        "placeholder": "1 to 5",
        "choices": [
            {"title": _LIKERT_TITLES.get(value, str(value)), "value": str(value)}
            for value in LIKERT
        ],
    }


def _commitment(commitment: Commitment, today: date, source: Source) -> dict[str, Any]:
    due = commitment.due.isoformat() if commitment.due else "no date"
    due_now = due_status(commitment.due, today)
    overdue = due_now.state is DueState.OVERDUE
    status = due_now.words if overdue else commitment.status.value
    items: list[dict[str, Any]] = [
        build_text_block(commitment.text),
        build_text_block(f"Due {due} · {status}", subtle=True),
    ]
    if commitment.id is not None:
        actions = [_action(v, title, commitment.id, source) for v, title in _buttons(commitment)]
        if actions:
            items.append({"type": "ActionSet", "actions": actions})
    return {"type": "Container", "separator": True, "items": items}


def _buttons(commitment: Commitment) -> list[tuple[Verb, str]]:
    if commitment.status is CommitmentStatus.SUGGESTED:
        return [(Verb.CONFIRM, "I'll do it"), (Verb.DONE, "Done"), (Verb.SNOOZE, "Snooze")]
    if commitment.status in (CommitmentStatus.OPEN, CommitmentStatus.SNOOZED):
        return [(Verb.DONE, "Done"), (Verb.SNOOZE, "Snooze")]
    return []


def _action(verb: Verb, title: str, commitment_id: int, source: Source) -> dict[str, Any]:
    data = build_action_data(verb, commitment_id, source)
    return {
        "type": "Action.Execute",
        "title": title,
        "verb": verb.value,
        "data": data,
        "fallback": {"type": "Action.Submit", "title": title, "data": data},
    }


def build_clipped_text(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_EVIDENCE_CHARS else text[: MAX_EVIDENCE_CHARS - 1] + "…"
