"""The Slack stand-in and real server of `tests/slack`, for call files shared in Slack."""

from tests.slack.conftest import slack

__all__ = ["slack"]
