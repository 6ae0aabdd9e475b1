"""Digests: what the coach sends on its own, the manager's weekly digest and the reminders.

`build` makes a digest from plain values (`items` per rep, `model` the result), `deals` the
deal rules behind it and `crm` the read-only deal sync that feeds them; `service` and
`reminders` decide what is due and claim each send exactly once; `ports` holds what a
platform's sender, a CRM client and the store implement.
"""
