"""The language of promises: who is promising, which verb delivers, and what kind it makes.

Digest §2.3 lists the cues: a first-person future ("I'll", "I'm going to", "let me", "I can
have") followed by a verb of delivery, customer agreements ("<name> agreed to send"), and
conditional offers ("if it's useful, I'm happy to send"). Everything here is a compiled
pattern or a table, so the extractor stays a plain walk over the text.
"""

from __future__ import annotations

import re
from enum import StrEnum

from coaching.commitments.names import ROLE, word_set
from coaching.types import CommitmentKind

_A = "['\u2019]"


class Verb(StrEnum):
    """How a delivery verb decides the commitment kind (some depend on the object)."""

    SEND = "send"
    EMAIL = "email"
    SCHEDULE = "schedule"
    MEETING = "meeting"
    INTRO = "intro"
    CONNECT = "connect"
    FOLLOW = "follow"
    HAVE = "have"
    GIVE = "give"
    ASK = "ask"
    RUN = "run"
    OTHER = "other"


# What is got signed: "it", "the PO"; "get the signed MSA back" delivers the signed copy.
_APPROVED = (
    r"(?:it|them|this|that|(?:the|a|an|our|their|my)\s+[\w-]+)\s+"
    r"(?:signed|countersigned|approved|signed[\s-]off)(?!\s+(?:and\s+)?(?:back|over)\b)"
)
# (base form, -ing form or "" when the progressive never signals a plan, behaviour).
# A few misspellings reps really type ("sned", "folow up", "setup") are spelled out here.
_VERBS: tuple[tuple[str, str, Verb], ...] = (
    (r"(?:re)?s(?:en|ne|n)d(?:\s+(?:over|across|along|out|through))?", r"sending", Verb.SEND),
    (r"sh(?:a)?re|shar", r"sharing", Verb.SEND),
    (r"forward", r"forwarding", Verb.SEND),
    (r"circulate", r"circulating", Verb.SEND),
    (r"deliver", r"delivering", Verb.SEND),
    (r"submit", r"submitting", Verb.SEND),
    (r"provide", r"providing", Verb.SEND),
    (r"return", r"returning", Verb.SEND),
    # "turn the redlines around by Thursday": deliver them back, in the reps' idiom.
    (r"turn(?=\s+(?:\w+\s+){1,3}around\b)", r"turning(?=\s+(?:\w+\s+){1,3}around\b)", Verb.SEND),
    (r"ship", r"shipping", Verb.SEND),
    # "I owe her the addendum", "I promised him a usage summary": the object is the delivery.
    (r"owe|promised", r"", Verb.SEND),
    (r"ge?t\s+ba(?:ck|kc|k)", r"getting\s+back", Verb.FOLLOW),
    # "get it signed by the 19th", "getting the PO approved": an approval, not a delivery.
    (
        rf"get\s+{_APPROVED}",
        rf"getting\s+{_APPROVED}",
        Verb.OTHER,
    ),
    (r"get\s+(?:you|u|him|her|them|it|that|this|those|us)", r"", Verb.SEND),
    # "get Pilar the forecast": a named person, then the thing she gets.
    (r"get\s+(?-i:[A-Z])[\w-]+(?=\s+(?:the|a|an|our|my|some|those|these)\s)", r"", Verb.SEND),
    (r"get\s+[\w-]+\s+to\s+(?:look|review|sign|approve)", r"", Verb.OTHER),
    (r"(?:get|getting)\s+(?:[\w-]+\s+){0,2}?(?:approval|sign(?:ed)?[\s-]?off)", r"", Verb.OTHER),
    # "get the signed MSA back to Petter" sends it; "get answers back to Meera" follows up.
    (
        r"get\s+(?:[\w'\u2019-]+\s+){1,3}?back\s+to",
        r"getting\s+(?:[\w'\u2019-]+\s+){1,3}?back\s+to",
        Verb.SEND,
    ),
    (
        r"get\s+(?:[\w'\u2019-]+\s+){1,3}?(?:over\s+)?to\s+"
        r"(?:you|him|her|them|(?:their|the|his|her)\s+(?!point|end|bottom|stage)|(?-i:[A-Z])[\w-]*)",
        r"getting\s+(?:[\w'\u2019-]+\s+){1,3}?(?:over\s+)?to\s+(?:you|him|her|them|(?-i:[A-Z])[\w-]*)",
        Verb.SEND,
    ),
    # "make the demo for his team", "do the presentation": running the meeting itself.
    (
        r"(?:make|do)\s+(?:the|a|an|our)\s+(?:demo|presentation|workshop|session|visit|onsite)",
        r"",
        Verb.MEETING,
    ),
    (r"do\s+(?:the|a|their|our)\s+(?:review|assessment|evaluation|testing)", r"", Verb.OTHER),
    # "have a call with the customer": a meeting, unlike "make the call" (a decision).
    (r"(?:make|have|do)\s+(?:a|an)\s+(?:call|meeting|demo|visit)(?=\s+with\b)", r"", Verb.MEETING),
    (r"give", r"giving", Verb.GIVE),
    (r"e-?mail", r"e-?mailing", Verb.EMAIL),
    (r"have", r"", Verb.HAVE),
    # "rebook it for Thursday", "reschedule the demo": a meeting that was on the calendar.
    (r"re-?(?:book|schedule)", r"re-?(?:book|schedul)ing", Verb.MEETING),
    (r"set\s*up", r"setting\s+up", Verb.SCHEDULE),
    (r"schedule", r"scheduling", Verb.SCHEDULE),
    (r"book", r"booking", Verb.SCHEDULE),
    (r"arrange", r"arranging", Verb.SCHEDULE),
    (r"organi[sz]e", r"organi[sz]ing", Verb.SCHEDULE),
    (r"line\s+up", r"lining\s+up", Verb.SCHEDULE),
    (r"pencil\s+in", r"", Verb.SCHEDULE),
    (r"meet(?:\s+(?:up\s+)?with)?", r"meeting(?:\s+(?:up\s+)?with)?", Verb.MEETING),
    (r"visit", r"visiting", Verb.MEETING),
    (r"present", r"presenting", Verb.MEETING),
    (r"demo", r"demoing", Verb.MEETING),
    (
        r"walk\s+(?:[\w'\u2019-]+\s+){0,3}?through",
        r"walking\s+(?:[\w'\u2019-]+\s+){0,2}?through",
        Verb.MEETING,
    ),
    (r"host", r"hosting", Verb.MEETING),
    (
        r"take\s+(?:[\w'\u2019-]+\s+){0,3}?through",
        r"taking\s+(?:[\w'\u2019-]+\s+){0,2}?through",
        Verb.MEETING,
    ),
    (r"catch\s+up", r"catching\s+up", Verb.MEETING),
    # "sit down with Ferdinand", "swing by their office", "stop by the plant": in person.
    (r"sit\s+down\s+with", r"sitting\s+down\s+with", Verb.MEETING),
    (
        r"(?:swing|stop|drop|pop)\s+(?:by|in\s+(?:at|on)|round|over\s+to)",
        r"(?:swinging|stopping|dropping|popping)\s+(?:by|in\s+(?:at|on)|round|over\s+to)",
        Verb.MEETING,
    ),
    (r"join", r"joining", Verb.MEETING),
    (r"invite", r"inviting", Verb.MEETING),
    (r"an?\s+(?:call|meeting|demo|workshop|session)", r"", Verb.MEETING),
    (r"ask(?:\s+for)?|request|push\s+for", r"asking(?:\s+for)?|requesting", Verb.ASK),
    (r"introduce", r"introducing", Verb.INTRO),
    (r"intro", r"", Verb.INTRO),
    (r"an?\s+intro(?:duction)?", r"", Verb.INTRO),
    (r"make\s+(?:an?\s+|the\s+)?intro(?:duction)?s?", r"", Verb.INTRO),
    (r"put\s+(?:[\w'\u2019-]+\s+){1,3}?in\s+touch", r"", Verb.INTRO),
    (
        r"loop\s+(?:[\w'\u2019-]+\s+){0,2}?in(?:to)?",
        r"looping\s+(?:[\w'\u2019-]+\s+){0,2}?in(?:to)?",
        Verb.INTRO,
    ),
    (r"connect", r"connecting", Verb.CONNECT),
    (r"(?:(?:do|make)\s+(?:the\s+|a\s+)?)?fol+ow[\s-]*up", r"following[\s-]*up", Verb.FOLLOW),
    (r"circ(?:le|el|l)\s+ba(?:ck|k|kc)", r"circling\s+back", Verb.FOLLOW),
    (r"che?c?k\s+(?:back|in|internally|on)", r"checking\s+(?:back|in|internally|on)", Verb.FOLLOW),
    (r"(?:come|report)\s+back", r"(?:coming|reporting)\s+back", Verb.FOLLOW),
    (r"revert(?:\s+back)?", r"reverting", Verb.FOLLOW),
    (r"chase|nudge", r"chasing|nudging", Verb.FOLLOW),
    (r"try\s+(?:you|him|her|them)\s+again", r"", Verb.FOLLOW),
    (r"find\s+out", r"finding\s+out", Verb.FOLLOW),
    (r"look\s+into", r"looking\s+into", Verb.FOLLOW),
    (r"reach\s+out", r"reaching\s+out", Verb.FOLLOW),
    (r"touch\s+base", r"touching\s+base", Verb.FOLLOW),
    (r"call", r"calling", Verb.FOLLOW),
    (r"phone", r"phoning", Verb.FOLLOW),
    (r"ping", r"pinging", Verb.FOLLOW),
    # "text Noor on Friday", "write to Zara": a message to a person.
    (
        r"text(?=\s+(?:him|her|them|(?-i:[A-Z])))",
        r"texting(?=\s+(?:him|her|them|(?-i:[A-Z])))",
        Verb.FOLLOW,
    ),
    (r"write\s+(?:back\s+)?to", r"writing\s+(?:back\s+)?to", Verb.FOLLOW),
    # "make sure Tilde gets the pricing": the delivery, said from her side.
    (r"make\s+sure\s+(?:[\w'\u2019-]+\s+){1,3}?(?:gets|has|receives)", r"", Verb.SEND),
    (r"confirm", r"confirming", Verb.FOLLOW),
    (r"inform|notify", r"informing|notifying", Verb.FOLLOW),
    # "explain to Mrs. Ortiz the new terms", "update Kai on Monday": telling the customer.
    (r"explain|clarify", r"explaining|clarifying", Verb.FOLLOW),
    (
        r"update(?=\s+(?:him|her|them|you|(?-i:[A-Z])))",
        r"updating(?=\s+(?:him|her|them|you|(?-i:[A-Z])))",
        Verb.FOLLOW,
    ),
    (r"loop\s+back", r"looping\s+back", Verb.FOLLOW),
    # "shoot Priscilla a note", "drop him a line": a message, so a follow-up.
    (
        r"(?:shoot|drop)\s+(?:[\w-]+\s+)?(?:a|an)\s+(?:note|line|email|message|text)",
        r"(?:shooting|dropping)\s+(?:[\w-]+\s+)?(?:a|an)\s+(?:note|line|email|message|text)",
        Verb.FOLLOW,
    ),
    (r"drop(?:\s+off)?", r"dropping(?:\s+off)?", Verb.SEND),
    (r"issue(?=\s+(?:the|a|an|our|their)\s+(?:PO|purchase\s+order|invoice|order))", r"", Verb.SEND),
    (r"let\s+(?:him|her|them|you)\s+know", r"", Verb.FOLLOW),
    (r"respond|reply|answer", r"responding|replying|answering", Verb.FOLLOW),
    (r"draft", r"drafting", Verb.OTHER),
    (r"prep(?:are)?", r"prep(?:ar)?ing", Verb.OTHER),
    (
        r"(?:put|pull)\s+(?:[\w'\u2019-]+\s+){0,3}?tog(?:e)?ther",
        r"(?:putting|pulling)\s+(?:[\w'\u2019-]+\s+){0,3}?together",
        Verb.OTHER,
    ),
    (r"write\s+up", r"writing\s+up", Verb.OTHER),
    (r"sort\s+out", r"sorting\s+out", Verb.OTHER),
    (r"pull(?!\s+in\b)", r"pulling(?!\s+in\b)", Verb.SEND),
    (r"review", r"reviewing", Verb.OTHER),
    (r"sign(?:\s+off)?", r"", Verb.OTHER),
    (r"approve", r"", Verb.OTHER),
    (r"run", r"", Verb.RUN),
    (
        r"test|trial|start|finish|complete|pay|finali[sz]e",
        r"finali[sz]ing|trialling|trialing",
        Verb.OTHER,
    ),
    (r"(?:do|make)\s+(?:the\s+)?payment", r"", Verb.OTHER),
    (r"make\s+the\s+(?:call|decision)", r"", Verb.OTHER),
)
_VERB_TABLE = tuple(
    (re.compile(rf"(?:{base}|{ing})" if ing else base, re.IGNORECASE), kind)
    for base, ing, kind in _VERBS
)
BASE_VERB = "(?:" + "|".join(base for base, _, _ in _VERBS) + r")\b"
ING_VERB = "(?:" + "|".join(ing for _, ing, _ in _VERBS if ing) + r")\b"

_ADVERBS = (
    r"(?:\s+(?:also|just|then|definitely|quickly|personally|still|first|probably|certainly|"
    r"gladly|happily|finally|actually|really|absolutely|immediately|now|try\s+(?:to|and)|make\s+sure\s+(?:to|I)|be\s+sure\s+to|need\s+to|"
    r"have\s+to|want\s+to|get\s+to|go\s+ahead\s+and|aim\s+to|set\s+(?:a\s+)?reminder\s+to|to)){0,3}\s+"
)
_I = r"\bI"
_REPORTED_GAP = rf"(?:[\w\u2019',.-]+\s+){{0,10}}?(?:that\s+)?I(?:{_A}d|\s+would)"
# "I said I'd send them", "let her know I'd check": reported in passing, so only a dated one
# is held as a promise (the dated plan usually follows in the rep's own words).
_REPORTED = rf"(?:{_I}\s+said|(?:{_I}\s+)?\blet\s+(?!(?:me|us)\b)[\w-]+\s+know)\s+{_REPORTED_GAP}"
_WE_MEET = r"(?:presenting|meeting|demoing|visiting|catching\s+up)\b"
# "We will make a call with the customer on the 10th, me and my boss": the rep's meeting
# said with "we", held (like "we're presenting") only once it has a day.
_WE_WILL_MEET = (
    r"(?:meet|visit|present\s+to|demo\s+to|"
    r"(?:make|have|do)\s+(?:a|an|the)\s+(?:call|meeting|demo|visit)\s+with)\b"
)
_OFFER = (
    rf"{_I}(?:{_A}d|\s+would|{_A}ll\s+be|\s+will\s+be)\s+(?:be\s+)?"
    r"(?:(?:more\s+than\s+)?happy|glad|love|like)\s+to|"
    rf"{_I}(?:{_A}m|\s+am)\s+(?:(?:more\s+than\s+)?happy|glad)\s+to|{_I}\s+(?:can|could)(?!\s+have)"
)
_FIRM = (
    # "what I'm going to do is email her", "we agreed that I send the quote": the plan is
    # the verb after the frame (read before a plain "I'll").
    rf"(?<=\bwhat\s){_I}(?:{_A}m\s+going\s+to|{_A}ll|\s+will|\s+plan\s+to)\s+do\s+is(?:\s+to)?|"
    r"(?:(?<=\bagreed\sthat\s)|(?<=\bdecided\sthat\s)|(?<=\bconfirmed\sthat\s)|(?<=\baligned\sthat\s))"
    rf"{_I}(?=\s+{BASE_VERB})|"
    # "I'l email her": one "l" lost is still "I'll".
    rf"{_I}(?:{_A}ll?|\s+will|\s+shall)|"
    rf"{_I}(?:{_A}m|\s+am)(?:\s+(?:also|just|then|definitely))?\s+(?:going\s+to|gonna|planning\s+to)|"
    rf"{_I}(?:{_A}ve|\s+have)?\s+(?:promised|promise|committed|agreed)\s+to|{_I}\s+(?:plan|intend)\s+to|"
    rf"\blet\s+me|\bremind\s+me\s+to|{_I}\s+can(?=\s+have\b)|"
    rf"{_I}(?:{_A}ve|\s+have)?\s+(?:got\s+to|gotta)|{_I}\s+(?:need|have)\s+to|{_I}\s+must|"
    r"\bnext\s+steps?\s+(?:is|are|:)\s+(?:for\s+me\s+)?to|"
    r"\b(?:me|I)\s+and\s+(?:my|our)\s+[\w-]+(?:\s+[\w-]+)?\s+(?:will|are\s+going\s+to)|"
    rf"{_I}\s+(?:did\s+)?(?:told|tell|promised|promise|assured|assure)\s+{_REPORTED_GAP}|"
    rf"{_I}(?=\s+(?:also\s+|still\s+)?(?:owe|promised)\s+(?:her|him|them|you|(?-i:[A-Z])[\w-]+)\s+"
    r"(?:an?|the|our|my|some)\s)"
)
# Offers and promises open on any verb: "I'll sync with our SE and come back by Thursday"
# starts with a verb no table lists, and the promise is the delivery verb after "and".
REP_CUE = re.compile(
    rf"(?P<prog>{_I}(?:{_A}m|\s+am|{_A}ll\s+be|\s+will\s+be))(?P<prog_pad>{_ADVERBS})(?={ING_VERB})|"
    # "their director asked us to present on Dec 8": the rep's step, once it has a date.
    rf"(?P<asked>(?<=\basked\s)(?:us|me)\s+to)(?P<asked_pad>{_ADVERBS})(?={BASE_VERB})|"
    # "We're presenting to their board on Dec 3": a meeting the rep states, once dated.
    rf"(?P<we>\bwe(?:{_A}re|\s+are|{_A}ll\s+be|\s+will\s+be)(?={_ADVERBS}{_WE_MEET})|"
    rf"\bwe(?:{_A}ll|\s+will)(?={_ADVERBS}{_WE_WILL_MEET}))(?P<we_pad>{_ADVERBS})|"
    rf"(?P<offer>{_OFFER})(?P<offer_pad>{_ADVERBS})(?=[a-z])|"
    rf"(?P<reported>{_REPORTED})(?P<reported_pad>{_ADVERBS})(?=[a-z])|"
    rf"(?P<firm>{_FIRM})(?P<firm_pad>{_ADVERBS})(?=[a-z])",
    re.IGNORECASE,
)
# A promise with the subject dropped, only at the start of a sentence or bullet, perhaps
# after a filler ("ok will send…", "so gonna…") or with the apostrophe lost ("ill send").
_DAY_LABEL = (
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|monday|tuesday|wednesday|thursday|friday|"
    r"today|tomorrow|tmrw)"
)
OPENING_CUE = re.compile(
    r"[\s\-*\u2022]*(?:(?:ok(?:ay)?|so|also|and|then|alright|sure|yes|yep|cool|np|pls\s+note|"
    r"note|fyi|on\s+it|done|noted|got\s+it|will\s+do|sounds\s+good|thanks|thx)[,:!.]?\s+)*"
    rf"(?:(?:(?P<offer>happy\s+to)|(?P<firm>will|wil|wll|wiil|ill|il|shall|going\s+to|gonna|gotta|"
    r"plan\s+to|need\s+to|(?:have\s+)?(?:promised|committed|agreed)\s+to|can(?=\s+have\b)|"
    r"(?:my\s+)?(?:plan|next\s+steps?|to-?do|action\s+items?)(?:\s+for\s+me)?\s*[:\-](?=\s*[a-z])))"
    rf"(?P<pad>{_ADVERBS})(?=[a-z])|"
    # "Owe Dana a follow-up by Thursday": the verb itself says who owes.
    r"(?=owe\s)|"
    # "sending the deck tomorrow": a plan under way, the rep's once it has a date.
    rf"(?P<prog>)(?={ING_VERB})|"
    # "Tue: send Kofi the proposal": a day's to-do line; the day is the promise's date.
    rf"(?P<label>{_DAY_LABEL}\s*[:\-\u2013\u2014]\s*|"
    rf"{_DAY_LABEL}(?:{_A}s)?\s+(?:plan|to-?do|list)\s*[:\-]\s*)(?={BASE_VERB}))",
    re.IGNORECASE,
)
# The people a customer's step is worded after: "their analyst is sending the export".
_PERSON_WORDS = (
    r"architect|analyst|engineer|buyer|admin|controller|manager|director|lead|sponsor|"
    r"coordinator|officer|counsel|owner|contact|champion|accountant|auditor|people|staff|guys|"
    r"deputy|assistant|colleague|counterpart|successor|chief"
)
_SUBJECT = (
    rf"(?P<who>\b(?:she|he|they|(?:their|the|her|his|its|your)\s+(?:[\w-]+\s+){{0,2}}?"
    rf"(?:{ROLE}|team|boss|legal|lawyers|side|end|folks|(?:{_PERSON_WORDS})s?)|"
    rf"(?-i:[A-Z][\w-]+){_A}s\s+(?:[\w-]+\s+)?(?:team|boss|{ROLE})|"
    r"the\s+(?:client|customer|buyer|prospect|champion)|"
    rf"(?-i:[A-Z][\w\u2019'-]+(?:[ \t]+[A-Z][\w\u2019'-]+){{0,2}})))"
)
_AGREES = (
    r"(?:,?(?:\s+(?:has|have|had))?\s+(?:agreed|committed|promised|offered|confirmed|"
    r"agrees?|commits?|promises?)\s+to|"
    # "their CISO has our questionnaire and committed to return it by Dec 1".
    r"(?P<joined>\s+(?:has|have|got|took)\s+[^,.;:!?\n]{1,40}?\s+and\s+"
    r"(?:agreed|committed|promised|offered)\s+to)|"
    # "Priyanka is pulling the churn data to share by the 25th": hers once dated.
    rf"(?P<ongoing>\s+(?:is|are|will\s+be)|{_A}s|{_A}re|{_A}ll\s+be)(?=(?:\s+\w+)?\s+{ING_VERB})|"
    # "they promised the signed NDA by the 22nd": the object is what they owe.
    r"(?P<owes>)(?=\s+(?:promised|owes?)\s+(?:(?:us|me)\s+)?(?:the|a|an|their|its)\s)|"
    # "Their VP promised an intro to the board chair by the 4th".
    r"(?P<gives>\s+(?:promised|offered)(?:\s+(?:us|me))?(?=\s+an?\s+intro(?:duction)?\b))|"
    # "Their CEO wants to meet next Wednesday".
    r"(?P<wants>\s+(?:wants|asked)\s+to)(?=\s+(?:meet|visit|join)\b)|"
    r"\s+(?:said|says|say|told(?:\s+(?:me|us))?|confirmed|mentioned|promised|agreed)\s+"
    # "Emilio said their legal team would get back to us": the team he speaks for.
    rf"(?:that\s+)?(?:she|he|they|their\s+(?:[\w-]+\s+){{0,2}}?(?:team|{_PERSON_WORDS}|{ROLE}))"
    rf"(?:{_A}d|{_A}ll|\s+would|\s+will|\s+(?:is|are|was|were)\s+going\s+to)|"
    rf"(?P<bare>{_A}ll|\s+will|\s+can|\s+(?:is|are)\s+going\s+to|{_A}(?:s|re)\s+going\s+to))"
)
CUSTOMER_CUE = re.compile(rf"{_SUBJECT}{_AGREES}{_ADVERBS}(?=[a-z])", re.IGNORECASE)
# "you'll confirm the budget owner" in a draft written to the customer.
ADDRESSEE_CUE = re.compile(
    rf"\byou(?:{_A}ll|\s+will|\s+(?:are|{_A}re)\s+going\s+to){_ADVERBS}(?={BASE_VERB})",
    re.IGNORECASE,
)
WORD_BEFORE = re.compile(
    rf"(?P<word>[\w-]+),?(?:{_A}(?:s|re))?(?:\s+(?:has|have|had|is|are|was|were))?\s*$",
    re.IGNORECASE,
)
# "I sent the brochure on Monday and will call you next Wednesday": the "I" carries on.
CONTINUED_CUE = re.compile(
    rf"\band\s+(?:will|shall|am\s+going\s+to){_ADVERBS}(?={BASE_VERB})", re.IGNORECASE
)
# "I will check with our legal and I revert back by tomorrow": after a firm promise, a plain
# "and I <verb>" carries the same will (how many non-native writers chain a promise).
CARRIED_CUE = re.compile(rf"\band\s+I\s+(?={BASE_VERB})", re.IGNORECASE)
NO_SUBJECT = word_set("i we you our my it this that there here what which who someone nobody")
_SUBJECT_WORDS = word_set(
    """
    she he they client customer buyer prospect champion team committee board procurement boss
    side end lawyers folks
    legal lead manager director ops operations finance security cfo ceo coo cto cio cro cmo
    architect analyst engineer controller sponsor coordinator officer counsel owner contact
    """
) | word_set(_PERSON_WORDS.replace("|", " "))


def could_be_subject(word: str) -> bool:
    """Whether the word before a modal can end a customer's name, pronoun or role."""
    lowered = word.lower()
    if lowered.endswith("s") and lowered[:-1] in _SUBJECT_WORDS:
        return True
    # "their head of IT will": an acronym in capitals is a department, never the pronoun.
    if lowered in _SUBJECT_WORDS or (len(word) > 1 and word.isupper() and word != "I"):
        return True
    return word[:1].isupper() and lowered not in NO_SUBJECT


SPLIT = re.compile(
    r"(?:\s*[,;]\s*(?:and\s+then\s+|and\s+|then\s+|plus\s+)?|\s+(?:and\s+then|and|then|plus|&)\s+|"
    # "and then, assuming nothing changes, send": an aside between the "and" and its verb.
    r"\s+(?:and\s+then|and|then),\s+[^,;.]{1,60}?,\s+)"
    # "is reviewing the MSA and will send comments": the modal opens the second step.
    rf"(?:also\s+|then\s+|will\s+|shall\s+)?(?=(?:{BASE_VERB}))",
    re.IGNORECASE,
)
PART_END = re.compile(
    r",\s+(?:which|so|because|but|since|while|although|though|unless|once|when)\b|"
    r"\s+(?:but|because|so\s+that|since|although|though|unless)\s+|"
    r"(?:,\s*|\s+)(?:and|but|so)\s+(?:she|he|they|we|you|it|I)\b|\s[\u2014\u2013]\s|\s-\s|"
    # "..., and our solutions engineer will join the call": someone else's step starts.
    rf",\s*(?:and|but|so)\s+(?:our|their|his|her|my|your|the)\s+(?:[\w-]+\s+){{0,3}}?"
    rf"(?:will|is|are|can|{_A}ll)\b|"
    rf";(?!\s*(?:and\s+|then\s+)?{BASE_VERB})",
    re.IGNORECASE,
)
CONDITIONAL = re.compile(
    r"\b(?:if|whenever|in\s+case|should\s+(?:you|they|she|he)\s+(?:want|need|like))\b",
    re.IGNORECASE,
)
QUOTA = re.compile(
    r"\b(?:\d[\d,]+|[5-9]|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|"
    r"dozens?|a\s+(?:hundred|thousand|dozen))\+?\s+(?:(?:more|new|cold|linkedin|outbound|"
    r"follow[\s-]?up|warm)\s+){0,3}(?:dials|calls|e-?mails|inmails|messages|connection\s+requests|"
    r"connections|contacts|leads|prospects|accounts|touches|touchpoints|demos|meetings|texts|"
    r"voicemails|sequences|follow[\s-]?ups|whales)\b|\b(?:dials|inmails|connection\s+requests)\b",
    re.IGNORECASE,
)
_MEETINGS = (
    r"meeting|mtg|call|demo|visit|workshop|presentation|pres(?=\s+slot)|preso|lunch|dinner|"
    r"coffee|breakfast|session|appointment|read-?out|tour|chat|"
    r"kick-?off|kick(?:s|ing)\s+off|on[\s-]?site|qbr|review|walk-?through|debrief|interview|"
    r"briefing|sync|catch-?up|catching\s+up|invite|calendar\s+hold|placeholder|"
    r"deep[\s-]dive"
)
MEETING_NOUN = re.compile(
    rf"\b(?:{_MEETINGS}|invite|invitation|time\s+with|slot|cal)s?\b", re.IGNORECASE
)
# A meeting stated as a fact ("Intro call with Pinecrest tomorrow"); "make the call" is a decision.
STATED_MEETING = re.compile(
    r"(?<!\bI\s)(?<!make\sthe\s)(?<!makes\sthe\s)(?<!made\sthe\s)(?<!making\sthe\s)(?<!cold\s)"
    # "wants me to call them", "she'll call": a verb, for the promise cues to read.
    r"(?<!\bto\s)(?<!\bwill\s)(?<![\'\u2019]ll\s)"
    # "I could call him Monday, or wait": a verb after a modal is the rep's option, no fixture.
    r"(?<!\bcould\s)(?<!\bwould\s)(?<!\bshould\s)(?<!\bcan\s)(?<![\'\u2019]d\s)"
    rf"\b(?P<noun>{_MEETINGS})\b"
    # "the call recording", "the demo deck": a thing made from or for a meeting, no meeting.
    r"(?!\s+(?:recording|notes|transcript|summary|deck|slides|minutes|agenda|script|video|"
    r"environment|sandbox|account|login|link)s?\b)",
    re.IGNORECASE,
)
_EMAIL_FOLLOW_UP = re.compile(
    r"\s*(?:(?:her|him|them|you|[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)?)\s*)?"
    r"(?:$|about\b|re\b|regarding\b|back\b|on\s+the\b|to\s+(?:check|confirm|ask|follow))",
)
_INTRO_OBJECT = re.compile(r"\bintro(?:duction)?s?\b", re.IGNORECASE)
_INVITE_OBJECT = re.compile(
    r"\b(?:invite|invitation|calendar|meeting\s+request|(?:teams|zoom|meet)\s+link|zoom|webex)\b",
    re.I,
)
_FEEDBACK = re.compile(
    r"\s+(?:[\w-]+\s+)?(?:(?:a|an|the|my|our)\s+)?(?:feedback|follow[\s-]?up)\b", re.IGNORECASE
)
_P3_OBJECT = re.compile(r"\b(?:present(?:ation|ing)?|pitch|p3)\b", re.IGNORECASE)
# "give Hakim a call" follows up like "give her the feedback"; "give them a demo" meets.
_FEEDBACK_OBJECT = re.compile(
    r"\b(?:feedback|update|answers?|decision|call|ring|buzz|shout)\b", re.IGNORECASE
)
_SHOWING_OBJECT = re.compile(r"\b(?:demo|walk-?through|presentation|tour)\b", re.IGNORECASE)
_INTERNAL_OBJECT = re.compile(r"\s*(?:in\s+)?(?:our|my)\b", re.IGNORECASE)
_HAVE_OBJECT = re.compile(r"\b(?:to\s+(?:you|him|her|them|[A-Z]\w*)|over|across|ready|done|back)\b")
_RETURNED = re.compile(
    r"get\s+(?:[\w-]+\s+){0,2}?(?:answers?|feedback|update|response|decision|thoughts)\s+back\b",
    re.IGNORECASE,
)
# "Mon: call with Ilse 10am" names a meeting; "call Ilse" follows up.
_CALL_WITH = re.compile(r"call\s+(?:with|w/?)\s", re.IGNORECASE)
_CONNECT_WITH = re.compile(r"connect(?:ing)?\s+with\b", re.IGNORECASE)


# Delivery verbs whose two swapped neighbouring letters ("pign", "sedn", "emial") make no
# English word, so a swap can be read back as the verb without guessing.
_SWAPPABLE = word_set(
    """
    send share email forward ping call phone book schedule confirm introduce connect deliver
    submit circulate arrange organise organize chase nudge draft prepare review reply respond
    invite visit present demo join
    """
)
_FIRST_WORD = re.compile(r"[A-Za-z]+")


def respelled(piece: str) -> str | None:
    """`piece` with its first word read as the delivery verb it mistypes by one swap of
    neighbouring letters, or None; the length never changes, so offsets stay true."""
    word = _FIRST_WORD.match(piece)
    if word is None or len(word.group()) < _MIN_SWAPPED:
        return None
    typed = word.group().lower()
    for i in range(len(typed) - 1):
        swapped = typed[:i] + typed[i + 1] + typed[i] + typed[i + 2 :]
        if swapped != typed and swapped in _SWAPPABLE:
            return swapped + piece[word.end() :]
    return None


_MIN_SWAPPED = 4


def verb_behaviour(verb_text: str, following: str = "") -> Verb:
    """Which table row a matched verb came from; `following` is the text after it, for the
    rows that look ahead ("get Pilar the forecast")."""
    for pattern, behaviour in _VERB_TABLE:
        if pattern.fullmatch(verb_text):
            return behaviour
    for pattern, behaviour in _VERB_TABLE:
        match = pattern.match(verb_text + following)
        if match is not None and match.end() == len(verb_text):
            return behaviour
    return Verb.OTHER


def kind_of(behaviour: Verb, phrase: str, verb_end: int) -> CommitmentKind | None:
    """The commitment kind of `phrase` (verb first); None when it is no promise at all."""
    rest = phrase[verb_end:]
    if behaviour is Verb.HAVE:
        return CommitmentKind.SEND_MATERIAL if _HAVE_OBJECT.search(rest) else None
    if behaviour is Verb.FOLLOW and _CALL_WITH.match(phrase):
        return CommitmentKind.MEETING
    if behaviour is Verb.SEND and _RETURNED.match(phrase):
        return CommitmentKind.FOLLOW_UP
    return (
        _request_kind(behaviour, phrase, rest)
        or _object_kind(behaviour, phrase, rest)
        or _FIXED_KINDS[behaviour]
    )


def _request_kind(behaviour: Verb, phrase: str, rest: str) -> CommitmentKind | None:
    """Kinds of asking, giving, running and looping in: "ask for a final presentation slot"
    is a P3 request, "give the feedback" a follow-up, "run the internal demo" a meeting."""
    if behaviour is Verb.ASK:
        return _ask_kind(rest)
    if behaviour is Verb.SCHEDULE:
        return _schedule_kind(rest)
    if behaviour is Verb.INTRO and _loops_in_own(phrase):
        return CommitmentKind.OTHER
    if behaviour is Verb.GIVE:
        return _give_kind(rest)
    if behaviour is Verb.RUN:
        return CommitmentKind.MEETING if MEETING_NOUN.search(rest) else CommitmentKind.OTHER
    return None


def _give_kind(rest: str) -> CommitmentKind:
    """ "give them a demo" meets, "give Hakim a call" follows up, "give her the deck" sends."""
    if _SHOWING_OBJECT.search(rest):
        return CommitmentKind.MEETING
    feedback = _FEEDBACK_OBJECT.search(rest)
    return CommitmentKind.FOLLOW_UP if feedback else CommitmentKind.SEND_MATERIAL


def _ask_kind(rest: str) -> CommitmentKind:
    """What the rep asks for decides the kind; a plain question is a follow-up."""
    if _P3_OBJECT.search(rest):
        return CommitmentKind.P3_REQUEST
    if _INTRO_OBJECT.search(rest) or re.search(r"\bintroduce\b", rest, re.IGNORECASE):
        return CommitmentKind.INTRODUCTION
    return CommitmentKind.MEETING if MEETING_NOUN.search(rest) else CommitmentKind.FOLLOW_UP


def _object_kind(behaviour: Verb, phrase: str, rest: str) -> CommitmentKind | None:
    """Kinds the object decides: "send an intro", "send an invite", "email her", "set up a call"."""
    if behaviour in (Verb.SEND, Verb.EMAIL) and _INTRO_OBJECT.search(rest):
        return CommitmentKind.INTRODUCTION
    if behaviour is Verb.SEND and _FEEDBACK.match(rest):
        return CommitmentKind.FOLLOW_UP
    if behaviour in (Verb.SEND, Verb.EMAIL) and _INVITE_OBJECT.search(rest):
        return CommitmentKind.MEETING
    if behaviour is Verb.EMAIL and _EMAIL_FOLLOW_UP.match(rest):
        return CommitmentKind.FOLLOW_UP
    if behaviour is Verb.CONNECT:
        follow = _CONNECT_WITH.match(phrase)
        return CommitmentKind.FOLLOW_UP if follow else CommitmentKind.INTRODUCTION
    return None


def _schedule_kind(rest: str) -> CommitmentKind:
    """ "set up a call" is a meeting, "book intro calls" too; "set up an intro" introduces."""
    if MEETING_NOUN.search(rest):
        return CommitmentKind.MEETING
    return CommitmentKind.INTRODUCTION if _INTRO_OBJECT.search(rest) else CommitmentKind.OTHER


def _loops_in_own(phrase: str) -> bool:
    """ "loop in our security architect" prepares an answer; it introduces nobody."""
    lowered = phrase.lower()
    return lowered.startswith("loop") and _INTERNAL_OBJECT.match(lowered, len("loop")) is not None


_FIXED_KINDS = {
    Verb.SEND: CommitmentKind.SEND_MATERIAL,
    Verb.EMAIL: CommitmentKind.SEND_MATERIAL,
    Verb.MEETING: CommitmentKind.MEETING,
    Verb.INTRO: CommitmentKind.INTRODUCTION,
    Verb.FOLLOW: CommitmentKind.FOLLOW_UP,
    Verb.GIVE: CommitmentKind.SEND_MATERIAL,
    Verb.ASK: CommitmentKind.FOLLOW_UP,
    Verb.RUN: CommitmentKind.OTHER,
    Verb.OTHER: CommitmentKind.OTHER,
}
