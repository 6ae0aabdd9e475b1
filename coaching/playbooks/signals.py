"""How a playbook rule turns into a finding: matching, suppression and exact evidence.

Every analyser shares these helpers so that evidence is always an exact, short substring of
the input (the rep must recognise their own words), and so that `unless` patterns work the
same way everywhere: by default they silence a match only inside its own sentence, because a
harmless sentence elsewhere in a message says nothing about the one that raised the signal.

Matching is the hot path on long proposals, so `search` and `finditer` run each playbook
pattern case-sensitively over a lower-cased copy of the text (same length, same offsets)
without its leading word boundary, which lets the regex engine skip ahead to candidate
characters; the boundary is then checked by hand. Data files keep their patterns in lower
case for this reason (a test enforces it).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from functools import cache, lru_cache

from coaching.playbooks.base import Context
from coaching.playbooks.catalog import Playbook, Rule
from coaching.types import Finding

Span = Callable[[str, int, int], str]

_ABBREVIATIONS = frozenset(
    {"st", "dr", "mr", "mrs", "ms", "prof", "inc", "ltd", "co", "corp", "jr", "sr", "vs", "etc"}
    | {"e.g", "i.e", "no", "approx", "dept", "est", "mt", "ft"}
)
_SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)]*(?=\s)|\n")
_LAST_WORD = re.compile(r"(?:^|\s)([\w.]+)$")
_CLAUSE_CUT = re.compile(r";|:\s|\s[\u2014\u2013-]\s|\u2014|[()]")
_TRIM = " \t\n,;:\"'\u201c\u201d\u2018\u2019\u2014\u2013-"
_LEADING_BOUNDARY = "\\b"


class Suppress(Enum):
    """Where a rule's `unless` patterns look: the match's sentence, the whole text, nowhere."""

    SENTENCE = "sentence"
    TEXT = "text"
    NONE = "none"


@lru_cache(maxsize=8)
def _lowered(text: str) -> str | None:
    """The text in lower case with straight apostrophes, or None if offsets would shift."""
    low = text.lower().replace("\u2019", "'")
    return low if len(low) == len(text) else None


def _top_level_branch(source: str) -> bool:
    depth, escaped, in_class = 0, False, False
    for char in source:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return True
    return False


@cache
def _fast(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], bool] | None:
    """A case-sensitive twin for lower-cased text, minus a leading \\b checked by hand."""
    source = pattern.pattern
    if re.search(r"[A-Z]", re.sub(r"\\.", "", source)):
        return None
    flags = pattern.flags & ~(re.IGNORECASE | re.UNICODE)
    strip = source.startswith(_LEADING_BOUNDARY) and not _top_level_branch(source)
    return re.compile(source[2:] if strip else source, flags), strip


def _at_boundary(text: str, index: int) -> bool:
    before = index > 0 and (text[index - 1].isalnum() or text[index - 1] == "_")
    after = index < len(text) and (text[index].isalnum() or text[index] == "_")
    return before != after


def _scan(pattern: re.Pattern[str], text: str, pos: int, endpos: int) -> Iterator[re.Match[str]]:
    fast, low = _fast(pattern), _lowered(text)
    if fast is None or low is None:
        yield from pattern.finditer(text, pos, endpos)
        return
    compiled, check = fast
    while pos <= endpos and (match := compiled.search(low, pos, endpos)) is not None:
        if check and not _at_boundary(low, match.start()):
            pos = match.start() + 1
            continue
        yield match
        pos = match.end() if match.end() > match.start() else match.end() + 1


@lru_cache(maxsize=2048)
def _all_matches(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str], ...]:
    """Every match over the whole text, kept so that analysers sharing a cue scan once."""
    return tuple(_scan(pattern, text, 0, len(text)))


def finditer(
    pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> Iterator[re.Match[str]]:
    """Like `pattern.finditer`, fast; offsets index `text`, read spans from `text` itself."""
    if pos == 0 and endpos is None:
        return iter(_all_matches(pattern, text))
    return _scan(pattern, text, pos, len(text) if endpos is None else endpos)


def search(
    pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> re.Match[str] | None:
    return next(finditer(pattern, text, pos, endpos), None)


def matches_any(patterns: Iterable[re.Pattern[str]], text: str) -> bool:
    return any(search(p, text) is not None for p in patterns)


def _is_real_end(text: str, boundary: re.Match[str]) -> bool:
    """A full stop after "St", "Dr", an initial or a list number ("1.") ends no sentence."""
    if boundary.group() == "\n" or not boundary.group().startswith("."):
        return True
    word = _LAST_WORD.search(text, max(0, boundary.start() - 40), boundary.start())
    token = word.group(1).lower() if word else ""
    line_start = text.rfind("\n", 0, boundary.start()) + 1
    list_number = token.isdigit() and not text[line_start : boundary.start() - len(token)].strip()
    return not (token in _ABBREVIATIONS or list_number or len(token) == 1)


@lru_cache(maxsize=8)
def _sentence_ends(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(starts, ends) of every real sentence boundary, computed once per text."""
    real = [b for b in _SENTENCE_END.finditer(text) if _is_real_end(text, b)]
    return tuple(b.start() for b in real), tuple(b.end() for b in real)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The [left, right) bounds of the sentence (or line) holding text[start:end]."""
    starts, ends = _sentence_ends(text)
    before = bisect_right(ends, start) - 1
    left = ends[before] if before >= 0 else 0
    after = bisect_left(starts, max(start, end - 1))
    if after >= len(starts):
        return left, len(text)
    right = starts[after] if text[starts[after]] == "\n" else ends[after]
    return left, right


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The [left, right) bounds of every sentence or line, in order, blank ones left out."""
    starts, ends = _sentence_ends(text)
    spans: list[tuple[int, int]] = []
    left = 0
    for start, end in zip(starts, ends, strict=True):
        right = start if text[start] == "\n" else end
        if text[left:right].strip():
            spans.append((left, right))
        left = end
    if text[left:].strip():
        spans.append((left, len(text)))
    return spans


def _trimmed(text: str, left: int, right: int) -> str:
    piece = text[left:right]
    return piece.strip(_TRIM) or piece.strip()


def sentence_span(text: str, start: int, end: int) -> str:
    """The whole sentence or outline line: the evidence unit for documents and outlines."""
    return _trimmed(text, *sentence_bounds(text, start, end))


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The [left, right) bounds of the clause holding the match, inside its sentence."""
    left, right = sentence_bounds(text, start, end)
    for cut in _CLAUSE_CUT.finditer(text, left, start):
        left = cut.end()
    first_cut = _CLAUSE_CUT.search(text, end, right)
    if first_cut is not None:
        right = first_cut.start()
        if first_cut.group() == ")" and text.count("(", left, right) > text.count(")", left, right):
            right = first_cut.end()
    return left, right


def clause_span(text: str, start: int, end: int) -> str:
    """The shortest clause holding the match: its sentence, cut at dashes, colons, brackets."""
    clause = _trimmed(text, *clause_bounds(text, start, end))
    return clause if len(clause) >= end - start else text[start:end]


def _suppressed(rule: Rule, text: str, match: re.Match[str]) -> bool:
    left, right = sentence_bounds(text, match.start(), match.end())
    return any(search(p, text, left, right) is not None for p in rule.unless)


def first_hit(rule: Rule, text: str, scope: Suppress = Suppress.SENTENCE) -> re.Match[str] | None:
    """The earliest unsuppressed match of any of the rule's patterns, in text order."""
    if scope is Suppress.TEXT and matches_any(rule.unless, text):
        return None
    local = scope is Suppress.SENTENCE and bool(rule.unless)
    best: re.Match[str] | None = None
    for pattern in rule.patterns:
        for match in finditer(pattern, text):
            if best is not None and match.start() >= best.start():
                break
            if not (local and _suppressed(rule, text, match)):
                best = match
                break
    return best


def all_hits(rules: Iterable[Rule], text: str) -> list[re.Match[str]]:
    """Every match of every pattern of the rules (suppression ignored), in text order."""
    hits = [m for rule in rules for p in rule.patterns for m in finditer(p, text)]
    return sorted(hits, key=lambda m: m.start())


def to_finding(rule: Rule, evidence: str, advice: str | None = None) -> Finding:
    """A finding in the contract's shape; `category` and severity come from the rule's data."""
    return Finding(
        code=rule.code,
        severity=rule.severity,
        evidence=evidence,
        advice=advice or rule.advice,
        category=rule.category,
    )


def fire(
    rule: Rule,
    text: str,
    *,
    span: Span = clause_span,
    scope: Suppress = Suppress.SENTENCE,
) -> Finding | None:
    """The rule's finding with the clause (or `span`) around its first match, if it matched."""
    match = first_hit(rule, text, scope)
    if match is None:
        return None
    return to_finding(rule, span(text, match.start(), match.end()))


def signal(book: Playbook, name: str) -> Rule:
    """A non-finding rule (code `signal.<name>`): patterns the analyser combines with others."""
    return book.rule(f"signal.{name}")


def has_signal(book: Playbook, name: str, text: str) -> bool:
    """Whether the signal is present anywhere, minus sentences its `unless` patterns silence."""
    cue = signal(book, name)
    if not cue.unless:
        return matches_any(cue.patterns, text)
    return first_hit(cue, text) is not None


def book_findings(book: Playbook, ctx: Context, *, skip: Iterable[str] = ()) -> list[Finding]:
    """One finding per (code, category) from the book's plain finding rules, in data order.

    Rules whose code starts with `signal.` or `scorecard.` never become findings; codes in
    `skip` are the ones the analyser handles with its own logic.
    """
    skipped = set(skip)
    findings: dict[tuple[str, str | None], Finding] = {}
    for rule in book.rules:
        key = (rule.code, rule.category)
        if rule.code.split(".")[0] in {"signal", "scorecard"} or rule.code in skipped:
            continue
        if key not in findings and (found := fire(rule, ctx.text)) is not None:
            findings[key] = found
    return list(findings.values())
