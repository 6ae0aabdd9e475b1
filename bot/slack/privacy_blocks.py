"""Block Kit for "forget me": the question with its two buttons (pure, like `blocks.py`).

Each button carries the id of the person who was asked, so a click by anyone else is
refused instead of deleting the clicker's own history by surprise. The delete button also
has Slack's own confirm dialog (https://api.slack.com/reference/block-kit/composition-objects#confirm):
deleting everything should take two deliberate clicks.
"""

from __future__ import annotations

from bot.slack.blocks import SlackMessage, build_plain_text, neutralise
from coaching.team.privacy import FORGET_QUESTION

FORGET_ACTION = "privacy_forget"
KEEP_ACTION = "privacy_keep"
FORGET_BLOCK_ID = "forget_me"


def build_forget_question(asked_user: str) -> SlackMessage:
    """The confirmation: what would be deleted, "Delete everything" and "Keep it"."""
    forget = {
        **_button(FORGET_ACTION, "Delete everything", asked_user),
        "style": "danger",
        "confirm": {
            "title": build_plain_text("Delete your history?"),
            "text": build_plain_text("Everything the coach keeps about you goes, for good."),
            "confirm": build_plain_text("Delete"),
            "deny": build_plain_text("Cancel"),
            "style": "danger",
        },
    }
    keep = _button(KEEP_ACTION, "Keep it", asked_user)
    return SlackMessage(
        text=neutralise(FORGET_QUESTION),
        blocks=[
            {"type": "section", "text": {"type": "mrkdwn", "text": neutralise(FORGET_QUESTION)}},
            {"type": "actions", "block_id": FORGET_BLOCK_ID, "elements": [forget, keep]},
        ],
    )


def _button(action_id: str, label: str, asked_user: str) -> dict[str, object]:
    return {
        "type": "button",
        "action_id": action_id,
        "text": build_plain_text(label),
        "value": asked_user,
    }
