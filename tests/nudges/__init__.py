"""Commitments tracking, teams, weekly digests and reminders."""
