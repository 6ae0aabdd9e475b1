"""Feedback: reps rate answers; admins list the ratings and export them as evaluation cases."""
