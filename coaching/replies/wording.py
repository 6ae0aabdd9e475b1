"""Small text helpers shared by the reply's parts."""

from __future__ import annotations

from collections.abc import Sequence


def short(text: str, words: int) -> str:
    split = text.split()
    return text if len(split) <= words else " ".join(split[:words]) + "\u2026"


def joined(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])}, and {items[-1]}"
