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
    Hi Hey Hello Greetings Regards Cheers Morning Afternoon Evening Happy Welcome
    Congrats Congratulations Hiya Howdy Over Out Up In Is Are Was Get Go Thanks Thank"""
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


# "Update from Brazil", "greetings from Munich", "the EMEA deal": where the rep or the deal is,
# never who the customer is. Only a name made wholly of such words is dropped, so "Chicago
# Freight" stays a company; places that are also first names (Austin, Sydney) are left out.
_PLACES = word_set(
    """EMEA APAC DACH LATAM AMER NA EU UK US USA UAE Americas Europe Asia Africa Oceania
    Nordics Benelux Iberia Scandinavia Balkans Baltics Brazil Argentina Chile Colombia Peru
    Mexico Canada Germany Austria Switzerland France Spain Portugal Italy Netherlands Holland
    Belgium Luxembourg Ireland Scotland England Wales Britain Denmark Sweden Norway Finland
    Iceland Poland Czechia Slovakia Hungary Romania Bulgaria Greece Turkey Ukraine Israel
    Egypt Morocco Nigeria Kenya India Pakistan China Japan Korea Singapore Malaysia Indonesia
    Thailand Vietnam Philippines Australia Zealand Saudi Arabia Qatar Dubai Berlin Munich
    Hamburg Frankfurt Cologne Stuttgart Düsseldorf Leipzig Dresden Vienna Zurich Geneva Basel
    London Manchester Edinburgh Dublin Lyon Madrid Barcelona Lisbon Porto Milan Rome
    Amsterdam Rotterdam Brussels Antwerp Copenhagen Stockholm Oslo Helsinki Warsaw Krakow
    Prague Budapest Bucharest Athens Istanbul Chicago Boston Houston Denver
    Seattle Atlanta Miami Detroit Toronto Vancouver Montreal NYC SF LA Bay Area
    Melbourne Tokyo Seoul Shanghai Beijing Mumbai Bangalore Delhi Riyadh Doha Cairo
    Lagos Nairobi Johannesburg Janeiro Buenos Aires Bogota Lima North
    South East West Northern Southern Eastern Western Central New York San Francisco Los
    Angeles Hong Kong Kingdom United States Emirates Latin America Middle Silicon Valley"""
)
# "the Enterprise tier", "Premium seats", "our Platform": what we sell, never who buys it.
_PRODUCT_WORDS = word_set(
    """Enterprise Premium Pro Plus Starter Basic Standard Professional Platform Suite API
    SDK Dashboard Dashboards Module Modules Plan Tier License Licenses Licence Seats Bundle
    Edition Add-on Addon Integration Integrations App Portal Upgrade Beta"""
)


def never_the_customer(name: str) -> bool:
    """A place or product name ("Brazil", "Hong Kong", "Enterprise Plus"), never a company
    or a person."""
    words = name.split()
    return bool(words) and all(w in _PLACES or w in _PRODUCT_WORDS for w in words)
