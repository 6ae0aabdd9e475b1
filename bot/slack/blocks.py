"""Block Kit payloads: pure `build_*` functions from coaching results to Slack messages.

Nothing here calls Slack, so every limit is tested without a network: at most 50 blocks per
message and 3000 characters per section text (https://api.slack.com/reference/block-kit/blocks),
100 blocks in a Home tab view. Long replies become several messages rather than an error.
All generated text passes through `neutralise()`, so a quoted `<!channel>` never pings anyone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from coaching.calls.review import CallOutcome
from coaching.commitments.due import DueState, due_status
from coaching.feedback.service import MAX_COMMENT_CHARS
from coaching.review.service import ReviewOutcome
from coaching.trust_check import LIKERT, SCALE_HELP, STATEMENTS, TrustReport
from coaching.types import CoachingResult, Commitment, CommitmentStatus, Party, ScorecardEntry

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_HOME_BLOCKS = 100  # build_home_view stays within it: 2 lists x 20 commitments x 2 blocks + 8
MAX_SECTION_CHARS = 3000
MAX_FALLBACK_CHARS = 300
HOME_COMMITMENTS = 20
ACTION_PREFIX = "commitment_"
STATUS_EMOJI = ":hourglass_flowing_sand:"
TRUST_MODAL_ID = "trust_check"
TRUST_ANSWER_ID = "answer"
WHY_ACTION_ID = "why"
FEEDBACK_ACTION_ID = "feedback"
FEEDBACK_MODAL_ID = "feedback_comment"
FEEDBACK_COMMENT_ID = "comment"
MAX_BUTTON_VALUE = 2000  # https://api.slack.com/reference/block-kit/block-elements#button
MAX_MODAL_BLOCKS = 100
_LIKERT_LABELS = {1: "1 · not true of me at all", 5: "5 · completely true of me"}

# https://api.slack.com/reference/surfaces/formatting#escaping: only &, < and > are special;
# escaping them turns <!channel>, <!here>, <@U123> and <!subteam^S1> into plain text.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Plain "@here" only notifies with link_names=true, which we never set; a zero-width space
# keeps it inert even if a client or a future API default parses it.
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_ENTITY_TAIL = re.compile(r"&[a-z]{0,4}$")

_BUTTONS: dict[CommitmentStatus, tuple[tuple[str, str, str | None], ...]] = {
    CommitmentStatus.SUGGESTED: (("accept", "Accept", "primary"), ("dismiss", "Dismiss", None)),
    CommitmentStatus.OPEN: (
        ("done", "Done", "primary"),
        ("snooze", "Snooze", None),
        ("cancel", "Cancel", "danger"),
    ),
    CommitmentStatus.SNOOZED: (("done", "Done", "primary"), ("cancel", "Cancel", "danger")),
}
ACTION_STATUS: dict[str, CommitmentStatus] = {
    "accept": CommitmentStatus.OPEN,
    "dismiss": CommitmentStatus.CANCELLED,
    "done": CommitmentStatus.DONE,
    "snooze": CommitmentStatus.SNOOZED,
    "cancel": CommitmentStatus.CANCELLED,
}
_STATUS_LABEL = {
    CommitmentStatus.SUGGESTED: "suggested",
    CommitmentStatus.OPEN: ":white_check_mark: accepted",
    CommitmentStatus.DONE: ":tada: done",
    CommitmentStatus.SNOOZED: ":zzz: snoozed",
    CommitmentStatus.CANCELLED: ":heavy_multiplication_x: cancelled",
}

MENTION_PROMPT = (
    "Hi! Tell me about a deal, paste a draft, or share a proposal and I'll coach you. "
    "For example:\n"
    "• `@coach I sent the proposal to Acme and will wait for their decision`\n"
    "• `@coach draft: Hi Lena, we are the market leader and need your signature by Friday`\n"
    "• share a proposal (.txt, .md, .pdf, .docx or .pptx) in this thread for a review\n"
    "Slash commands work too: `/coach`, `/proposal-review`, `/commitments`, `/trust-check`."
)


class SlackMessage(TypedDict):
    """What chat.postMessage, chat.update and a response_url accept: blocks plus fallback."""

    text: str
    blocks: list[Block]


@dataclass(frozen=True)
class HomeData:
    """Everything the App Home tab shows for one user."""

    commitments: Sequence[Commitment]
    today: date
    trust_trend: Sequence[float] = ()
    last_review: Sequence[ScorecardEntry] | None = None


def neutralise(text: str) -> str:
    """Generated or quoted text made safe for mrkdwn: no broadcasts, no mentions, no links."""
    return _BROADCAST.sub("@\u200b\\1", text.translate(_ESCAPES))


def build_reply_messages(result: CoachingResult, *, why: str | None = None) -> list[SlackMessage]:
    """The coaching reply as one or more messages, each within Slack's limits; `why` is the
    stored event's key, which the "Why?" button carries back to explain this answer."""
    return _pack(_result_units(result, why=why), fallback=result.reply)


def build_review_messages(outcome: ReviewOutcome, *, why: str | None = None) -> list[SlackMessage]:
    """A proposal review: the reply and scorecard, then what changed, the customer-as-hero
    outline and the signals, then the next steps; as many messages as Slack's limits need."""
    extras = [[section] for section in build_sections(outcome.extras_text())]
    return _pack(_result_units(outcome.result, extras, why=why), fallback=outcome.result.reply)


def build_call_messages(outcome: CallOutcome, *, why: str | None = None) -> list[SlackMessage]:
    """A call review: the reply, then the call scorecard, as many messages as limits need."""
    extras = [[section] for section in build_sections(outcome.scorecard_text())]
    return _pack(_result_units(outcome.result, extras, why=why), fallback=outcome.result.reply)


def build_why_modal(explanation: str) -> dict[str, Any]:
    """The reasoning behind an answer in a modal: the reply stays short in the channel and
    only the rep who pressed "Why?" reads the long version."""
    return {
        "type": "modal",
        "title": build_plain_text("Why this advice"),
        "close": build_plain_text("Close"),
        "blocks": build_sections(explanation)[:MAX_MODAL_BLOCKS],
    }


def _why_button(key: str) -> Block:
    return {
        "type": "actions",
        "block_id": WHY_ACTION_ID,
        "elements": [
            {
                "type": "button",
                "action_id": WHY_ACTION_ID,
                "text": build_plain_text("Why?"),
                "value": key,
            }
        ],
    }


def _result_units(
    result: CoachingResult, extras: Sequence[list[Block]] = (), *, why: str | None = None
) -> list[list[Block]]:
    units: list[list[Block]] = [[section] for section in build_sections(result.reply)]
    if result.scorecard:
        units.extend([section] for section in build_sections(_scorecard_text(result.scorecard)))
    units.extend(extras)
    if result.commitments:
        units.append([{"type": "divider"}])
        units.extend(_commitment_unit(c) for c in result.commitments if c.id is not None)
    if result.findings:
        codes = ", ".join(dict.fromkeys(f.code for f in result.findings))
        units.append([build_context(f"Playbook findings: {codes}")])
    explainable = result.findings or result.playbooks
    if why is not None and explainable and len(why) <= MAX_BUTTON_VALUE:
        units.append([_why_button(why)])
    if why is not None and len(feedback_value("down", why)) <= MAX_BUTTON_VALUE:
        units.append([_feedback_buttons(why)])
    return units


def feedback_value(verdict: str, key: str) -> str:
    """What a thumb carries back: the verdict and the answered event's key."""
    return f"{verdict}:{key}"


def _feedback_buttons(key: str) -> Block:
    """Thumbs up and down under an answer, in a `context_actions` block; Slack shows which
    one the rep pressed (docs.slack.dev: block-kit/block-elements/feedback-buttons-element)."""
    thumbs = {
        "positive_button": ("up", "Helpful", "This advice was helpful"),
        "negative_button": ("down", "Not helpful", "This advice was not helpful"),
    }
    element: Block = {"type": "feedback_buttons", "action_id": FEEDBACK_ACTION_ID}
    for field_name, (verdict, label, spoken) in thumbs.items():
        element[field_name] = {
            "text": build_plain_text(label),
            "accessibility_label": spoken,
            "value": feedback_value(verdict, key),
        }
    return {"type": "context_actions", "block_id": FEEDBACK_ACTION_ID, "elements": [element]}


def build_feedback_modal(key: str) -> dict[str, Any]:
    """After a thumbs down: an optional line on what was off. The key travels in the
    view's private metadata, and the submission is checked against the presser again."""
    return {
        "type": "modal",
        "callback_id": FEEDBACK_MODAL_ID,
        "private_metadata": key,
        "title": build_plain_text("What was off?"),
        "submit": build_plain_text("Send"),
        "close": build_plain_text("Skip"),
        "blocks": [
            build_context("Your thumbs down is saved. A line on why helps us fix the advice."),
            {
                "type": "input",
                "block_id": FEEDBACK_COMMENT_ID,
                "optional": True,
                "label": build_plain_text("What should the coach have said?"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": FEEDBACK_COMMENT_ID,
                    "multiline": True,
                    "max_length": MAX_COMMENT_CHARS,
                },
            },
        ],
    }


def build_thinking(text: str) -> SlackMessage:
    """The visible status a rep sees while the coaching is prepared."""
    return build_notice(f"{STATUS_EMOJI} {text}")


def build_notice(text: str) -> SlackMessage:
    """One short message: a prompt, a friendly error, a confirmation."""
    return _pack([[section] for section in build_sections(text)], fallback=text)[0]


def build_mention_prompt() -> SlackMessage:
    return build_notice(MENTION_PROMPT)


def build_commitments_messages(
    commitments: Sequence[Commitment], today: date
) -> list[SlackMessage]:
    """The rep's open next steps with their buttons, overdue ones flagged."""
    if not commitments:
        return [build_notice("No open commitments. Nice and tidy.")]
    units: list[list[Block]] = [[_section("*Your open next steps*")]]
    units.extend(_commitment_unit(c, today) for c in commitments if c.id is not None)
    return _pack(units, fallback=f"You have {len(commitments)} open next steps.")


def build_home_view(data: HomeData) -> dict[str, Any]:
    """The App Home tab: overdue and open commitments, trust trend, last proposal review."""
    overdue = [c for c in data.commitments if _is_overdue(c, data.today)]
    upcoming = [c for c in data.commitments if not _is_overdue(c, data.today)]
    blocks: list[Block] = [{"type": "header", "text": build_plain_text("Your sales coach")}]
    for title, items in (("Overdue", overdue), ("Open next steps", upcoming)):
        blocks.append(_section(f"*{title}*"))
        shown = items[:HOME_COMMITMENTS]
        blocks.extend(b for c in shown for b in _commitment_unit(c, data.today))
        if not shown:
            blocks.append(build_context("Nothing here."))
        if len(items) > len(shown):
            blocks.append(
                build_context(f"…and {len(items) - len(shown)} more: type `/commitments`.")
            )
    blocks.append({"type": "divider"})
    blocks.extend(build_sections(_trend_text(data.trust_trend)))
    blocks.extend(build_sections(_review_text(data.last_review)))
    return {"type": "home", "blocks": blocks}


def build_trust_modal() -> dict[str, Any]:
    """The self-assessment as a modal (views.open): one required 1-5 select per statement.

    Slack's client enforces the required inputs; the submission is still checked on our
    side, because a view_submission is just a request anyone with the secret can shape.
    """
    blocks: list[Block] = [
        build_context(neutralise(f"How true is each statement of you? {SCALE_HELP}."))
    ]
    blocks.extend(_trust_input(number, text) for number, text in _numbered_statements())
    return {
        "type": "modal",
        "callback_id": TRUST_MODAL_ID,
        "title": build_plain_text("Trust self-assessment"),
        "submit": build_plain_text("See my trust score"),
        "close": build_plain_text("Cancel"),
        "blocks": blocks,
    }


def trust_block_id(number: int) -> str:
    """The input block of statement `number` (1-based), where its answer and error go."""
    return f"trust-{number}"


def build_trust_report_blocks(report: TrustReport) -> SlackMessage:
    """A finished self-assessment for the rep's DM: components, trust, advice, trend."""
    s = report.scores
    fields = [
        ("Credibility", s.credibility),
        ("Reliability", s.reliability),
        ("Intimacy", s.intimacy),
        ("Self-orientation (lower is better)", s.self_orientation),
    ]
    blocks: list[Block] = [
        {"type": "header", "text": build_plain_text("Your trust self-assessment")},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*{name}*\n{value:g}"} for name, value in fields
            ],
        },
        _section(f"*Trust = (C + R + I) / S = {s.trust:g}*"),
        _section(report.meaning),
        *build_sections(report.advice),
    ]
    if report.trend:
        blocks.append(build_context(neutralise(report.trend)))
    return SlackMessage(text=neutralise(f"Your trust score: {s.trust:g}"), blocks=blocks)


def build_resolved_blocks(blocks: Sequence[Block], commitment: Commitment) -> list[Block]:
    """A posted message's blocks after a click: the commitment's new status, and the buttons
    that status still allows, in place of its old buttons (and of any earlier status)."""
    resolved: list[Block] = []
    for block in blocks:
        if block.get("block_id") == _status_id(commitment):
            continue
        if block.get("block_id") == _block_id(commitment):
            status = neutralise(_status_line(commitment))
            resolved.append(build_context(status, block_id=_status_id(commitment)))
            resolved.extend(build_commitment_actions(commitment))
        else:
            resolved.append(block)
    return resolved


def build_status_notice(commitment: Commitment) -> SlackMessage:
    return build_notice(_status_line(commitment))


def action_status(action_id: str) -> CommitmentStatus:
    """The status a commitment button asks for; raises KeyError for an unknown button."""
    return ACTION_STATUS[action_id.removeprefix(ACTION_PREFIX)]


def _numbered_statements() -> list[tuple[int, str]]:
    return [(number, statement.text) for number, statement in enumerate(STATEMENTS, start=1)]


def _trust_input(number: int, statement: str) -> Block:
    options = [
        {"text": build_plain_text(_LIKERT_LABELS.get(value, str(value))), "value": str(value)}
        for value in LIKERT
    ]
    return {
        "type": "input",
        "block_id": trust_block_id(number),
        "label": build_plain_text(f"{number}. {statement}"),
        "element": {
            "type": "static_select",
            "action_id": TRUST_ANSWER_ID,
            "placeholder": build_plain_text("1 to 5"),
            "options": options,
        },
    }


def _commitment_unit(commitment: Commitment, today: date | None = None) -> list[Block]:
    """A commitment's text and, while it can still change, its buttons: kept together."""
    due = commitment.due.isoformat() if commitment.due else "no date yet"
    late = ""
    if today and _is_overdue(commitment, today):
        late = f" :warning: *{due_status(commitment.due, today).words}*"
    whose = " (the customer's step)" if commitment.party is Party.CUSTOMER else ""
    text = f"*{neutralise(commitment.text)}*{whose}\nDue {due}{late} · {commitment.status.value}"
    return [_section(text, escape=False), *build_commitment_actions(commitment)]


def build_commitment_actions(commitment: Commitment) -> list[Block]:
    """The buttons a commitment's status allows (none once it is done or cancelled)."""
    buttons = _BUTTONS.get(commitment.status, ())
    if not buttons:
        return []
    elements = [_button(commitment, *spec) for spec in buttons]
    return [{"type": "actions", "block_id": _block_id(commitment), "elements": elements}]


def _button(commitment: Commitment, verb: str, label: str, style: str | None) -> Block:
    button: Block = {
        "type": "button",
        "action_id": f"{ACTION_PREFIX}{verb}",
        "text": build_plain_text(label),
        "value": str(commitment.id),
    }
    if style:
        button["style"] = style
    return button


def _block_id(commitment: Commitment) -> str:
    return f"commitment-{commitment.id}"


def _status_id(commitment: Commitment) -> str:
    return f"commitment-{commitment.id}-status"


def _status_line(commitment: Commitment) -> str:
    """Raw text: whoever puts it into a block neutralises it (once)."""
    return f"{_STATUS_LABEL[commitment.status]}: {commitment.text}"


def _is_overdue(commitment: Commitment, today: date) -> bool:
    return due_status(commitment.due, today).state is DueState.OVERDUE


def _scorecard_text(scorecard: Iterable[ScorecardEntry]) -> str:
    lines = ["*Proposal scorecard*"]
    lines.extend(
        f"{':white_check_mark:' if e.passed else ':x:'} {e.criterion.replace('_', ' ')}"
        for e in scorecard
    )
    return "\n".join(lines)


def _trend_text(trend: Sequence[float]) -> str:
    if not trend:
        return "*Trust trend*\nNo trust checks yet: type `/trust-check` to rate yourself."
    points = " → ".join(f"{value:g}" for value in trend)
    return f"*Trust trend* (oldest first)\n{points}"


def _review_text(review: Sequence[ScorecardEntry] | None) -> str:
    if not review:
        return "*Last proposal review*\nNone yet: share a proposal or use `/proposal-review`."
    passed = sum(e.passed for e in review)
    return f"*Last proposal review*: {passed} of {len(review)} criteria met\n" + "\n".join(
        _scorecard_text(review).splitlines()[1:]
    )


def build_sections(text: str) -> list[Block]:
    """Neutralised mrkdwn sections of at most 3000 characters, cut at paragraph or word ends."""
    return [_section(chunk, escape=False) for chunk in _chunks(neutralise(text))]


def _chunks(text: str) -> list[str]:
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > MAX_SECTION_CHARS:
        cut = _cut_point(rest[:MAX_SECTION_CHARS])
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    chunks.append(rest or " ")
    return chunks


def _cut_point(window: str) -> int:
    """Where to split: a paragraph end, else a line end, else a space, in the window's
    second half; failing those, the window's end, but never inside an `&amp;` escape."""
    for separator in ("\n\n", "\n", " "):
        cut = window.rfind(separator)
        if cut >= len(window) // 2:
            return cut
    tail = _ENTITY_TAIL.search(window)
    return len(window) - (len(tail[0]) if tail else 0)


def _pack(units: Sequence[list[Block]], *, fallback: str) -> list[SlackMessage]:
    """Whole units into messages of at most 50 blocks; a unit never straddles two messages."""
    messages: list[list[Block]] = [[]]
    for unit in units:
        if len(messages[-1]) + len(unit) > MAX_BLOCKS:
            messages.append([])
        messages[-1].extend(unit)
    text = neutralise(" ".join(fallback.split()))
    if len(text) > MAX_FALLBACK_CHARS:
        text = text[: MAX_FALLBACK_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return [SlackMessage(text=text, blocks=blocks) for blocks in messages if blocks]


def _section(text: str, *, escape: bool = True) -> Block:
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": neutralise(text) if escape else text},
    }


def build_context(text: str, *, block_id: str | None = None) -> Block:
    block: Block = {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def build_plain_text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}
