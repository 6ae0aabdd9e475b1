"""The customer-as-hero outline: a rep's own proposal material re-ordered as a story.

The P3 playbook says a great final presentation starts from the customer's challenge, casts
the seller as guide and ends with the customer's better future. Telling a rep that is easy;
showing them their own lines in that order is what gets the deck rewritten. So every step
quotes the rep's text, a step with nothing to quote gets an "[add: ...]" prompt (never an
invented fact), company facts shrink to an appendix and delivery detail folds into the path.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable

from coaching.playbooks.catalog import playbook
from coaching.playbooks.signals import finditer

_PER_STEP = 2
_MAX_QUOTE = 160
_COST_STEP = 1
_PATH_STEP = 2
_RESULTS_STEP = 3
_DECISION_STEP = 5
_TITLE_CHARS = 120

Step = tuple[str, str, tuple[re.Pattern[str], ...]]


def _step(label: str, prompt: str, cues: str, *more: re.Pattern[str]) -> Step:
    """A step of the story: its label, the prompt when the document has nothing for it, and
    the cues whose hits in a line of the rep's material decide which step it belongs to."""
    return label, prompt, (re.compile(rf"\b(?:{cues})\b", re.IGNORECASE), *more)


_STEPS = (
    _step(
        "Their current challenge",
        "what is hard for {customer} today, in their own words",
        r"today|currently|current|challenges?|problems?|pain|struggl\w*|backlog|bottlenecks?|"
        r"issues?|manual|re-?keying|late|delays?|situation|audit finding|frustrat\w*|"
        r"stress\w*|worr(?:y|ied|ies)|dread\w*",
    ),
    _step(
        "What it costs them",
        "what the problem costs {customer} now, in time, money or risk",
        r"costs?|costing|losing|lost|loses|spend\w*|overtime|penalt\w+|fines?|churn|wasted?|"
        r"at risk|per (?:month|year|week)|each (?:month|year|week)",
    ),
    _step(
        "The path, with us as guide",
        "the few milestones that get {customer} there, with you as their guide",
        r"path|guide|journey|roadmap|milestones?|together|what changes|month \d+|week \d+|"
        r"onboarding|roll-?out|go-?live",
    ),
    _step(
        "Results they can hold us to",
        "two or three measurable results with a number and a date; ask {customer} for "
        "their targets rather than guessing",
        r"results?|outcomes?|kpis?|hold us to",
        *playbook("p3").rule("scorecard.outcomes_not_process", "pass").patterns,
    ),
    _step(
        "What it will feel like",
        "what {customer} can look forward to: relief, confidence, trust in the team",
        r"feel\w*|relie(?:f|ved)|confiden\w+|peace of mind|joy\w*|delight\w*|excit\w+|"
        r"anticipat\w+|look(?:ing)? forward|proud|pride|reassur\w+|calm|hope\w*|"
        r"enthusias\w+|trust(?!\s+scores?)",
    ),
    _step(
        "Their decision and first steps",
        "who gives the final yes, and the first steps once they say it",
        r"decision|decide\w*|sign-?off|signs? off|final (?:yes|say)|approv\w+|next steps?|"
        r"first \d+ days|first steps?|kick-?off|start date|pricing|price|investment|"
        r"commercials?|contract|budget|q&a",
    ),
)
# The seller's price is not the cost of the customer's problem: a line about our fee belongs
# with their decision, unless it also says what the problem costs them (an ROI line).
_OUR_PRICE = re.compile(
    r"\b(?:(?:our|the)\s+(?:fees?|price|pricing|rates?|quote|quotation|licen[cs]e|subscription|"
    r"retainer)|(?:licen[cs]e|subscription|seat|user|setup|set-up|implementation|service|"
    r"annual|monthly|one-off)\s+(?:costs?|fees?|price)|(?:the|your|their|total)\s+investment|"
    r"investment\s+(?:is|of|will be)|priced\s+at|you(?:'ll|\u2019ll| will)\s+pay|"
    r"per\s+(?:seat|user|licen[cs]e)|cost\s+of\s+(?:our|the)\s+(?:service|platform|licen[cs]es?|"
    r"solution|subscription|software|offer|proposal))\b",
    re.IGNORECASE,
)
_THEIR_COST = re.compile(
    r"\b(?:costs?|costing)\s+(?:them|you|the business|the company|us nothing)|"
    r"\b(?:losing|lose|loses|lost|penalt\w+|fines?|overtime|churn|wasted?|at risk|inaction|"
    r"problem costs|delay costs|every month they wait)\b",
    re.IGNORECASE,
)
_LINE = re.compile(r"[^\n]*\S[^\n]*")
_LIST_MARK = re.compile(r"\s*(?:\d{1,2}[.)]|[-*\u2022]|#{1,6})\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"\u201c])")
_TITLE_NAME = re.compile(
    r"\b(?:to|for|with|at)\s+(?:the\s+)?([A-Z][\w&'\u2019-]+(?:\s+[A-Z][\w&'\u2019-]+)?)"
)
_NOT_NAMES = frozenset({"The", "Our", "Your", "Their", "Final", "Q", "A", "An"})
# A job title before the company ("Proposal to COO Northwind") is not part of its name.
_TITLES = frozenset({"CEO", "CFO", "COO", "CIO", "CTO", "CRO", "CMO", "CHRO", "VP", "President"})
Unit = tuple[int, int, int]  # start and end in the text, and the line it comes from


def build_hero_outline(text: str) -> list[str]:
    """The rep's material re-ordered as the customer's story, one line per step, plus an
    appendix line for company facts. A paragraph holding instructions aimed at the coach
    (input.injection) is never quoted. Each pattern scans the whole text once, sharing the
    analysers' cache, so a 20-page proposal stays fast."""
    book = playbook("p3")
    units = _units(text)
    starts = [left for left, _, _ in units]
    seller = _hits(text, units, starts, book.rule("p3.seller_centric").patterns)
    process = _hits(text, units, starts, _process_patterns())
    injected = playbook("input_safety").rule("input.injection").patterns
    tainted = {units[i][2] for i in _hits(text, units, starts, injected)}
    scores = [_hits(text, units, starts, cues) for _, _, cues in _STEPS]
    _price_to_decision(scores, _hits(text, units, starts, [_OUR_PRICE]), text, units)
    picked: list[list[tuple[int, int, str]]] = [[] for _ in _STEPS]
    appendix: list[str] = []
    condensed: list[str] = []
    for index, (left, right, line) in enumerate(units):
        if line in tainted:
            continue
        unit = text[left:right]
        best = max(range(len(_STEPS)), key=lambda i: (scores[i][index], -i))
        if seller[index]:
            appendix.append(unit)
        elif process[index] and not scores[_RESULTS_STEP][index]:
            condensed.append(unit)
        elif scores[best][index]:
            picked[best].append((scores[best][index], index, unit))
    customer = customer_name(text) or "the customer"
    lines = [_step_line(i, picked[i], customer) for i in range(len(_STEPS))]
    if condensed:
        lines[_PATH_STEP] += (
            f" (fold in, in one line: {quote(condensed[0])}; the detail goes to an appendix)"
        )
    if appendix:
        lines.append("Appendix, one line at most: " + "; ".join(map(quote, appendix[:3])))
    return lines


def _price_to_decision(
    scores: list[Counter[int]], price: Counter[int], text: str, units: list[Unit]
) -> None:
    """Move each unit about our price out of "What it costs them" into the decision step;
    only a measurable result in the same line keeps it with the results."""
    for index in price:
        left, right = units[index][:2]
        if _THEIR_COST.search(text, left, right):
            continue
        scores[_COST_STEP][index] = 0
        others = (c[index] for step, c in enumerate(scores) if step != _RESULTS_STEP)
        scores[_DECISION_STEP][index] = max(others) + 1


def _process_patterns() -> list[re.Pattern[str]]:
    rules = playbook("p3").rules
    return [p for r in rules if r.code == "p3.process_over_outcomes" for p in r.patterns]


def _hits(
    text: str, units: list[Unit], starts: list[int], patterns: Iterable[re.Pattern[str]]
) -> Counter[int]:
    """How many matches of the patterns start inside each unit, by unit index."""
    counts: Counter[int] = Counter()
    for pattern in patterns:
        for match in finditer(pattern, text):
            found = match.group()
            at = match.start() + len(found) - len(found.lstrip())  # a leading \s* may cross lines
            index = bisect_right(starts, at) - 1
            if index >= 0 and at < units[index][1]:
                counts[index] += 1
    return counts


def _step_line(index: int, found: list[tuple[int, int, str]], customer: str) -> str:
    """The step's best-fitting units in document order, or its prompt."""
    label, prompt, _ = _STEPS[index]
    best = sorted(sorted(found, key=lambda f: (-f[0], f[1]))[:_PER_STEP], key=lambda f: f[1])
    body = "; ".join(quote(unit) for _, _, unit in best)
    return f"{index + 1}. {label}: {body or '[add: ' + prompt.format(customer=customer) + ']'}"


def _units(text: str) -> list[Unit]:
    """Outline lines, or the sentences of prose paragraphs, without list markers or title."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    if len(lines) > 1 and not _LIST_MARK.match(text, *lines[0]):
        short = lines[0][1] - lines[0][0] <= _TITLE_CHARS
        if short or _LIST_MARK.match(text, *lines[1]):
            lines = lines[1:]
    units: list[Unit] = []
    for number, (left, right) in enumerate(lines):
        marker = _LIST_MARK.match(text, left, right)
        cut = marker.end() if marker else left
        for gap in [*_SENTENCE.finditer(text, cut, right), None]:
            end = gap.start() if gap else right
            piece = text[cut:end]
            begin = cut + len(piece) - len(piece.lstrip())
            finish = cut + len(piece.rstrip())
            if finish - begin > 2:
                units.append((begin, finish, number))
            cut = gap.end() if gap else right
    return units


def quote(unit: str) -> str:
    """The unit in curly quotes, cut at a word near the limit so the outline stays short."""
    if len(unit) > _MAX_QUOTE:
        unit = unit[:_MAX_QUOTE].rsplit(" ", 1)[0] + "\u2026"
    return f"\u201c{unit}\u201d"


def customer_name(text: str) -> str | None:
    """The customer's name from the title line ("Final presentation to Helios Freight")."""
    title = text.strip().split("\n", 1)[0]
    found = _TITLE_NAME.search(title)
    if found is None or found.group(1).split()[0] in _NOT_NAMES:
        return None
    words = [word for word in found.group(1).split() if word not in _TITLES]
    return " ".join(words) or None
