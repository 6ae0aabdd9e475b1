"""The real servers and stand-ins of `tests/slack` and `tests/teams`, for call files shared
in Slack and attached in Teams."""

from tests.slack.conftest import slack
from tests.teams.conftest import teams

__all__ = ["slack", "teams"]
