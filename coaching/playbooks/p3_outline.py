"""Reading a presentation outline or proposal against the three things a great P3 has.

One assessment feeds both the findings (what is wrong, quoted) and the `coach review`
scorecard (every criterion, passed or not), so the two can never disagree. It is kept apart
from the chat analyser so a proposal-review feature can score a document on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coaching.playbooks.catalog import Playbook, Rule
from coaching.playbooks.signals import (
    all_hits,
    finditer,
    first_hit,
    search,
    sentence_bounds,
    sentence_span,
    to_finding,
)
from coaching.types import Finding, ScorecardEntry

_CUSTOMER_WORDS = re.compile(r"\b(?:you|your|yours|they|their|theirs|them|customer|client)\b", re.I)
_SELLER_WORDS = re.compile(r"\b(?:we|our|ours|us|we're|we've|we'll)\b", re.I)
# Case-sensitive on purpose: the customer's name is the capitalised name the title is "for"/"to".
_TITLE_NAME = re.compile(r"\b(?:to|for|with|at)\s+(?:the\s+)?([A-Z][\w&'\u2019-]+)")
_TITLE_STOPWORDS = frozenset({"The", "Our", "Your", "Their", "Final", "Q", "A", "An"})

Span = tuple[int, int]


@dataclass(frozen=True)
class OutlineAssessment:
    """What an outline says and leaves out, with the spans that show it."""

    seller_cue: re.Match[str] | None
    journey_cue: re.Match[str] | None
    process: tuple[Span, ...]
    outcomes: tuple[Span, ...]
    emotion_cue: re.Match[str] | None
    customer_words: int
    seller_words: int

    @property
    def process_dominates(self) -> bool:
        return len(self.process) > len(self.outcomes)

    @property
    def customer_is_hero(self) -> bool:
        return (
            self.seller_cue is None
            and self.journey_cue is not None
            and self.customer_words >= self.seller_words
        )


def _sentences_hit(rules: list[Rule], text: str) -> tuple[Span, ...]:
    """The distinct sentences any of the rules' patterns touch, in text order."""
    spans = {sentence_bounds(text, m.start(), m.end()) for m in all_hits(rules, text)}
    return tuple(sorted(spans))


def _count(pattern: re.Pattern[str], text: str) -> int:
    return sum(1 for _ in finditer(pattern, text))


def _customer_name(text: str) -> str | None:
    title = text.strip().split("\n", 1)[0]
    found = _TITLE_NAME.search(title)
    if found is None or found.group(1) in _TITLE_STOPWORDS:
        return None
    return found.group(1)


def _customer_word_count(text: str) -> int:
    count = _count(_CUSTOMER_WORDS, text)
    name = _customer_name(text)
    if name is not None:
        count += len(re.findall(rf"\b{re.escape(name)}\b", text)) - 1
    return count


def assess_outline(book: Playbook, text: str) -> OutlineAssessment:
    """Score an outline with the P3 playbook's cues; `book` is `playbook("p3")`."""
    emotion = [m for p in book.rule("p3.no_emotion").unless if (m := search(p, text))]
    return OutlineAssessment(
        seller_cue=first_hit(book.rule("p3.seller_centric"), text),
        journey_cue=first_hit(book.rule("scorecard.customer_is_hero", "pass"), text),
        process=_sentences_hit(
            [r for r in book.rules if r.code == "p3.process_over_outcomes"], text
        ),
        outcomes=_sentences_hit([book.rule("scorecard.outcomes_not_process", "pass")], text),
        emotion_cue=min(emotion, key=lambda m: m.start()) if emotion else None,
        customer_words=_customer_word_count(text),
        seller_words=_count(_SELLER_WORDS, text),
    )


def _title(text: str) -> str:
    start = len(text) - len(text.lstrip())
    return sentence_span(text, start, start)


def _quote(text: str, cue: re.Match[str] | Span | None) -> str:
    if cue is None:
        return ""
    if isinstance(cue, tuple):
        return text[cue[0] : cue[1]].strip()
    return sentence_span(text, cue.start(), cue.end())


def outline_findings(book: Playbook, text: str, found: OutlineAssessment) -> list[Finding]:
    """The three P3 criteria as findings: seller-centric, process over outcomes, no emotion."""
    findings: list[Finding] = []
    if found.seller_cue is not None:
        findings.append(to_finding(book.rule("p3.seller_centric"), _quote(text, found.seller_cue)))
    if found.process_dominates:
        rule = book.rule("p3.process_over_outcomes", "document")
        findings.append(to_finding(rule, _quote(text, found.process[0])))
    if found.emotion_cue is None and text.strip():
        findings.append(to_finding(book.rule("p3.no_emotion"), _title(text)))
    return findings


def _entry(criterion: str, passed: bool, evidence: str, advice: str) -> ScorecardEntry:
    return ScorecardEntry(criterion=criterion, passed=passed, evidence=evidence, advice=advice)


def _hero_entry(book: Playbook, text: str, found: OutlineAssessment) -> ScorecardEntry:
    ratio = (
        f"Customer words (you, your, they, their, the client's name): {found.customer_words}; "
        f"seller words (we, our, us): {found.seller_words}."
    )
    if found.customer_is_hero:
        advice = f"{book.rule('scorecard.customer_is_hero', 'pass').advice} {ratio}"
        return _entry("customer_is_hero", True, _quote(text, found.journey_cue), advice)
    failed = (
        book.rule("p3.seller_centric") if found.seller_cue else _missing(book, "customer_is_hero")
    )
    return _entry(
        "customer_is_hero", False, _quote(text, found.seller_cue), f"{failed.advice} {ratio}"
    )


def _outcomes_entry(book: Playbook, text: str, found: OutlineAssessment) -> ScorecardEntry:
    if found.outcomes and not found.process_dominates:
        rule = book.rule("scorecard.outcomes_not_process", "pass")
        return _entry("outcomes_not_process", True, _quote(text, found.outcomes[0]), rule.advice)
    if not found.process:
        return _entry(
            "outcomes_not_process", False, "", _missing(book, "outcomes_not_process").advice
        )
    rule = book.rule("p3.process_over_outcomes", "document")
    return _entry("outcomes_not_process", False, _quote(text, found.process[0]), rule.advice)


def _emotion_entry(book: Playbook, text: str, found: OutlineAssessment) -> ScorecardEntry:
    if found.emotion_cue is not None:
        advice = book.rule("scorecard.emotional_connection", "pass").advice
        return _entry("emotional_connection", True, _quote(text, found.emotion_cue), advice)
    return _entry("emotional_connection", False, "", book.rule("p3.no_emotion").advice)


def _missing(book: Playbook, criterion: str) -> Rule:
    return book.rule(f"scorecard.{criterion}", "missing")


def _cue_entry(book: Playbook, text: str, criterion: str) -> ScorecardEntry:
    """A criterion that passes when its positive cue is present in the text, or when the
    final presentation is already booked (that meeting is with the people who decide)."""
    passed = book.rule(f"scorecard.{criterion}", "pass")
    cues = [m for rule in (passed, book.rule("signal.p3_planned")) if (m := first_hit(rule, text))]
    cue = min(cues, key=lambda m: m.start()) if cues else None
    if cue is not None:
        return _entry(criterion, True, _quote(text, cue), passed.advice)
    return _entry(criterion, False, "", _missing(book, criterion).advice)


def _three_decisions_entry(book: Playbook, text: str) -> ScorecardEntry:
    parts = [book.rule("scorecard.three_decisions", n) for n in ("person", "company", "fit")]
    cues = {rule.name: first_hit(rule, text) for rule in parts}
    missing = [rule.advice for rule in parts if cues[rule.name] is None]
    present = [cue for cue in cues.values() if cue is not None]
    evidence = _quote(text, min(present, key=lambda m: m.start())) if present else ""
    if missing:
        return _entry("three_decisions", False, evidence, " ".join(missing))
    advice = book.rule("scorecard.three_decisions", "pass").advice
    return _entry("three_decisions", True, evidence, advice)


def build_scorecard(book: Playbook, text: str, found: OutlineAssessment) -> list[ScorecardEntry]:
    """One entry per P3 criterion, each with an exact quote (or "" when it is missing)."""
    return [
        _hero_entry(book, text, found),
        _outcomes_entry(book, text, found),
        _emotion_entry(book, text, found),
        _cue_entry(book, text, "decision_maker_engaged"),
        _cue_entry(book, text, "p3_requested"),
        _three_decisions_entry(book, text),
    ]
