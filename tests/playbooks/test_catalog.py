"""The playbook data: every file loads, speaks only contract codes, and fails loudly when broken."""

from __future__ import annotations

import re

import pytest

from coaching.codes import CREEPY_NEVER_CATEGORIES, FINDING_CODES
from coaching.playbooks.catalog import PlaybookError, load_playbooks, parse_playbook

ADVICE_ONLY = ("signal.", "scorecard.")


def test_every_playbook_loads_and_uses_only_contract_codes() -> None:
    books = load_playbooks()
    emitted = {
        rule.code
        for book in books.values()
        for rule in book.rules
        if not rule.code.startswith(ADVICE_ONLY)
    }
    assert emitted <= FINDING_CODES
    assert emitted == FINDING_CODES, "every contract code has a rule"


def test_creepy_categories_are_the_contract_ones() -> None:
    never = [r for r in load_playbooks()["dont_be_creepy"].rules if r.code == "creepy.never"]
    assert {r.category for r in never} == CREEPY_NEVER_CATEGORIES


def test_patterns_are_lower_case_for_the_fast_matcher() -> None:
    for book in load_playbooks().values():
        for rule in book.rules:
            for pattern in (*rule.patterns, *rule.unless):
                literal = re.sub(r"\\.", "", pattern.pattern)
                assert not re.search(r"[A-Z]", literal), (book.id, rule.code, pattern.pattern)


def test_a_broken_file_names_the_file_and_the_field() -> None:
    broken = """
id = "demo"
name = "Demo"
summary = "A summary that is long enough to pass validation."

[[rules]]
code = "trust.credibility"
severity = "urgent"
advice = "Say what you know and nothing more."
"""
    with pytest.raises(PlaybookError, match=r"data/demo\.toml: rules\[0\]\.severity"):
        parse_playbook("data/demo.toml", broken)


def test_a_bad_regular_expression_is_reported() -> None:
    broken = """
id = "demo"
name = "Demo"
summary = "A summary that is long enough to pass validation."

[[rules]]
code = "trust.credibility"
severity = "low"
advice = "Say what you know and nothing more."
patterns = ["(unclosed"]
"""
    with pytest.raises(
        PlaybookError, match=r"demo\.toml: rules\[0\]\.patterns\[0\].*invalid regular"
    ):
        parse_playbook("demo.toml", broken)
