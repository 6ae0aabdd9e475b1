"""The people a message names: the customer's contact, a manager's rep, the rep's ally.

Each reader is narrow: a name counts as a person only when the words around it show one
("Nina said", "Lukas at Odera", "their procurement lead Rui"), and never someone on the
rep's own side of the table ("my SE Tom").
"""

from __future__ import annotations

import re

from coaching.commitments.names import Cast, Mention, word_set
from coaching.replies.companies import company_names
from coaching.replies.vocabulary import (
    LEADING_WORDS,
    NEVER_A_NAME,
    NOT_A_NAME,
    PERSON_VERB,
    PLACED_AFTER,
    ROLE_OPENER,
    SENTENCE_STARTERS,
    never_the_customer,
)

_COLLEAGUE_BEFORE = re.compile(
    r"\b(?:my|our|w/\s*my)\s+(?:\w+\s+){0,2}$|\b(?:SE|AE|SDR|manager|boss|colleague)\s+$",
    re.IGNORECASE,
)


# "their VP Ops", "the head of nursing", "their plant manager": the customer's person by role,
# for when the message gives no name.
_ROLE_CONTACT = re.compile(
    r"\b(?P<det>(?i:their|the))\s+(?P<role>(?:VP|SVP|EVP|[Hh]ead\s+of)\s+[A-Za-z]+|"
    r"(?:[A-Za-z]+\s+)?(?:director|lead|manager)(?!\s+(?:at|of)\s+(?:our|my)))\b"
)


_NOT_A_ROLE = word_set("""project account sales product success our my delivery engagement""")


_ALLY = re.compile(r"\b(champion|sponsor|coach)\b", re.IGNORECASE)


# A capitalised word at a sentence or clause start is not known to be a name ("Acme said no"),
# unless what follows places a person: "Priya at Northwind said", "Good news, Ines at Calloway".
_PLACED_PERSON = re.compile(
    r"(?:^|(?<=[.!?:,]\s)|(?<=\n))(?P<name>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)"
    rf"(?=\s+(?:at|from)\s+[A-Z]|\s+\({ROLE_OPENER})"
)


# A manager's message opens on the rep it is about: "Priyanka finished at 112%...".
_MANAGER_SUBJECT = re.compile(
    r"(?:^|(?<=[.!?:;]\s)|(?<=\n))(?P<name>[A-Z][a-z]{2,})\s+(?:[a-z]+ed|hit|made|closed|missed|"
    r"told|won|lost|sold|keeps|has|is|was|wants|thinks|says|said|brought|got)\b"
)


_REP_BEFORE = re.compile(
    r"\b(?:my|our|one of my)\s+(?:new\s+|junior\s+|senior\s+)?(?:reps?|AEs?|SDRs?|BDRs?|"
    r"account executives?|sellers?|salespeople|salesperson)\s*,?\s*$",
    re.IGNORECASE,
)


# "Draft to Omar:", "Drafting to Kim:": the person a pasted draft is for.
_DRAFT_FOR = re.compile(
    r"\b(?i:draft(?:ing|ed)?|email(?:ing)?|note|message|reply|replying|writing)\s+(?i:to|for)\s+"
    r"(?P<name>[A-Z][a-z]+)\b"
)


_HONORIFIC = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?\s")


# Department words that follow a title ("VP Ops", "head of IT") and are never a person.
_DEPARTMENTS = word_set(
    """Ops Operations Sales Marketing IT Finance Procurement Engineering Product Legal HR
    Security Data Support Supply Logistics Revenue Strategy Growth Digital Platform"""
)


_TITLE_WORDS = (
    r"(?i:lead|head(?:\s+of\s+\w+)?|director|manager|vp|svp|cfo|ceo|coo|cto|cio|cro|buyer|"
    r"champion|contact|architect|admin|owner|founder|controller)"
)


# "their procurement lead Rui", "Head of ops is Clara", "their IT director, Sam": a person by role.
_TITLED_NAME = re.compile(
    rf"\b{_TITLE_WORDS}(?:\s+(?i:is|was))?\s*,?\s+(?P<name>[A-Z][a-z]+)\b(?!\s+[A-Z][a-z])"
)


# "Lisa, the ops lead at Corvane": a name followed by the role it holds.
_NAME_THEN_TITLE = re.compile(
    rf"\b(?P<name>[A-Z][a-z]+),\s+(?i:the|their|its)\s+(?:\w+\s+){{0,2}}?{_TITLE_WORDS}\b|"
    r"\b(?P<ally>[A-Z][a-z]+)\s+\((?i:my|our|the|their)\s+(?i:champion|sponsor|contact|coach)\)"
)


# "Told Omar I'd...", "promised Nadia the docs": the person a promise is made to.
_TOLD_PERSON = re.compile(
    r"\b(?i:told|promised|owe|assured|reassured|pinged|texted|messaged)\s+(?P<name>[A-Z][a-z]+)\b"
)


# "Ruth there is thrilled", "Tom there will present it": a person at the company just named.
_THERE = re.compile(
    r"\s+there\b(?=\s+(?:is|was|will|would|said|says|wants|loved|agreed|and|but)\b|\s*[,.;])"
)


_ROLE_BEFORE = re.compile(r"\b(?:champion|sponsor|buyer|contact)\s+$")


# A sentence-initial name that the next words show is a person: "Radek hasn't replied".
_OPENING_NAME = re.compile(r"(?:^|(?<=[.!?;]\s)|(?<=\n))(?P<name>[A-Z][a-z]{2,})\b")


def first_person(text: str, mentions: tuple[Mention, ...], companies: list[str]) -> str | None:
    """The first person the message names: doing something, placed at a company ("Lukas at
    Odera", "Dana for Quill Ltd"), or opening a sentence with a person's verb."""
    firsts = {c.split()[0] for c in companies}
    found = [
        (m.start, name)
        for m in mentions
        if _is_person(text, m) and (name := _without_leading_word(m.name)) and name not in companies
    ]
    for pattern in (_TITLED_NAME, _NAME_THEN_TITLE, _TOLD_PERSON):
        for match in pattern.finditer(text):
            name = match.group("name") or match.groupdict().get("ally") or ""
            mine = _COLLEAGUE_BEFORE.search(text, max(0, match.start() - 24), match.start())
            if name not in _DEPARTMENTS | NEVER_A_NAME | LEADING_WORDS | firsts and not mine:
                found.append((text.find(name, match.start()), name))
    for match in re.finditer(r"(?<![\w.])(?P<name>[A-Z][a-z]+)\b", text):
        name, end = match.group("name"), match.end()
        if name in firsts or name in NEVER_A_NAME | NOT_A_NAME | SENTENCE_STARTERS:
            continue
        if name in LEADING_WORDS:
            continue
        before = text[max(0, match.start() - 2) : match.start()].strip()
        opening = _OPENING_NAME.match(text, match.start()) is not None or before in (",", ":")
        place = PLACED_AFTER.match(text, end)
        placed = place is not None and any(text.startswith(c, place.end()) for c in companies)
        acts = PERSON_VERB.match(text, end) is not None
        there = _THERE.match(text, end) is not None
        titled = _ROLE_BEFORE.search(text, max(0, match.start() - 12), match.start()) is not None
        if (placed and not opening) or (opening and acts) or there or titled:
            found.append((match.start(), name))
    placed_first = _placed(text)
    if placed_first:
        found.append((text.find(placed_first), placed_first))
    found = [(start, name) for start, name in found if not never_the_customer(name)]
    return min(found)[1] if found else None


def _without_leading_word(name: str) -> str:
    """ "Met Ingrid" is Ingrid: a chat opener stuck to the name is not part of it."""
    first, _, rest = name.partition(" ")
    return rest if first in LEADING_WORDS else name


def greeted(cast: Cast) -> str | None:
    """The person a pasted draft greets ("Hi Dr. Osei,"), never a company it is sent to."""
    addressee = cast.addressee
    if addressee is None:
        return None
    greeting = re.search(rf"\b(?:Hi|Hello|Hey|Dear)[ \t]+{re.escape(addressee)}\b", cast.text)
    return addressee if greeting else None


def drafted_for(text: str) -> str | None:
    """The name after "Draft to", when it is not a company the Cast knows."""
    match = _DRAFT_FOR.search(text)
    if match is None or match.group("name") in NOT_A_NAME | SENTENCE_STARTERS:
        return None
    name = match.group("name")
    if any(company.split()[0] == name for company in company_names(text)):
        return None
    return name


def first_rep(text: str, mentions: tuple[Mention, ...]) -> str | None:
    """The first single-word name a manager treats as a person or calls one of theirs."""
    for mention in mentions:
        if mention.company or " " in mention.name:
            continue
        if _is_person(text, mention) or _REP_BEFORE.search(text, 0, mention.start):
            return mention.name
    for match in _MANAGER_SUBJECT.finditer(text):
        name = match.group("name")
        if name not in SENTENCE_STARTERS and name not in NOT_A_NAME:
            return name
    return None


def _placed(text: str) -> str | None:
    """A sentence-initial name that the next words place at a company or in a role."""
    for match in _PLACED_PERSON.finditer(text):
        name = _without_leading_word(match.group("name"))
        words = name.split()
        if words and words[0] not in NOT_A_NAME | LEADING_WORDS and not set(words) & NEVER_A_NAME:
            return name
    return None


def _is_person(text: str, mention: Mention) -> bool:
    """A name the text treats as a person: titled, or doing something a person does."""
    if mention.company or _colleague(text, mention) or len(mention.name.split()) > 3:
        return False
    if re.search(r"['\u2019](?:ve|re|ll|d|s)$", mention.name):
        return False
    return bool(_HONORIFIC.match(mention.name) or PERSON_VERB.match(text, mention.end))


def _colleague(text: str, mention: Mention) -> bool:
    """ "my SE Tom", "our manager Dana": people on the rep's side of the table."""
    return _COLLEAGUE_BEFORE.search(text, max(0, mention.start - 24), mention.start) is not None


def role_contact(text: str) -> str | None:
    """The customer's person by role ("their VP Ops"), never someone on the rep's side."""
    for match in _ROLE_CONTACT.finditer(text):
        role = " ".join(match.group("role").split())
        if role.split()[0].lower() not in _NOT_A_ROLE:
            return f"their {role[:1].lower() + role[1:] if role.startswith('Head') else role}"
    return None


def ally(text: str) -> str | None:
    match = _ALLY.search(text)
    return f"your {match.group(1).lower()}" if match else None
