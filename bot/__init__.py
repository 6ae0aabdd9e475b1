"""Adapters and entry points: the only code that knows Slack, Teams, HTTP or a terminal."""
