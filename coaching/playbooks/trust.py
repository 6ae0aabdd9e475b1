"""The trust family: the trust equation and the playbooks that feed its four components.

Each playbook (acid test, trust-based selling, credibility and ignorance, their story, the
client's shoes, features versus needs) reports its own findings; the trust equation then scores
the whole draft from those findings, because the buyer judges the message as one thing.
Self-orientation is the denominator, so when it runs high the coach asks the acid-test question
rather than polishing the numerator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from coaching.playbooks.base import Context, PlaybookReport
from coaching.playbooks.catalog import Playbook, playbook
from coaching.playbooks.routing import is_rep, is_review, looks_like_draft
from coaching.playbooks.signals import (
    book_findings,
    has_signal,
    matches_any,
    signal,
    to_finding,
)
from coaching.types import Finding, Party, Severity, TrustScores

TRUST_FAMILY = (
    "trust_equation",
    "acid_test",
    "trust_based_selling",
    "credibility_ignorance",
    "their_story",
    "client_shoes_improv",
    "features_vs_needs",
)
HIGH_SELF_ORIENTATION = 6
WEAKEST_PREFIXES = ("Weakest component", "Nothing in the wording")
NEUTRAL = {"credibility": 6, "reliability": 6, "intimacy": 6, "self_orientation": 4}

# (component, change) per finding code; the mapping is documented in trust_equation.toml.
EFFECTS: Mapping[str, tuple[tuple[str, int], ...]] = {
    "trust.credibility": (("credibility", -2),),
    "trust.reliability": (("reliability", -2),),
    "trust.intimacy": (("intimacy", -2),),
    "trust.self_orientation": (("self_orientation", 2),),
    "trust.transparency": (("self_orientation", 1), ("credibility", -1)),
    "pitch.features_over_needs": (("self_orientation", 1), ("intimacy", -1)),
}
_SIGNAL_EFFECTS = (
    ("honest_limit", "credibility", 1),
    ("client_first", "self_orientation", -1),
    ("listening", "intimacy", 1),
)


def analyse(ctx: Context) -> list[PlaybookReport]:
    if not is_rep(ctx):
        return []
    reports = [r for book_id in TRUST_FAMILY if (r := _report(playbook(book_id), ctx))]
    findings = [f for r in reports for f in r.findings]
    equation = playbook("trust_equation")
    if findings or (not is_review(ctx) and _is_sales_draft(equation, ctx.text)):
        report = next((r for r in reports if r.playbook == equation.id), None)
        if report is None:
            report = PlaybookReport(playbook=equation.id, advice=[equation.summary])
            reports.insert(0, report)
        report.scores = score(equation, ctx, findings)
        report.advice.append(weakest_advice(equation, report.scores, flagged=bool(findings)))
    return reports


def _is_sales_draft(equation: Playbook, text: str) -> bool:
    return looks_like_draft(text) and has_signal(equation, "business_context", text)


def _report(book: Playbook, ctx: Context) -> PlaybookReport | None:
    if book.id == "features_vs_needs" and not (is_review(ctx) or looks_like_draft(ctx.text)):
        return None
    findings = book_findings(book, ctx)
    if book.id == "trust_equation":
        findings += undated_promises(book, ctx)
    notes = _notes(book, ctx.text)
    if not findings and not notes:
        return None
    return PlaybookReport(playbook=book.id, findings=findings, advice=[book.summary, *notes])


def _notes(book: Playbook, text: str) -> list[str]:
    """Advice-only signals: checking a claimed acid test, pointing at a better-fitting option."""
    if book.id == "acid_test":
        if has_signal(book, "claimed_pass", text):
            caveat = has_signal(book, "caveat", text)
            return [signal(book, "caveat" if caveat else "claimed_pass").advice]
        if has_signal(book, "better_elsewhere", text):
            return [signal(book, "better_elsewhere").advice]
    if book.id == "credibility_ignorance" and has_signal(book, "knowledge_gap", text):
        return [signal(book, "knowledge_gap").advice]
    return []


def undated_promises(book: Playbook, ctx: Context) -> list[Finding]:
    """The rep's promises with no date, quoted as extracted; conditional offers excluded."""
    rule = book.rule("trust.reliability", "undated")
    quotes = dict.fromkeys(q.strip() for q in ctx.undated_promises)
    return [
        to_finding(rule, quote)
        for quote in quotes
        if quote and quote in ctx.text and not matches_any(rule.unless, quote)
    ]


@dataclass
class _Components:
    credibility: float
    reliability: float
    intimacy: float
    self_orientation: float

    def shift(self, component: str, change: float) -> None:
        setattr(self, component, getattr(self, component) + change)


def _finding_change(finding: Finding, change: int) -> float:
    """High severity weighs one point more, a low one point less (never flipping direction)."""
    step = 1 if change > 0 else -1
    if finding.severity is Severity.HIGH:
        return change + step
    if finding.severity is Severity.LOW and abs(change) > 1:
        return change - step
    return change


def score(book: Playbook, ctx: Context, findings: Iterable[Finding]) -> TrustScores:
    """The trust equation for this draft, from its findings and its positive signals."""
    parts = _Components(**NEUTRAL)
    distinct = {(f.code, f.evidence): f for f in findings}
    for finding in distinct.values():
        for component, change in EFFECTS.get(finding.code, ()):
            parts.shift(component, _finding_change(finding, change))
    for name, component, change in _SIGNAL_EFFECTS:
        if has_signal(book, name, ctx.text):
            parts.shift(component, change)
    own = [p for p in ctx.promises if p.party is Party.REP]
    if own and all(p.due is not None for p in own):
        parts.shift("reliability", 1)
    clamp = {k: float(min(10, max(1, v))) for k, v in vars(parts).items()}
    return TrustScores.from_components(**clamp)


def weakest_component(scores: TrustScores, *, flagged: bool) -> str | None:
    """The component that hurts most: self-orientation when it runs high, else the lowest
    part of the numerator; None for an unflagged draft where nothing sits below neutral."""
    if scores.self_orientation >= HIGH_SELF_ORIENTATION:
        return "self_orientation"
    numerator = {
        "credibility": scores.credibility,
        "reliability": scores.reliability,
        "intimacy": scores.intimacy,
    }
    weakest = min(numerator, key=lambda k: numerator[k])
    if numerator[weakest] >= NEUTRAL[weakest] and not flagged:
        return None
    return weakest


def lever(book: Playbook, component: str) -> str:
    """What moves one component, from the equation's data."""
    return signal(book, f"lever_{component}").advice


def weakest_advice(book: Playbook, scores: TrustScores, *, flagged: bool) -> str:
    """Name the component that hurts most; at high self-orientation, ask the acid test.

    Only a draft with no trust finding at all is told nothing pulls trust down.
    """
    weakest = weakest_component(scores, flagged=flagged)
    if weakest == "self_orientation":
        question = playbook("acid_test").questions[0]
        return (
            f"Weakest component: self-orientation ({scores.self_orientation:g}/10, lower is "
            f"better). {lever(book, weakest)} The acid test is worth asking yourself here: "
            f"{question}"
        )
    if weakest is None:
        return (
            "Nothing in the wording pulls trust down. The real test is whether every request in "
            "it has a reason that is the client's, not yours."
        )
    return f"Weakest component: {weakest} ({getattr(scores, weakest):g}/10). {lever(book, weakest)}"
