"""Findings from the situation model, folded into the playbooks' reports.

The phrase rules of each playbook run first; they are precise where they match. The situation
model then recognises the same situations however the rep phrased them. A code the rules
already raised is left as it is; a new one joins the report of the playbook it belongs to, with
the clause the model found as evidence, so the trust equation, the suggested P3 request and
the reply all see it. Routing still applies (manager codes for managers, outline codes for
outlines and reviews) and so do the playbooks' vetoes: a final presentation already planned
silences every "no P3" situation, whatever the model thinks.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache
from importlib import resources
from typing import Any

from coaching.codes import FINDING_CODES
from coaching.commitments.dates import find_due_date
from coaching.playbooks import p3, social, trust
from coaching.playbooks.base import Context, PlaybookReport
from coaching.playbooks.catalog import load_playbooks, playbook
from coaching.playbooks.decay import HOT_MEETING_DAYS
from coaching.playbooks.routing import is_manager, is_review, looks_like_outline
from coaching.playbooks.signals import (
    has_signal,
    matches_any,
    sentence_bounds,
    sentence_spans,
    signal,
    to_finding,
)
from coaching.playbooks.suggestions import suggesting_rules, suggestion
from coaching.situations.corpus import DEAL_TALK
from coaching.situations.features import words
from coaching.situations.model import Detection, SituationModel
from coaching.types import Commitment, CommitmentKind, Finding, Party, Severity

OUTLINE_CODES = frozenset({"p3.seller_centric", "p3.process_over_outcomes", "p3.no_emotion"})
TRUST_CODES = frozenset(trust.EFFECTS)
MANAGER_CODES = frozenset({"revenue.unbalanced"})
MANAGER_SIGNALS = {
    "manager.training_event": ("toxic_training", "training_event"),
    "manager.crm_overload": ("crm_discipline", "crm_overload"),
    "manager.retread_hiring": ("recruiting_retreads", "retread_hiring"),
}
CATEGORY_PREFIX = "category."
MESSAGE_SCOPED = frozenset({"funnel.activity_metrics", "decay.hot_window"})
MANAGER_REP_CODE_PROBABILITY = 0.6
_PRESENTING = re.compile(
    r"\b(?:present(?:ation|ing)?|deck|slides?|agenda|outline|pitch|p3|finals?|demo|"
    r"session|structure|flow|open(?:ing)? with|spend (?:most|the|\w+ minutes)|"
    r"walk (?:them|him|her) through)\b",
    re.I,
)
# What makes a dated promise a reliability problem after all: it slipped, or the date is soft.
_SLIPPED_OR_SOFT = re.compile(
    r"\b(?:again|already|late|later than|missed|slipp\w*|overdue|still|haven'?t|have not|"
    r"hasn'?t|forgot|didn'?t|did not|never|pushed|postpon\w*|resched\w*|ago|last (?:week|time)|"
    r"promised|said (?:i|we)(?:'d| would)|at some point|sometime|soonish|circle back|"
    r"when i (?:can|get a chance)|hopefully|try to|if i can)\b",
    re.IGNORECASE,
)
# Someone else's result: "he's at 109%", "Dana is at 104%", "her whole number".
_COLLEAGUES_NUMBER = re.compile(
    r"\b(?:(?:[Hh]e|[Ss]he|[Tt]hey)(?:'s|'re| is| was| are| were) (?:at|over|on|way over)|"
    r"[A-Z][a-z]+(?:'s| is| was) (?:at|over) \d+\s?%|"
    r"(?:[Hh]is|[Hh]er|[Tt]heir) (?:whole |entire )?(?:quota|number|target|bookings|attainment))"
)
_SLOT = re.compile(r"\b(?:presentation|present|session|slot|pitch|meeting|walkthrough)\b", re.I)
_INVITED = re.compile(
    r"\b(?:asked|invited|wants?|requested|booked|scheduled|confirmed|offered)\b", re.I
)


@dataclass(frozen=True)
class CodeAdvice:
    playbook: str
    severity: Severity
    advice: str


@cache
def _advice_data() -> dict[str, Any]:
    source = resources.files("coaching.situations") / "advice.toml"
    return tomllib.loads(source.read_text("utf-8"))


@cache
def code_advice() -> dict[str, CodeAdvice]:
    """The advice for each code the model can raise, from `situations/advice.toml`."""
    return {
        code: CodeAdvice(
            playbook=entry["playbook"],
            severity=Severity(entry["severity"]),
            advice=" ".join(entry["advice"].split()),
        )
        for code, entry in _advice_data()["codes"].items()
    }


def _allowed(detection: Detection, ctx: Context) -> bool:
    """Manager codes for managers; a manager describing a rep's deal gets the rep's codes too.

    Managers mostly talk about their team, so a rep-level situation in a manager's message
    needs a surer reading than the label's own threshold. A quota made on one product line is
    the same situation when a rep tells of their own number ("I'm at 104%, all on the
    scanners"), so a rep gets it then; a colleague's year stays the manager's to coach.
    """
    code = detection.label
    if code in MANAGER_CODES and not is_manager(ctx):
        return _own_number(ctx)
    if code in MANAGER_CODES or code in MANAGER_SIGNALS:
        return is_manager(ctx)
    if code in OUTLINE_CODES and not _about_a_presentation(ctx):
        return False
    if is_manager(ctx) and detection.probability < MANAGER_REP_CODE_PROBABILITY:
        return False
    return code in FINDING_CODES or code.startswith(CATEGORY_PREFIX)


def _own_number(ctx: Context) -> bool:
    """Whether a rep speaks of their own year, not of a colleague's quota."""
    return _COLLEAGUES_NUMBER.search(ctx.text) is None


def _about_a_presentation(ctx: Context) -> bool:
    """A review, a pasted outline, or a chat about what the rep will present or put in a deck."""
    return is_review(ctx) or looks_like_outline(ctx.text) or bool(_PRESENTING.search(ctx.text))


def _vetoed(code: str, ctx: Context, detection: Detection | None = None) -> bool:
    """The playbooks' own high-precision evidence that the situation is already handled.

    A final presentation already planned silences every "no P3" situation; a meeting booked in
    the next two weeks means the hot window is being used; and each rule's `unless` patterns
    (customer actions next to activity counts, "a health system", a brochure the client asked
    for) silence the model's finding for that code too, in the evidence's sentence or, for
    codes judged on the whole message, anywhere in it.
    """
    book = playbook("p3")
    # A booked final presentation answers "not requested"; an excuse for skipping the
    # booked meeting still needs the coaching.
    if code == "p3.not_requested" and p3.planned(book, ctx.text):
        return True
    if code == "p3.decision_maker_absent" and p3.decider_engaged(book, ctx.text):
        return True
    hot_and_booked = code == "decay.hot_window" and _meeting_soon(ctx)
    if hot_and_booked or (
        code == "funnel.activity_metrics" and social.counted_activity(ctx.text) is False
    ):
        return True
    if detection is None:
        return False
    if code == "trust.reliability" and _dated_and_firm(ctx, detection):
        return True
    if code in MESSAGE_SCOPED:
        scope = ctx.text
    else:
        scope = ctx.text[slice(*sentence_bounds(ctx.text, detection.start, detection.end))]
    return matches_any(_unless(code), scope)


def _dated_and_firm(ctx: Context, detection: Detection) -> bool:
    """A promise with a day still ahead, worded firmly, is how reliability is built, not a
    lapse: "I will send the revised SOW by Friday" is the advice already followed."""
    sentence = ctx.text[slice(*sentence_bounds(ctx.text, detection.start, detection.end))]
    if _SLIPPED_OR_SOFT.search(sentence) or any(u in sentence for u in ctx.undated_promises):
        return False
    today = ctx.now.date()
    said = set(words(sentence.lower()))
    return any(
        p.party is Party.REP
        and p.due is not None
        and p.due >= today
        and len({w for w in words(p.text.lower()) if len(w) > 3} & said) >= 2
        for p in ctx.promises
    )


def _meeting_soon(ctx: Context) -> bool:
    horizon = ctx.now.date() + timedelta(days=HOT_MEETING_DAYS)
    return any(
        p.kind is CommitmentKind.MEETING and p.due is not None and p.due <= horizon
        for p in ctx.promises
    )


@cache
def _unless(code: str) -> tuple[re.Pattern[str], ...]:
    """Every suppressing pattern the playbooks' rules for `code` carry."""
    return tuple(
        pattern
        for book in load_playbooks().values()
        for rule in book.rules
        if rule.code == code
        for pattern in rule.unless
    )


@cache
def category_words() -> dict[str, frozenset[str]]:
    """The words that name each Never category outright, from `situations/advice.toml`."""
    return {name: frozenset(words) for name, words in _advice_data()["categories"].items()}


def _category(model: SituationModel, text: str) -> str | None:
    """The Never category the evidence names outright, else the one its labels score highest."""
    tokens = set(words(text))
    low = text.lower()
    named = [
        name
        for name, vocabulary in category_words().items()
        if any((w in tokens) if " " not in w else (w in low) for w in vocabulary)
    ]
    if len(named) == 1:
        return named[0]
    scores = dict(zip(model.labels, model.probabilities(text), strict=True))
    categories = {k: v for k, v in scores.items() if k.startswith(CATEGORY_PREFIX)}
    if not categories:
        return None
    return max(categories, key=lambda k: categories[k]).removeprefix(CATEGORY_PREFIX)


def _finding(model: SituationModel, detection: Detection, ctx: Context) -> Finding:
    evidence = ctx.text[detection.start : detection.end]
    if detection.label == "creepy.never":
        category = _category(model, evidence) or "personal_causes"
        book = playbook("dont_be_creepy")
        rule = next(r for r in book.rules if r.code == "creepy.never" and r.category == category)
        return to_finding(rule, evidence)
    advice = code_advice()[detection.label]
    return Finding(
        code=detection.label, severity=advice.severity, evidence=evidence, advice=advice.advice
    )


def _report_for(reports: list[PlaybookReport], book_id: str) -> PlaybookReport:
    for report in reports:
        if report.playbook == book_id:
            return report
    report = PlaybookReport(playbook=book_id, advice=[playbook(book_id).summary])
    reports.append(report)
    return report


def read(ctx: Context, model: SituationModel) -> list[Detection]:
    """Everything the model sees in the message, before routing and vetoes."""
    return model.detect(ctx.text, clauses=not is_review(ctx))


# How far under its threshold a situation may read and still be worth a question.
HUNCH_MARGIN = 0.25


def hunch(ctx: Context, model: SituationModel) -> str | None:
    """The situation the message most nearly shows without showing it: a coach asks about it
    ("is she presenting it to the CFO without you?") instead of asserting a finding."""
    near = [
        d
        for d in model.leanings(ctx.text, clauses=not is_review(ctx), margin=HUNCH_MARGIN)
        if d.label in FINDING_CODES and _allowed(d, ctx) and not _vetoed(d.label, ctx, d)
    ]
    if not near:
        return None
    return max(near, key=lambda d: d.probability - model.threshold(d.label)).label


def about_a_deal(found: Sequence[Detection]) -> bool:
    """Whether the message is about selling at all, rather than small talk with the coach."""
    return any(d.label == DEAL_TALK for d in found)


def detections(ctx: Context, found: Sequence[Detection]) -> list[Detection]:
    """What the model saw, routing and vetoes applied."""
    kept = [d for d in found if _allowed(d, ctx) and not _vetoed(d.label, ctx, d)]
    return _one_reading_per_deal(kept, ctx.text)


# Situations one deal cannot be in at once: interest cannot be both fresh and long gone.
_EXCLUSIVE = (("decay.hot_window", "decay.stale"),)


def _one_reading_per_deal(found: list[Detection], text: str) -> list[Detection]:
    """Of two exclusive readings in the same paragraph, only the surer one stays; in
    different paragraphs (two accounts in one update) both can be true."""
    by_label = {d.label: d for d in found}
    dropped: set[str] = set()
    for first, second in _EXCLUSIVE:
        a, b = by_label.get(first), by_label.get(second)
        if a is None or b is None:
            continue
        low, high = sorted((a.start, b.start))
        if "\n" not in text[low:high]:
            dropped.add(first if a.probability < b.probability else second)
    return [d for d in found if d.label not in dropped]


def augment(
    reports: Sequence[PlaybookReport],
    ctx: Context,
    model: SituationModel,
    found: Sequence[Detection],
) -> list[PlaybookReport]:
    """The rules' reports plus what only the model recognised, re-scored where trust moved."""
    merged, unconfirmed = _confirmed(reports, ctx, model)
    raised = {f.code for r in merged for f in r.findings}
    added: set[str] = set()
    for detection in detections(ctx, found):
        label = detection.label
        if label in MANAGER_SIGNALS:
            _add_manager_note(merged, label)
            continue
        if label.startswith(CATEGORY_PREFIX) or label in raised:
            continue
        _report_for(merged, _book_of(label)).findings.append(_finding(model, detection, ctx))
        added.add(label)
    added |= _skipped_p3(merged, ctx)
    if (added | unconfirmed) & TRUST_CODES:
        _rescore(merged, ctx)
    if "p3.not_requested" in added:
        _report_for(merged, "p3").commitments.append(p3.p3_request(playbook("p3"), ctx))
    for code in sorted(added - {"p3.not_requested"}):
        step = _suggested_step(code, ctx)
        if step is not None:
            _report_for(merged, _book_of(code)).commitments.append(step)
    return merged


# How far under its threshold the model may read a situation a rule raised and still keep it.
RULE_MARGIN = HUNCH_MARGIN
# The codes whose rules key on one phrase that a plan elsewhere in the message answers ("the
# proposal goes out friday" next to the booked slot, "I'll call at 2" next to its date), so the
# model checks them. Missing emotion is checked in chat, where a few facts in a row are not an
# outline; in a review it is the outline assessment's call over the whole document.
RULE_DOUBTED = frozenset({"p3.not_requested", "trust.reliability"})
CHAT_RULE_DOUBTED = RULE_DOUBTED | {"p3.no_emotion"}


def _confirmed(
    reports: Sequence[PlaybookReport], ctx: Context, model: SituationModel
) -> tuple[list[PlaybookReport], set[str]]:
    """The rules' reports without the findings the model does not even lean towards.

    A phrase rule fires on its words ("the proposal goes out friday") whatever the rest of the
    message says ("they gave us the 21st with the exec team"); the model reads the whole
    message. A rule's finding stays when the model reads its situation at least as a hunch;
    when not, the finding goes, and with it the P3 request it would have suggested. Returns
    the reports and the codes taken out.
    """
    leaning = {
        d.label for d in model.leanings(ctx.text, clauses=not is_review(ctx), margin=RULE_MARGIN)
    }
    known = (RULE_DOUBTED if is_review(ctx) else CHAT_RULE_DOUBTED) & set(model.labels)
    dropped: set[str] = set()
    kept: list[PlaybookReport] = []
    for report in reports:
        doubted = {f.code for f in report.findings if f.code in known and f.code not in leaning}
        if not doubted:
            kept.append(report)
            continue
        dropped |= doubted
        findings = [f for f in report.findings if f.code not in doubted]
        if not findings and report.scores is None and report.scorecard is None:
            continue
        commitments = report.commitments
        if "p3.not_requested" in doubted:
            commitments = [c for c in commitments if c.kind is not CommitmentKind.P3_REQUEST]
        kept.append(replace(report, findings=findings, commitments=commitments))
    return kept, dropped


def _book_of(code: str) -> str:
    return "dont_be_creepy" if code == "creepy.never" else code_advice()[code].playbook


def _suggested_step(code: str, ctx: Context) -> Commitment | None:
    """The next step the playbook proposes for this code (a re-engagement, a debrief)."""
    for rule in suggesting_rules(code):
        fits = rule.suggest is not None and not rule.suggest.only_when_matched
        if fits or any(p.search(ctx.text) for p in rule.patterns):
            return suggestion(rule, ctx)
    return None


def _skipped_p3(reports: list[PlaybookReport], ctx: Context) -> set[str]:
    """An excuse for skipping the final presentation means it is not being requested."""
    findings = [f for r in reports for f in r.findings]
    codes = {f.code for f in findings}
    excuse = next((f for f in findings if f.code in p3.EXCUSES), None)
    if excuse is None or "p3.not_requested" in codes or _vetoed("p3.not_requested", ctx):
        return set()
    if _slot_offered(ctx):
        return set()
    advice = code_advice()["p3.not_requested"]
    _report_for(reports, "p3").findings.append(
        Finding(
            code="p3.not_requested",
            severity=advice.severity,
            evidence=excuse.evidence,
            advice=advice.advice,
        )
    )
    return {"p3.not_requested"}


def _slot_offered(ctx: Context) -> bool:
    """A presentation the customer asked for or dated: the excuse is about preparing, not asking."""
    if has_signal(playbook("p3"), "slot_expected", ctx.text):
        return True
    for left, right in sentence_spans(ctx.text):
        sentence = ctx.text[left:right]
        if not _SLOT.search(sentence):
            continue
        if _INVITED.search(sentence) or find_due_date(sentence, ctx.now) is not None:
            return True
    return False


def _add_manager_note(reports: list[PlaybookReport], label: str) -> None:
    book_id, name = MANAGER_SIGNALS[label]
    if any(r.playbook == book_id for r in reports):
        return
    book = playbook(book_id)
    reports.append(
        PlaybookReport(playbook=book_id, advice=[book.summary, signal(book, name).advice])
    )


def _rescore(reports: list[PlaybookReport], ctx: Context) -> None:
    """The trust equation over every trust finding, the model's included."""
    equation = playbook("trust_equation")
    findings = [f for r in reports for f in r.findings if f.code in TRUST_CODES]
    report = _report_for(reports, equation.id)
    report.scores = trust.score(equation, ctx, findings)
    advice = trust.weakest_advice(equation, report.scores, flagged=True)
    report.advice = [a for a in report.advice if not a.startswith(trust.WEAKEST_PREFIXES)]
    report.advice.append(advice)
