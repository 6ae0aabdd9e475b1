"""The offline engine: deterministic coaching from the playbooks, with no model at all.

It is the embedded default and the safety net under the LLM: whatever the model does, this
result exists first, and it is what the rep gets when the model is missing or misbehaves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from coaching.commitments import extract_commitments
from coaching.playbooks import learned
from coaching.playbooks.base import Analyser, Context, PlaybookReport
from coaching.playbooks.registry import ALL_ANALYSERS
from coaching.playbooks.stages import Stage, stage_question
from coaching.playbooks.suggestions import for_findings
from coaching.situations.model import SituationModel, default_model
from coaching.types import CoachingResult, Commitment, Finding, Party, TrustScores

CAPABILITIES = (
    "I'm your sales coach. Tell me about a deal, paste a draft email or a call plan, and I'll "
    "check it against our playbooks: the trust equation, the post-proposal presentation (P3), "
    '"don\'t be creepy", customer actions over activity, and deal-interest decay.\n'
    'Try: "I sent the proposal to Acme and will wait for their decision", or type /help.'
)


class OfflineEngine:
    """Runs every analyser and the situation model over the input, folded into one result."""

    def __init__(
        self,
        analysers: Sequence[Analyser] = ALL_ANALYSERS,
        model: SituationModel | None = None,
    ) -> None:
        self._analysers = tuple(analysers)
        self._model = model

    @property
    def model(self) -> SituationModel:
        return self._model or default_model()

    def coach(self, ctx: Context) -> CoachingResult:
        extraction = extract_commitments(ctx.text, ctx.now)
        ctx = replace(ctx, promises=extraction.commitments, undated_promises=extraction.undated)
        reports = [report for analyse in self._analysers for report in analyse(ctx)]
        found = learned.read(ctx, self.model)
        reports = learned.augment(reports, ctx, self.model, found)
        findings = _unique_findings(f for r in reports for f in r.findings)
        suggested = [c for r in reports for c in r.commitments] + for_findings(findings, ctx)
        commitments = _merge_commitments(extraction.commitments, suggested)
        scores = next((r.scores for r in reports if r.scores is not None), None)
        scorecard = next((r.scorecard for r in reports if r.scorecard is not None), None)
        return CoachingResult(
            reply=render_reply(
                reports,
                findings,
                commitments,
                scores,
                stage_question(ctx.text, about_a_deal=learned.about_a_deal(found)),
            ),
            playbooks=list(dict.fromkeys(r.playbook for r in reports)),
            findings=findings,
            commitments=commitments,
            scores=scores,
            scorecard=scorecard,
            engine="offline",
            model=None,
        )


def _unique_findings(findings: Iterable[Finding]) -> list[Finding]:
    seen: dict[tuple[str, str | None, str], Finding] = {}
    for finding in findings:
        seen.setdefault((finding.code, finding.category, finding.evidence), finding)
    return list(seen.values())


def _merge_commitments(
    promised: Sequence[Commitment], suggested: Sequence[Commitment]
) -> list[Commitment]:
    """What the rep said first; a playbook's suggestion only where nothing alike was said."""
    seen = {(c.kind, c.due) for c in promised}
    merged = list(promised)
    for commitment in suggested:
        if (commitment.kind, commitment.due) not in seen:
            seen.add((commitment.kind, commitment.due))
            merged.append(commitment)
    return merged


def render_reply(
    reports: Sequence[PlaybookReport],
    findings: Sequence[Finding],
    commitments: Sequence[Commitment],
    scores: TrustScores | None,
    stage: Stage | None,
) -> str:
    """Plain text with light markdown that every adapter can show as it is.

    With nothing to correct, a message about a deal gets the question for its stage; only a
    message that is not about selling gets the introduction.
    """
    parts: list[str] = []
    if not findings:
        if stage is not None:
            parts.append(stage.question)
        elif not reports and not commitments:
            return CAPABILITIES
    for finding in findings:
        parts.append(f"• {finding.advice}\n  You wrote: \u201c{finding.evidence}\u201d")
    for report in reports:
        parts.extend(report.advice)
    if scores is not None:
        parts.append(
            f"Trust equation: C {scores.credibility:g} + R {scores.reliability:g} + "
            f"I {scores.intimacy:g}, over S {scores.self_orientation:g} = {scores.trust:g}"
        )
    parts.extend(_render_commitment(c) for c in commitments)
    return "\n\n".join(parts)


def _render_commitment(commitment: Commitment) -> str:
    when = (
        f"due {commitment.due.isoformat()}" if commitment.due else "no date yet: when will it be?"
    )
    if commitment.party is Party.CUSTOMER:
        return f"Customer's next step: {commitment.text}, {when}. That's real progress."
    if commitment.status.value == "suggested":
        return f"Suggested next step: {commitment.text}, {when}. Accept it to track it."
    return f"Noted your commitment: {commitment.text}, {when}."
