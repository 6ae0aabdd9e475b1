"""Which platforms the scheduled jobs can post to, from Settings.

`coach nudges run` and `coach reminders run` deliver through the console outbox plus
these. Building a sender opens nothing: each opens its connections per batch, so a job
with nobody on a platform costs that platform nothing.
"""

from __future__ import annotations

from bot.delivery import DigestSender
from bot.slack.digest_sender import SlackDigestSender
from bot.slack.oauth import secret
from config.settings import Settings


def platform_senders(settings: Settings) -> list[DigestSender]:
    """Slack with a single-workspace bot token or OAuth installs; Teams always.

    Teams has no off switch: `coach serve` answers `/api/messages` even without a client id
    (local anonymous mode), and only users who wrote to the coach have a reference to post
    to. With OAuth (`SLACK_CLIENT_ID`) the Slack sender finds each workspace's token in the
    installation store. Nothing here raises: every command builds these, and a Slack
    setting the server would refuse must not stop `coach team`. The Teams sender (and the
    SDK) is imported here, when a command builds the senders, never by importing this module.
    """
    from bot.teams.digest_sender import TeamsDigestSender

    senders: list[DigestSender] = []
    if settings.slack.client_id or secret(settings.slack.bot_token):
        senders.append(SlackDigestSender(settings))
    senders.append(TeamsDigestSender(settings))
    return senders
