"""Data blocks whose end the text inside cannot forge.

The rep's words, their thread, the quoted evidence and their commitments all reach the model
as material, never as instructions. A fixed `</rep_input>` tag would let a pasted document
close the block and speak as the prompt; so every request draws a fresh random boundary and
the blocks end only at a closing tag carrying it. The boundary is checked against the text it
encloses, so even a lucky guess cannot appear inside.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

BOUNDARY_BYTES = 8


def new_boundary(untrusted: Iterable[str]) -> str:
    """A random token that occurs in none of the `untrusted` texts."""
    texts = list(untrusted)
    while True:
        token = secrets.token_hex(BOUNDARY_BYTES)
        if not any(token in text for text in texts):
            return token
