"""The answer schema compiles on the grammar engines servers use, and fits OpenAI's strict mode.

A schema an engine mis-compiles does not fail loudly: the server constrains the model to
a wrong language (xgrammar with `minLength` forbade line breaks and escaped quotes), so
these tests feed a realistic answer, with both, through the compiled grammar.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from coaching.llm.schema import InvalidAnswer, parse_answer, strict_schema

# The keywords OpenAI's strict structured outputs accept that every engine compiles too.
PORTABLE = {"type", "properties", "required", "additionalProperties", "items", "enum", "anyOf"}
PORTABLE |= {"$ref", "$defs"}
ANSWER = {
    "reply": 'First, ask for the final meeting.\n\nSay: "Could we walk your team through it?"',
    "findings": [
        {
            "code": "p3.not_requested",
            "severity": "high",
            "evidence": "will just wait",
            "advice": 'Replace "wait" with a date.',
            "category": None,
        }
    ],
}


def nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema node, following properties, items, anyOf and $defs."""
    if not isinstance(node, dict):
        return
    yield node
    for child in (node.get("properties") or {}).values():
        yield from nodes(child)
    for child in (node.get("$defs") or {}).values():
        yield from nodes(child)
    yield from nodes(node.get("items"))
    for child in node.get("anyOf") or []:
        yield from nodes(child)


def test_every_node_follows_openai_strict_rules() -> None:
    schema = strict_schema()
    walked = list(nodes(schema))
    assert len(walked) > 10
    for node in walked:
        assert set(node) <= PORTABLE, set(node) - PORTABLE
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert node["required"] == list(node["properties"])


def test_no_length_pattern_or_format_keyword_anywhere() -> None:
    text = json.dumps(strict_schema())
    for keyword in ("minLength", "maxLength", "pattern", "format", "minItems", "maxItems"):
        assert f'"{keyword}"' not in text


def test_llguidance_compiles_it_and_accepts_line_breaks_and_quotes() -> None:
    llguidance = pytest.importorskip("llguidance")
    grammar = llguidance.LLMatcher.grammar_from_json_schema(strict_schema())
    assert llguidance.LLMatcher.validate_grammar(grammar) == ""
    tokenizer = llguidance.LLTokenizer("byte")
    matcher = llguidance.LLMatcher(tokenizer, grammar)
    assert matcher.consume_tokens(tokenizer.tokenize_str(json.dumps(ANSWER)))
    assert matcher.is_accepting(), matcher.get_error()


def test_llguidance_refuses_an_answer_with_an_extra_key() -> None:
    llguidance = pytest.importorskip("llguidance")
    grammar = llguidance.LLMatcher.grammar_from_json_schema(strict_schema())
    tokenizer = llguidance.LLTokenizer("byte")
    matcher = llguidance.LLMatcher(tokenizer, grammar)
    extra = json.dumps({**ANSWER, "approved": True})
    matcher.consume_tokens(tokenizer.tokenize_str(extra))
    assert matcher.is_error() or not matcher.is_accepting()


def test_xgrammar_compiles_it() -> None:
    xgrammar = pytest.importorskip("xgrammar", reason="xgrammar needs torch; not installed")
    grammar = xgrammar.Grammar.from_json_schema(json.dumps(strict_schema()), strict_mode=True)
    assert "reply" in str(grammar)


def test_an_empty_reply_is_refused_in_code() -> None:
    with pytest.raises(InvalidAnswer):
        parse_answer(json.dumps({**ANSWER, "reply": "  \n"}), anywhere=False)


def test_the_first_valid_object_is_found_in_surrounding_prose() -> None:
    text = "Sure! {not json} Here you go:\n```json\n" + json.dumps(ANSWER) + "\n```\nHope it helps."
    assert parse_answer(text, anywhere=True).reply == ANSWER["reply"]
    with pytest.raises(InvalidAnswer):
        parse_answer(text, anywhere=False)
