"""Who a message talks about, so a promise can name its counterpart without inventing one.

A commitment's counterpart is the named person, else the company, else nothing (digest §2.1).
Names come only from the text: capitalised words that are not sentence openers, weekdays or
other capitalised vocabulary; pronouns ("get back to her") resolve to the last person named
before them, and roles ("their CFO") to the company in play ("Brookfield Insurance CFO").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_APOSTROPHE = "['\u2019]"
_HONORIFIC = r"(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?[ \t]+"
_TOKEN = rf"(?!{_HONORIFIC})[A-Z][a-z]*[a-z](?:[A-Z][a-z]+)?(?:[-\u2019'](?!s\b)[A-Za-z][a-z]+)?\b"
_NAME = re.compile(rf"\b(?:{_HONORIFIC})?{_TOKEN}(?:[ \t]+(?:&[ \t]+)?{_TOKEN}){{0,3}}")

_FUNCTION = r"(?:IT|finance|procurement|operations|ops|legal|security|engineering|HR)"
PERSON_ROLE = (
    r"(?:CFO|CEO|COO|CTO|CIO|CRO|CMO|CISO|CPO|CHRO|VP(?:\s+of)?(?-i:(?:\s+[A-Z][a-z]+){1,2})|"
    rf"head\s+of\s+\w+|director\s+of\s+\w+|{_FUNCTION}\s+(?:director|lead|manager|head))"
)
GROUP_ROLE = (
    rf"(?:{_FUNCTION}\s+team|procurement|steering\s+committee|exec(?:utive)?\s+team|"
    r"board(?!\s+(?:meeting|review|deck|pack|call|slot|session))|decision[\s-]makers?)"
)
ROLE = rf"(?:{PERSON_ROLE}|{GROUP_ROLE})"
_ROLE = re.compile(rf"\b(?:their|the|its)\s+(?P<role>{ROLE})\b", re.IGNORECASE)
_PERSON_ROLE = re.compile(
    rf"\b(?:(?i:their|the|its)|(?P<owner>[A-Z][\w-]+){_APOSTROPHE}s?)\s+(?P<role>(?i:{PERSON_ROLE}))\b"
)
_CHUNK = 4096
_MEMORY = 3 * _CHUNK
_ADDRESSEE_REACH = 4000
_COMPANY_REACH = 300
_NAME_BREAK = re.compile(r"[.,;:!?()\n\"\u201c\u201d]")
_PRONOUN = re.compile(r"\b(?P<person>her|him)\b|\b(?P<group>them)\b", re.IGNORECASE)
_GREETING = re.compile(
    rf"(?:^|[\n\"\u201c:\u2014-])[ \t]*(?:Hi|Hello|Hey|Dear|Good\s+morning|Morning)[ \t,]+"
    rf"(?P<name>(?:{_HONORIFIC})?{_TOKEN}(?:[ \t]+{_TOKEN})?)",
    re.MULTILINE,
)
_ADDRESSED = re.compile(
    rf"\b(?i:email|note|message|draft|reply|letter|inmail|dm|intro)\s+to\s+"
    rf"(?P<name>(?:{_HONORIFIC})?{_TOKEN}(?:[ \t]+{_TOKEN})?)",
)
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:;\"\u201c\u201d(\u2014\n]|\s-)\s*$")
_PERSON_AFTER_OPENING = re.compile(
    rf"(?:{_APOSTROPHE}(?:ll|d)\b|\s+(?:said|says|agreed|asked|told|mentioned|wants|will|would|"
    r"can|is|was|has|had|thinks|loves|runs|committed|promised|confirmed)\b)"
)
_COMPANY_CONTEXT_AFTER = re.compile(
    rf"(?:{_APOSTROPHE}s?\s+{ROLE}\b|\s+(?:proposal|deal|account|renewal|opportunity|RFP|"
    r"rollout|project|pilot|contract|team|board|exec)\b)",
)
_COMPANY_CONTEXT_BEFORE = re.compile(r"(?:\b(?:at|from)\s+|\(\s*)$")


def word_set(words: str) -> frozenset[str]:
    """A vocabulary written as prose-like lines, easier to read and extend than a list."""
    return frozenset(words.split())


_COMPANY_SUFFIXES = word_set(
    """
    inc corp corporation llc ltd limited group systems insurance bank health healthcare
    foods logistics software labs capital partners holdings technologies tech solutions
    supply mills freight dental industries energy media networks analytics manufacturing
    pharma motors airlines retail financial union consulting services ventures brands co
    company enterprises hospital university markets farms robotics security cloud data
    digital cards bancorp insurers shipping airways
    """
)
_NOT_NAMES = word_set(
    """
    i a an the this that these those it its our their my your his her he she they we you
    me us them hi hello hey dear thanks thank also and but so then just quick recap
    update next last first good great honestly big news week outline final intro follow
    draft subject note ps please sure yes no ok okay today tomorrow tonight let if when
    what why how who where which will would can could should maybe all any every some
    one two three monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december
    linkedin zoom teams slack email phone q&a ai team client customer happy sorry ops
    operations sales marketing finance engineering procurement product legal security
    support success it hr jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed
    thu thur thurs fri sat sun
    """
)


@dataclass(frozen=True)
class Mention:
    """A capitalised name in the text and whether it reads as a company rather than a person."""

    name: str
    start: int
    end: int
    company: bool


class Cast:
    """Everyone a message names, in order, for resolving pronouns, roles and counterparts.

    Names are read a chunk at a time and only as far as a question needs, so a long paste
    whose only promise comes early is never read to the end for names.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._read = 0
        self._names = _Roster()
        self._people = _Roster()
        self._companies = _Roster()
        self._roles = _Roster()
        self.addressee = _addressee(text[:_ADDRESSEE_REACH])

    def within(self, start: int, end: int) -> tuple[Mention, ...]:
        """The names lying wholly inside text[start:end]."""
        self._read_to(end)
        return self._names.between(start, end)

    def roles_within(self, start: int, end: int) -> tuple[Mention, ...]:
        """The people known by role ("their CFO") inside text[start:end]."""
        self._read_to(end)
        return self._roles.between(start, end)

    def person_before(self, position: int) -> str | None:
        """The last person named before `position`; a role only when no name precedes."""
        self._read_to(position)
        named = self._people.last_before(position) or self._roles.last_before(position)
        return named.name if named else None

    def company_near(self, position: int) -> str | None:
        """The company a role or "them" belongs to: the last one named, else the next one."""
        self._read_to(position + _COMPANY_REACH)
        return self._known_company(position)

    def _known_company(self, position: int) -> str | None:
        """`company_near` among the names read so far."""
        company = self._companies.last_before(position) or self._companies.first_from(
            position, position + _COMPANY_REACH
        )
        return company.name if company else None

    def role_counterpart(self, start: int, end: int) -> str | None:
        """ "their CFO" as "<Company> CFO" when the company is known, else just the role."""
        role = _ROLE.search(self.text, start, end)
        if role is None:
            return None
        company = self.company_near(start)
        return f"{company} {role.group('role')}" if company else role.group("role")

    def pronoun_counterpart(self, start: int, end: int) -> str | None:
        """ "her"/"him" is the last person named (else by role); "them" the company in play."""
        pronoun = _PRONOUN.search(self.text, start, end)
        if pronoun is None:
            return None
        if pronoun.group("person"):
            return self.person_before(start)
        return self.company_near(start) or self.person_before(start)

    def _read_to(self, position: int) -> None:
        """Read names up to `position`, stopping chunks where no name can run on.

        Names more than a few paragraphs back are skipped: a pronoun or a role refers to
        someone named recently, and a long paste must not be read whole for one promise.
        """
        if position - self._read > _MEMORY:
            self._read = _chunk_end(self.text, position - _MEMORY)
        while self._read < min(position, len(self.text)):
            end = _chunk_end(self.text, self._read + _CHUNK)
            for match in _NAME.finditer(self.text, self._read, end):
                mention = _classify(self.text, match)
                if mention is not None:
                    self._names.add(mention)
                    (self._companies if mention.company else self._people).add(mention)
            for match in _PERSON_ROLE.finditer(self.text, self._read, end):
                self._roles.add(self._role(match))
            self._read = end

    def _role(self, match: re.Match[str]) -> Mention:
        """A person known by job, named "<Company> CFO" where the company is known."""
        company = match.group("owner") or self._known_company(match.start())
        role = " ".join(match.group("role").split())
        name = f"{company} {role}" if company else role
        return Mention(name, match.start("role"), match.end(), company=False)


class _Roster:
    """Mentions in text order, searchable by position."""

    def __init__(self) -> None:
        self._mentions: list[Mention] = []
        self._starts: list[int] = []

    def add(self, mention: Mention) -> None:
        self._mentions.append(mention)
        self._starts.append(mention.start)

    def between(self, start: int, end: int) -> tuple[Mention, ...]:
        first = bisect.bisect_left(self._starts, start)
        last = bisect.bisect_left(self._starts, end)
        return tuple(m for m in self._mentions[first:last] if m.end <= end)

    def last_before(self, position: int) -> Mention | None:
        index = bisect.bisect_left(self._starts, position)
        return self._mentions[index - 1] if index else None

    def first_from(self, start: int, end: int) -> Mention | None:
        found = self.between(start, end)
        return found[0] if found else None


def _chunk_end(text: str, target: int) -> int:
    """A place at or after `target` where punctuation ends any name in progress."""
    if target >= len(text):
        return len(text)
    pause = _NAME_BREAK.search(text, target, target + _CHUNK)
    return pause.end() if pause else min(len(text), target + _CHUNK)


def _classify(text: str, match: re.Match[str]) -> Mention | None:
    """Keep real names: drop capitalised vocabulary and lone sentence openers."""
    name = match.group()
    words = name.split()
    if all(word.lower().strip(".") in _NOT_NAMES for word in words):
        return None
    if len(words) > 1 and words[0].lower() in _NOT_NAMES:
        return _trimmed(text, match, len(words[0]))
    company = _is_company(text, match.start(), match.end(), words)
    opening = _SENTENCE_OPENING.search(text, max(0, match.start() - 4), match.start())
    lone_opener = len(words) == 1 and opening is not None and not company
    if lone_opener and not _PERSON_AFTER_OPENING.match(text, match.end()):
        return None
    return Mention(name, match.start(), match.end(), company)


def _trimmed(text: str, match: re.Match[str], skip: int) -> Mention | None:
    """A name after a capitalised opener ("Thanks Lena", "Hi Dan Weller")."""
    rest = _NAME.match(text, match.start() + skip + 1, match.end())
    return _classify(text, rest) if rest else None


def looks_like_company(name: str) -> bool:
    """ "Corvid Systems", "Brookfield Insurance": a name ending in a company word."""
    words = name.split()
    return bool(words) and words[-1].lower().strip(".") in _COMPANY_SUFFIXES


def _is_company(text: str, start: int, end: int, words: list[str]) -> bool:
    if looks_like_company(" ".join(words)):
        return True
    if _COMPANY_CONTEXT_AFTER.match(text, end):
        return True
    return _COMPANY_CONTEXT_BEFORE.search(text, max(0, start - 6), start) is not None


def _addressee(text: str) -> str | None:
    """Whom a pasted draft is written to ("Hi Dr. Osei", "email to Linda Ortiz")."""
    for pattern in (_GREETING, _ADDRESSED):
        match = pattern.search(text)
        if match and match.group("name").split()[0].lower() not in _NOT_NAMES:
            return match.group("name")
    return None
