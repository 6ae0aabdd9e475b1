"""The prompt defines every finding code the contract allows, and no other."""

from __future__ import annotations

from coaching.codes import FINDING_CODES
from coaching.llm.definitions import CODE_MEANINGS, FORMATTING
from coaching.types import Platform


def test_every_code_has_exactly_one_meaning() -> None:
    assert set(CODE_MEANINGS) == set(FINDING_CODES)
    assert all(len(meaning.split()) >= 5 for meaning in CODE_MEANINGS.values())


def test_every_platform_has_formatting_guidance() -> None:
    assert set(FORMATTING) == {p.value for p in Platform}
