"""Reviews of proposals, outlines and decks against the post-proposal presentation playbook.

`documents` and `slides` turn an upload into text, `outline` re-orders it as the customer's
story, and `service` runs the review and keeps each rep's history of versions.
"""
