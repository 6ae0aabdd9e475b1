"""The customers a message names: "at Ostrava Steel", "Crane Bio's champion", "Pella are
stalling", "the deal with Westbrook".

A company most often follows a preposition, owns something, takes a plural verb in chat or
makes a buying decision; a capitalised word that only does what a person does is not one.
"""

from __future__ import annotations

import re

from coaching.commitments.names import Cast, word_set
from coaching.replies.vocabulary import (
    LEADING_WORDS,
    NEVER_A_NAME,
    NOT_A_NAME,
    PLACED_AFTER,
    SENTENCE_STARTERS,
    named_as_person,
    never_the_customer,
)

_CAPITALISED = r"[A-Z][\w&-]*(?:[ \t]+(?:&[ \t]+)?[A-Z][\w&-]*){0,2}"


# "sent it to Lukas at Odera", "call with Priya from Hanlon": a company most often follows a
# preposition, or owns something ("Crane Bio's champion", "Pella Foods' board").
_AFTER_PREPOSITION = re.compile(rf"\b(?P<prep>(?i:at|from|with|for))\s+(?P<name>{_CAPITALISED})")


_OWNER = re.compile(rf"(?P<name>{_CAPITALISED})['\u2019]s?\s+(?P<what>[A-Za-z]+)")


_OWNED_BY_A_COMPANY = word_set(
    """board champion procurement cfo ceo coo cto cio cro exec execs committee proposal deal
    account legal finance it buyer buyers contract renewal rfp pilot leadership ops
    steering investment"""
)


# "Greystone haven't replied", "Pella are stalling": a company takes a plural verb in chat.
_PLURAL_SUBJECT = re.compile(
    rf"(?:^|(?<=[.!?;]\s)|(?<=\n))(?P<name>{_CAPITALISED})\s+(?:haven['\u2019]?t|have|are|"
    r"aren['\u2019]?t|were|weren['\u2019]?t|want|need|say|think|seem|keep)\b"
)


# "Kestrel Air said no", "Corvid Media went with a rival", "Pinecrest Tools wants a pilot": a
# name of several words that makes a buying decision is the customer, not a person.
_DECIDING_COMPANY = re.compile(
    r"(?:^|(?<=[.!?;,]\s)|(?<=\n))(?P<name>[A-Z][\w&-]*(?:[ \t]+[A-Z][\w&-]*){1,2})\s+"
    r"(?:said\s+no|went\s+(?:with|for|dark|quiet|silent|cold)|ghosted|renewed|churned|wants?\s+(?:a|an|the)\s+(?:\w+\s+)?"
    r"(?:pilot|demo|proposal|quote|trial|workshop|poc|discount))\b"
)


# "the deal with Westbrook", "our renewal at Fennick": the deal noun makes the name a company.
_DEAL_WITH = re.compile(
    r"\b(?i:deal|renewal|contract|opportunity|opp|negotiation|rfp|account|pilot|poc|proposal|"
    rf"quote|sow)\s+(?i:with|for|at|to)\s+(?P<name>{_CAPITALISED})"
)
# "Thornbury Council: tender submitted", "- Odera Bank - no reply": a note's line headed by
# the account it is about. Only a name of several words, none of them a heading word.
_HEADED = re.compile(
    r"(?:^|\n)[ \t]*(?:[-*\u2022][ \t]*|\d+[.)][ \t]*)?(?P<name>[A-Z][\w&-]*(?:[ \t]+[A-Z][\w&-]*)"
    r"{1,2})[ \t]*(?::|[ \t][-\u2013\u2014][ \t])"
)
_HEADING_WORDS = word_set(
    """Quick Question Questions Next Steps Step Action Actions Items Key Takeaways Status
    Update Updates Notes Note Summary Open Main Points Call Meeting Weekly Daily Pipeline
    Review Deal Deals Context Background Plan Plans Agenda Risks Risk Wins Win Losses Help
    Follow Up Todo To Do Recap Top Priorities This Week Last Today Tomorrow"""
)
# "the customer Ferrovia Central", "our client Marlow": the rep says outright who buys.
_CALLED_CUSTOMER = re.compile(
    rf"(?:\b(?i:the|our|a|new)\s+|^\s*)(?i:customer|client|prospect)\s+(?P<name>{_CAPITALISED})"
)


def company_names(text: str) -> set[str]:
    return set(companies(text, Cast(text)))


def companies(text: str, cast: Cast) -> list[str]:
    """The customers named, in order: those the Cast knows, and capitalised spans that a
    preposition or an owned thing marks as a company ("at Ostrava Steel", "Crane Bio's
    champion"), whether or not their name ends in a company word."""
    found = [
        (m.start, trimmed)
        for m in cast.within(0, len(text))
        if m.company
        and text[max(0, m.start - 1) : m.start] != "("
        and (trimmed := trimmed_name(m.name))
    ]
    for pattern in (_PLURAL_SUBJECT, _DEAL_WITH, _DECIDING_COMPANY, _CALLED_CUSTOMER):
        for match in pattern.finditer(text):
            name = trimmed_name(match.group("name"))
            end = match.start("name") + match.group("name").find(name) + len(name)
            placed = PLACED_AFTER.match(text, end) is not None
            deciding = pattern is _CALLED_CUSTOMER or (pattern is _DECIDING_COMPANY and " " in name)
            # "Logins have dropped": one plural word opening a sentence is a noun, not a name.
            plural_noun = pattern is _PLURAL_SUBJECT and " " not in name and name.endswith("s")
            if plural_noun:
                continue
            if name and not placed and (deciding or not named_as_person(text, name)):
                found.append((match.start("name"), name))
    for match in _HEADED.finditer(text):
        name = trimmed_name(match.group("name"))
        if " " in name and not any(word in _HEADING_WORDS for word in name.split()):
            found.append((match.start("name"), name))
    known = {name for _, name in found}
    for match in _AFTER_PREPOSITION.finditer(text):
        name = trimmed_name(match.group("name"))
        if name and _reads_as_company(text, match, name, known):
            found.append((match.start("name"), name))
    for match in _OWNER.finditer(text):
        name = trimmed_name(match.group("name"))
        many_words = " " in name
        owned = match.group("what").lower() in _OWNED_BY_A_COMPANY
        if name and (name in known or (owned and (many_words or not named_as_person(text, name)))):
            found.append((match.start("name"), name))
    names = [name for _, name in sorted(found)]
    return [n for n in dict.fromkeys(names) if not any(n != o and n in o for o in names)]


def trimmed_name(name: str) -> str:
    """The span without calendar and tool words ("Slack", "Monday") at either end; nothing
    when what is left only names a place or a product ("Brazil", "Enterprise")."""
    words = name.split()
    while words and words[0] in NEVER_A_NAME | NOT_A_NAME | SENTENCE_STARTERS | LEADING_WORDS:
        words.pop(0)
    while words and words[-1] in NEVER_A_NAME:
        words.pop()
    kept = " ".join(words)
    return "" if never_the_customer(kept) else kept


def _reads_as_company(text: str, match: re.Match[str], name: str, known: set[str]) -> bool:
    """ "at/from X" is a company unless a person's place follows ("from Priya at Hanlon");
    "with/for X" is one only when X is several words or already known as a company."""
    if name in known:
        return True
    end = match.start("name") + match.group("name").find(name) + len(name)
    if PLACED_AFTER.match(text, end) or named_as_person(text, name):
        return False
    return match.group("prep").lower() in ("at", "from") or " " in name
