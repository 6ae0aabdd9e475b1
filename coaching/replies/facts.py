"""The rep's own facts, read from their message, so advice can name them.

"Ask Ben for 20 minutes with the CEO before Tuesday's vote" lands; "ask your contact for a
meeting with the decision group" is a lecture. Every fact here is a span of the rep's text or
nothing at all: a wrong name is worse than no name, so each reader is narrow and falls back
to a plain phrase (`coaching/replies/moves.toml` lists the fallbacks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from coaching.commitments.dates import find_due_date
from coaching.commitments.names import Cast, Mention, word_set
from coaching.types import Role

_DECISION_WORDS = re.compile(
    r"\b(?:decid\w*|decision|vote[sd]?|voting|sign(?:s|ing)?\s+off|approv\w*|choos\w*|"
    r"select\w*|award\w*|final\s+(?:call|say|yes)|(?:board|committee|council)\s+meets?)\b",
    re.IGNORECASE,
)
_DETERMINER = r"(?:(?P<det>the|their|its|her|his|our)\s+)?"
_BODY_QUALIFIER = (
    r"(?:exec(?:utive)?|steering|investment|ops|operations|procurement|selection|direction|"
    r"management|leadership|budget|purchasing|evaluation|capital|credit|IT|school|hospital)"
)
_DECIDER = re.compile(
    rf"\b{_DETERMINER}(?P<who>"
    rf"{_BODY_QUALIFIER}\s+(?:committee|council|board|group|team)|"
    r"board(?:\s+of\s+(?:directors|trustees|governors))?(?!\s+(?:meeting|deck|pack|slot|"
    r"session|call|review|room))|"
    r"(?:county|city|town)\s+(?:commissioners|council|board)|commissioners|"
    r"(?-i:CEO|CFO|COO|CIO|CTO|CRO|CMO|CISO|CPO|MD|ceo|cfo|coo|cio|cto|cro|cmo|ciso)|"
    r"managing\s+director|general\s+manager|"
    r"(?:company\s+)?(?:owner|founder|president)|decision[\s-]makers?)\b",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"(?<![\w.])~?(?:(?:[$\u20ac\u00a3]|(?:USD|EUR|GBP|CHF|CAD|AUD)\s?)\d[\d,.]*"
    r"(?:\s?(?:k|m|mm|bn|million|billion|thousand))?|\d[\d,.]*\s?(?:k|m|mm|million)\b)"
    r"(?:\s?(?:ARR|ACV|TCV|MRR|a\s+year|per\s+year|/yr))?",
    re.IGNORECASE,
)
_LEAD_WORDS = re.compile(r"^(?:on|by|before|until|till|at|for|ahead\s+of|the\s+week\s+of)\s+", re.I)
_COLLEAGUE_BEFORE = re.compile(
    r"\b(?:my|our|w/\s*my)\s+(?:\w+\s+){0,2}$|\b(?:SE|AE|SDR|manager|boss|colleague)\s+$",
    re.IGNORECASE,
)
_PROPOSAL_OUT = re.compile(
    r"\b(?:sent|submitted|delivered|emailed|shared)\s+(?:\w+\s+){0,4}?(?:proposal|quote|offer|sow)\b|"
    r"\b(?:proposal|quote|offer|sow)\b[^.!?\n]{0,40}?\b(?:went\s+out|is\s+out|(?:is|was|got)\s+"
    r"(?:sent|submitted|delivered)|out\s+since|landed|with\s+them)\b|"
    r"\b(?:think\s+(?:about\s+it|it\s+over)|thinking\s+(?:about\s+it|it\s+over)|reviewing\s+"
    r"(?:it|the\s+proposal)|mulling\s+it)\b",
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
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
# "(their QA lead)", "(head of ops at Lindqvist)": a parenthesis that gives a person's role.
_ROLE_OPENER = (
    r"(?i:their|the|our|her|his|head|vp|svp|director|manager|lead|chief|cfo|ceo|coo|cto|cio)\b"
)
_PERSON_VERB = re.compile(
    rf"(?:\s+\({_ROLE_OPENER}[^()\n]{{1,40}}\))?(?:['\u2019](?:ll|d)\b|\s+(?:hasn['\u2019]?t|has\s+not|never|didn['\u2019]?t)\s+(?:replied|answered|responded|called|written)\b|,?\s+(?:(?:actually|just|already|finally|also|even)\s+)?(?:said|says|agreed|asked|told|mentioned|wants|thinks|"
    r"committed|promised|confirmed|replied|wrote|called|emailed|loved|liked|came\s+back|"
    r"shared|forwarded|invited|suggested|offered|flagged|raised|prefers|needs|loves|likes)\b)"
)
# A capitalised word at a sentence or clause start is not known to be a name ("Acme said no"),
# unless what follows places a person: "Priya at Northwind said", "Good news, Ines at Calloway".
_PLACED_PERSON = re.compile(
    r"(?:^|(?<=[.!?:,]\s)|(?<=\n))(?P<name>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)"
    rf"(?=\s+(?:at|from)\s+[A-Z]|\s+\({_ROLE_OPENER})"
)
_NOT_A_NAME = frozenset(
    {
        "Someone",
        "Somebody",
        "Everyone",
        "Everybody",
        "Nobody",
        "Anyone",
        "Our",
        "The",
        "My",
        "Their",
        "His",
        "Her",
        "Team",
        "Folks",
        "People",
        "Procurement",
        "Legal",
        "Finance",
    }
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
_TITLES = frozenset({"ceo", "cfo", "coo", "cio", "cto", "cro", "cmo", "ciso"})
_SENTENCE_STARTERS = frozenset(
    {
        "This",
        "That",
        "These",
        "Those",
        "She",
        "Her",
        "They",
        "Then",
        "There",
        "What",
        "When",
        "Which",
        "Who",
        "Pipeline",
        "Revenue",
        "Quota",
        "Nobody",
        "Everyone",
        "Someone",
        "Last",
        "Next",
        "Today",
        "Yesterday",
        "Team",
        "Management",
        "Leadership",
        "Sales",
        "Marketing",
        "Finance",
        "Legal",
        "Procurement",
        "Business",
        "Everything",
        "Nothing",
        "Deal",
        "Deals",
    }
)
# "Draft to Omar:", "Drafting to Kim:": the person a pasted draft is for.
_DRAFT_FOR = re.compile(
    r"\b(?i:draft(?:ing|ed)?|email(?:ing)?|note|message|reply|replying|writing)\s+(?i:to|for)\s+"
    r"(?P<name>[A-Z][a-z]+)\b"
)
_HONORIFIC = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?\s")
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
_PLACED_AFTER = re.compile(r"\s+(?:at|from|for|with|of)\s+(?=[A-Z])|\s+\(")
_NEVER_A_NAME = word_set(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thurs Fri
    January February March April May June July August September October November December Jan
    Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Q1 Q2 Q3 Q4 Slack CRM Zoom Teams LinkedIn
    Gmail Outlook Salesforce HubSpot Excel Google Christmas Easter EOD EOQ EOM ASAP I I'm He We
    It You Also And But So Then Just Quick Separately Re Draft Call Meeting Proposal Demo
    Hi Hey Hello Over Out Up In Is Are Was Get Go Thanks Thank"""
)
# Words that open a sentence in chat and stick to the name after them ("Met Ingrid at...",
# "Meanwhile Dunmore Labs wants...", "Update on Harbor:"): never part of a name.
_LEADING_WORDS = word_set(
    """Met Called Spoke Emailed Pinged Texted Messaged Meanwhile Update Updates Honestly Great
    Good Bad Big Quick Sent Had Told Asked Saw Heard Sadly Luckily Finally Anyway FYI Okay Ok
    Plus Btw Recap Wrapped Visited Following Followup Looks Seems Apparently Turns Today
    Yesterday Tomorrow Tonight Overall Also At With From For On Phoned Lunch Dinner Coffee
    Promised Owe"""
)
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
# "Greystone haven't replied", "Pella are stalling": a company takes a plural verb in chat.
_PLURAL_SUBJECT = re.compile(
    rf"(?:^|(?<=[.!?;]\s)|(?<=\n))(?P<name>{_CAPITALISED})\s+(?:haven['\u2019]?t|have|are|"
    r"aren['\u2019]?t|were|weren['\u2019]?t|want|need|say|think|seem|keep)\b"
)
# "Kestrel Air said no", "Corvid Media went with a rival", "Pinecrest Tools wants a pilot": a
# name of several words that makes a buying decision is the customer, not a person.
_DECIDING_COMPANY = re.compile(
    r"(?:^|(?<=[.!?;]\s)|(?<=\n))(?P<name>[A-Z][\w&-]*(?:[ \t]+[A-Z][\w&-]*){1,2})\s+"
    r"(?:said\s+no|went\s+(?:with|for)|renewed|churned|wants?\s+(?:a|an|the)\s+(?:\w+\s+)?"
    r"(?:pilot|demo|proposal|quote|trial|workshop|poc|discount))\b"
)
# "Told Omar I'd...", "promised Nadia the docs": the person a promise is made to.
_TOLD_PERSON = re.compile(
    r"\b(?i:told|promised|owe|assured|reassured|pinged|texted|messaged)\s+(?P<name>[A-Z][a-z]+)\b"
)
# "the deal with Westbrook", "our renewal at Fennick": the deal noun makes the name a company.
_DEAL_WITH = re.compile(
    r"\b(?i:deal|renewal|contract|opportunity|opp|negotiation|rfp|account|pilot|poc|proposal|"
    rf"quote|sow)\s+(?i:with|for|at|to)\s+(?P<name>{_CAPITALISED})"
)
# "Ruth there is thrilled", "Tom there will present it": a person at the company just named.
_THERE = re.compile(
    r"\s+there\b(?=\s+(?:is|was|will|would|said|says|wants|loved|agreed|and|but)\b|\s*[,.;])"
)
_ROLE_BEFORE = re.compile(r"\b(?:champion|sponsor|buyer|contact)\s+$")
# A sentence-initial name that the next words show is a person: "Radek hasn't replied".
_OPENING_NAME = re.compile(r"(?:^|(?<=[.!?;]\s)|(?<=\n))(?P<name>[A-Z][a-z]{2,})\b")


@dataclass(frozen=True)
class DealFacts:
    """What the message says about the deal; None where it does not say."""

    contact: str | None = None
    company: str | None = None
    decider: str | None = None
    when: str | None = None
    amount: str | None = None
    ally: str | None = None
    """How the rep refers to their inside contact when no name is given ("your champion")."""
    rep: str | None = None
    """For a manager: the rep they write about ("One of my reps, Joel, told...")."""
    proposal_out: bool = False
    """The message says the proposal has gone out, not that it is about to."""


def read_facts(text: str, now: datetime, role: Role = Role.REP) -> DealFacts:
    """The counterpart, customer, decider, decision date and amount a message names.

    A manager writes about their reps, so the first person a manager names is a colleague,
    never the customer contact.
    """
    cast = Cast(text)
    mentions = cast.within(0, len(text))
    companies = _companies(text, cast)
    contact = rep = None
    if role is Role.MANAGER:
        rep = _first_rep(text, mentions)
    else:
        contact = _greeted(cast) or _drafted_for(text) or _first_person(text, mentions, companies)
    return DealFacts(
        contact=contact,
        company=companies[0] if companies else None,
        decider=_decider(text),
        when=_decision_date(text, now),
        amount=_amount(text),
        ally=(_ally(text) or _role_contact(text)) if role is not Role.MANAGER else None,
        rep=rep,
        proposal_out=_PROPOSAL_OUT.search(text) is not None,
    )


def read_facts_about(text: str, evidence: str, now: datetime, role: Role = Role.REP) -> DealFacts:
    """The facts of the deal the evidence is about.

    A weekly update covers several accounts; advice about one of them must not borrow the
    contact or the customer of another. When the message names more than one company, only
    the evidence's own stretch is read, within its paragraph: back from its sentence to the
    sentence that names its account, and on until a sentence names another.
    """
    start = text.find(evidence) if evidence else -1
    if start < 0 or single_deal(text):
        return read_facts(text, now, role)
    return read_facts(_deal_window(text, start, start + len(evidence)), now, role)


def single_deal(text: str) -> bool:
    """At most one company named: every fact in the message is about the same deal."""
    return len(_company_names(text)) <= 1


def deal_names(text: str) -> list[str]:
    """The companies a message names, in the order it names them."""
    return _companies(text, Cast(text))


def deal_window(text: str, name: str) -> str:
    """The stretch of the message about the deal with this company."""
    start = text.find(name)
    return text if start < 0 else _deal_window(text, start, start + len(name))


def deal_windows(text: str, name: str) -> list[str]:
    """Every stretch of the message about this company, one per time it is named."""
    starts = [m.start() for m in re.finditer(re.escape(name), text)]
    return [_deal_window(text, start, start + len(name)) for start in starts]


def _company_names(text: str) -> set[str]:
    return set(_companies(text, Cast(text)))


def _companies(text: str, cast: Cast) -> list[str]:
    """The customers named, in order: those the Cast knows, and capitalised spans that a
    preposition or an owned thing marks as a company ("at Ostrava Steel", "Crane Bio's
    champion"), whether or not their name ends in a company word."""
    found = [
        (m.start, trimmed)
        for m in cast.within(0, len(text))
        if m.company and text[max(0, m.start - 1) : m.start] != "(" and (trimmed := _trim(m.name))
    ]
    for pattern in (_PLURAL_SUBJECT, _DEAL_WITH, _DECIDING_COMPANY):
        for match in pattern.finditer(text):
            name = _trim(match.group("name"))
            end = match.start("name") + match.group("name").find(name) + len(name)
            placed = _PLACED_AFTER.match(text, end) is not None
            deciding = pattern is _DECIDING_COMPANY and " " in name
            # "Logins have dropped": one plural word opening a sentence is a noun, not a name.
            plural_noun = pattern is _PLURAL_SUBJECT and " " not in name and name.endswith("s")
            if plural_noun:
                continue
            if name and not placed and (deciding or not _named_as_person(text, name)):
                found.append((match.start("name"), name))
    known = {name for _, name in found}
    for match in _AFTER_PREPOSITION.finditer(text):
        name = _trim(match.group("name"))
        if name and _reads_as_company(text, match, name, known):
            found.append((match.start("name"), name))
    for match in _OWNER.finditer(text):
        name = _trim(match.group("name"))
        many_words = " " in name
        owned = match.group("what").lower() in _OWNED_BY_A_COMPANY
        if name and (name in known or (owned and (many_words or not _named_as_person(text, name)))):
            found.append((match.start("name"), name))
    names = [name for _, name in sorted(found)]
    return [n for n in dict.fromkeys(names) if not any(n != o and n in o for o in names)]


def _trim(name: str) -> str:
    """The span without calendar and tool words ("Slack", "Monday") at either end."""
    words = name.split()
    while words and words[0] in _NEVER_A_NAME | _NOT_A_NAME | _SENTENCE_STARTERS | _LEADING_WORDS:
        words.pop(0)
    while words and words[-1] in _NEVER_A_NAME:
        words.pop()
    return " ".join(words)


def _reads_as_company(text: str, match: re.Match[str], name: str, known: set[str]) -> bool:
    """ "at/from X" is a company unless a person's place follows ("from Priya at Hanlon");
    "with/for X" is one only when X is several words or already known as a company."""
    if name in known:
        return True
    end = match.start("name") + match.group("name").find(name) + len(name)
    if _PLACED_AFTER.match(text, end) or _named_as_person(text, name):
        return False
    return match.group("prep").lower() in ("at", "from") or " " in name


def _named_as_person(text: str, name: str) -> bool:
    """The name does what a person does somewhere in the message ("Nina said")."""
    return any(
        _PERSON_VERB.match(text, m.end()) for m in re.finditer(rf"\b{re.escape(name)}\b", text)
    )


def _first_person(text: str, mentions: tuple[Mention, ...], companies: list[str]) -> str | None:
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
            if name not in _DEPARTMENTS | _NEVER_A_NAME | _LEADING_WORDS | firsts and not mine:
                found.append((text.find(name, match.start()), name))
    for match in re.finditer(r"(?<![\w.])(?P<name>[A-Z][a-z]+)\b", text):
        name, end = match.group("name"), match.end()
        if name in firsts or name in _NEVER_A_NAME | _NOT_A_NAME | _SENTENCE_STARTERS:
            continue
        if name in _LEADING_WORDS:
            continue
        before = text[max(0, match.start() - 2) : match.start()].strip()
        opening = _OPENING_NAME.match(text, match.start()) is not None or before in (",", ":")
        place = _PLACED_AFTER.match(text, end)
        placed = place is not None and any(text.startswith(c, place.end()) for c in companies)
        acts = _PERSON_VERB.match(text, end) is not None
        there = _THERE.match(text, end) is not None
        titled = _ROLE_BEFORE.search(text, max(0, match.start() - 12), match.start()) is not None
        if (placed and not opening) or (opening and acts) or there or titled:
            found.append((match.start(), name))
    placed_first = _placed(text)
    if placed_first:
        found.append((text.find(placed_first), placed_first))
    return min(found)[1] if found else None


def _without_leading_word(name: str) -> str:
    """ "Met Ingrid" is Ingrid: a chat opener stuck to the name is not part of it."""
    first, _, rest = name.partition(" ")
    return rest if first in _LEADING_WORDS else name


def _deal_window(text: str, start: int, end: int) -> str:
    paragraph_start = max(text.rfind("\n", 0, start) + 1, 0)
    paragraph_end = text.find("\n", end)
    paragraph = text[paragraph_start : len(text) if paragraph_end < 0 else paragraph_end]
    offset = start - paragraph_start
    known = _company_names(text)

    def names_a_deal(span: tuple[int, int]) -> bool:
        sentence = paragraph[slice(*span)]
        return any(re.search(rf"\b{re.escape(name)}\b", sentence) for name in known)

    spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(paragraph) if m.group().strip()]
    here = next((i for i, (a, b) in enumerate(spans) if a <= offset < b), len(spans) - 1)
    first = here
    while first > 0 and not names_a_deal(spans[first]):
        first -= 1
    if not names_a_deal(spans[first]):
        first = max(0, here - 1)
    last = here
    while last + 1 < len(spans) and not names_a_deal(spans[last + 1]):
        last += 1
    return paragraph[spans[first][0] : max(spans[last][1], end - paragraph_start)]


def _greeted(cast: Cast) -> str | None:
    """The person a pasted draft greets ("Hi Dr. Osei,"), never a company it is sent to."""
    addressee = cast.addressee
    if addressee is None:
        return None
    greeting = re.search(rf"\b(?:Hi|Hello|Hey|Dear)[ \t]+{re.escape(addressee)}\b", cast.text)
    return addressee if greeting else None


def _drafted_for(text: str) -> str | None:
    """The name after "Draft to", when it is not a company the Cast knows."""
    match = _DRAFT_FOR.search(text)
    if match is None or match.group("name") in _NOT_A_NAME | _SENTENCE_STARTERS:
        return None
    name = match.group("name")
    if any(company.split()[0] == name for company in _company_names(text)):
        return None
    return name


def _first_rep(text: str, mentions: tuple[Mention, ...]) -> str | None:
    """The first single-word name a manager treats as a person or calls one of theirs."""
    for mention in mentions:
        if mention.company or " " in mention.name:
            continue
        if _is_person(text, mention) or _REP_BEFORE.search(text, 0, mention.start):
            return mention.name
    for match in _MANAGER_SUBJECT.finditer(text):
        name = match.group("name")
        if name not in _SENTENCE_STARTERS and name not in _NOT_A_NAME:
            return name
    return None


def _placed(text: str) -> str | None:
    """A sentence-initial name that the next words place at a company or in a role."""
    for match in _PLACED_PERSON.finditer(text):
        name = _without_leading_word(match.group("name"))
        words = name.split()
        if words and words[0] not in _NOT_A_NAME | _LEADING_WORDS:
            return name
    return None


def _is_person(text: str, mention: Mention) -> bool:
    """A name the text treats as a person: titled, or doing something a person does."""
    if mention.company or _colleague(text, mention) or len(mention.name.split()) > 3:
        return False
    if re.search(r"['\u2019](?:ve|re|ll|d|s)$", mention.name):
        return False
    return bool(_HONORIFIC.match(mention.name) or _PERSON_VERB.match(text, mention.end))


def _colleague(text: str, mention: Mention) -> bool:
    """ "my SE Tom", "our manager Dana": people on the rep's side of the table."""
    return _COLLEAGUE_BEFORE.search(text, max(0, mention.start - 24), mention.start) is not None


def _sentences(text: str) -> list[str]:
    return [s.group().strip() for s in _SENTENCE.finditer(text) if s.group().strip()]


def _decider(text: str) -> str | None:
    """Who decides, as the rep named them: a decision sentence's body or role first."""
    in_decision = (
        m for s in _sentences(text) if _DECISION_WORDS.search(s) for m in _DECIDER.finditer(s)
    )
    match = next(in_decision, None) or _DECIDER.search(text)
    if match is None:
        return None
    who = " ".join(match.group("who").split())
    if who.lower() in _TITLES:
        who = who.upper()
    determiner = (match.group("det") or "").lower()
    if determiner == "our":
        return None
    return f"{'their' if determiner == 'their' else 'the'} {who}"


def _decision_date(text: str, now: datetime) -> str | None:
    """The decision date, in the rep's words ("the 4th", "Dec 9"): the first date written
    after a decision word, and not in the past; failing that, the first date after the
    decider is named ("she'll take it to the CFO on Tuesday")."""
    for marker in (_DECISION_WORDS, _DECIDER):
        for sentence in _sentences(text):
            found = marker.search(sentence)
            if found is None:
                continue
            after = sentence[found.start() :]
            due = find_due_date(after, now)
            if due is not None and due.due >= now.date():
                phrase = _LEAD_WORDS.sub("", after[due.start : due.end].strip())
                return phrase.rstrip(",;:.") or None
    return None


def _role_contact(text: str) -> str | None:
    """The customer's person by role ("their VP Ops"), never someone on the rep's side."""
    for match in _ROLE_CONTACT.finditer(text):
        role = " ".join(match.group("role").split())
        if role.split()[0].lower() not in _NOT_A_ROLE:
            return f"their {role[:1].lower() + role[1:] if role.startswith('Head') else role}"
    return None


def _ally(text: str) -> str | None:
    match = _ALLY.search(text)
    return f"your {match.group(1).lower()}" if match else None


def _amount(text: str) -> str | None:
    match = _AMOUNT.search(text)
    return match.group().lstrip("~").strip() if match else None
