"""Words that are never the customer or a person, and the verbs that show someone is one.

A wrong name is worse than no name ("The proposal to Brazil is out"), so the readers of
companies and people share one vocabulary of what a capitalised word in chat usually is
instead: a weekday, a month, a tool, a greeting, a chat opener, a place.
"""

from __future__ import annotations

import re

from coaching.commitments.names import word_set

# "(their QA lead)", "(head of ops at Lindqvist)": a parenthesis that gives a person's role.
ROLE_OPENER = (
    r"(?i:their|the|our|her|his|head|vp|svp|director|manager|lead|chief|cfo|ceo|coo|cto|cio)\b"
)


PERSON_VERB = re.compile(
    rf"(?:\s+\({ROLE_OPENER}[^()\n]{{1,40}}\))?(?:['\u2019](?:ll|d)\b|\s+(?:hasn['\u2019]?t|has\s+not|never|didn['\u2019]?t)\s+(?:replied|answered|responded|called|written)\b|,?\s+(?:(?:actually|just|already|finally|also|even)\s+)?(?:said|says|agreed|asked|told|mentioned|wants|thinks|"
    r"committed|promised|confirmed|replied|wrote|called|emailed|loved|liked|came\s+back|"
    r"shared|forwarded|invited|suggested|offered|flagged|raised|prefers|needs|loves|likes)\b)"
)


NOT_A_NAME = frozenset(
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


SENTENCE_STARTERS = frozenset(
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


PLACED_AFTER = re.compile(r"\s+(?:at|from|for|with|of)\s+(?=[A-Z])|\s+\(")


NEVER_A_NAME = word_set(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thurs Fri
    January February March April May June July August September October November December Jan
    Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Q1 Q2 Q3 Q4 Slack CRM Zoom Teams LinkedIn
    Gmail Outlook Salesforce HubSpot Excel Google Christmas Easter EOD EOQ EOM ASAP I I'm He We
    It You Also And But So Then Just Quick Separately Re Draft Call Meeting Proposal Demo
    Hi Hey Hello Over Out Up In Is Are Was Get Go Thanks Thank"""
)


# Words that open a sentence in chat and stick to the name after them ("Met Ingrid at...",
# "Meanwhile Dunmore Labs wants...", "Update on Harbor:"): never part of a name.
LEADING_WORDS = word_set(
    """Met Called Spoke Emailed Pinged Texted Messaged Meanwhile Update Updates Honestly Great
    Good Bad Big Quick Sent Had Told Asked Saw Heard Sadly Luckily Finally Anyway FYI Okay Ok
    Plus Btw Recap Wrapped Visited Following Followup Looks Seems Apparently Turns Today
    Yesterday Tomorrow Tonight Overall Also At With From For On Phoned Lunch Dinner Coffee
    Promised Owe"""
)


def named_as_person(text: str, name: str) -> bool:
    """The name does what a person does somewhere in the message ("Nina said")."""
    return any(
        PERSON_VERB.match(text, m.end()) for m in re.finditer(rf"\b{re.escape(name)}\b", text)
    )
