"""Commitments: every next step a rep or customer promises, from their words to done.

`extract` reads promises, meetings and the customer's agreed steps out of a message (with
`cues`, `names`, `scan`, `slots`, `match` and the due-date rules in `dates`); `tracking` holds
the life of a commitment after capture and `due` the one rule for how its date reads;
`service` confirms, re-dates, finishes and snoozes them for every surface.
"""
