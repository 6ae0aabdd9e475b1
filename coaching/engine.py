"""The offline engine: deterministic coaching from the playbooks, with no model at all.

It is the embedded default and the safety net under the LLM: whatever the model does, this
result exists first, and it is what the rep gets when the model is missing or misbehaves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from coaching.commitments.drafts import unsent_draft, until_sent
from coaching.commitments.extract import extract_commitments
from coaching.commitments.match import match_open
from coaching.playbooks import learned
from coaching.playbooks.base import Context, PlaybookReport
from coaching.playbooks.registry import ALL_CHECKS, Check
from coaching.playbooks.stages import stage_question
from coaching.playbooks.suggestions import for_findings
from coaching.progress import NO_PROGRESS, Progress, Step
from coaching.replies.compose import CAPABILITIES, Turn, compose
from coaching.situations.model import SituationModel, default_model
from coaching.types import CoachingResult, Commitment, Finding

__all__ = ["CAPABILITIES", "OfflineEngine"]


class OfflineEngine:
    """Runs every analyser and the situation model over the input, folded into one result."""

    def __init__(
        self,
        checks: Sequence[Check] = ALL_CHECKS,
        model: SituationModel | None = None,
    ) -> None:
        self._checks = tuple(checks)
        self._model = model

    @property
    def model(self) -> SituationModel:
        return self._model or default_model()

    def coach(
        self,
        ctx: Context,
        known: Sequence[Commitment] = (),
        progress: Progress = NO_PROGRESS,
    ) -> CoachingResult:
        """Coach one message; `known` are the rep's commitments, so none is added twice.
        Each check that applies to the speaker is reported to `progress` as it starts."""
        progress.step(Step.COMMITMENTS)
        extraction = extract_commitments(ctx.text, ctx.now)
        ctx = replace(ctx, promises=extraction.commitments, undated_promises=extraction.undated)
        reports = self._run_checks(ctx, progress)
        progress.step(Step.SITUATION)
        found = learned.read(ctx, self.model)
        reports = learned.augment(reports, ctx, self.model, found)
        findings = _unique_findings(f for r in reports for f in r.findings)
        suggested = [c for r in reports for c in r.commitments] + for_findings(findings, ctx)
        unsent = unsent_draft(ctx.text)
        promised = until_sent(extraction.commitments) if unsent else list(extraction.commitments)
        matched = match_open(_merge_commitments(promised, suggested), known)
        commitments = list(matched.fresh)
        scores = next((r.scores for r in reports if r.scores is not None), None)
        scorecard = next((r.scorecard for r in reports if r.scorecard is not None), None)
        return CoachingResult(
            reply=compose(
                Turn(
                    ctx=ctx,
                    reports=reports,
                    findings=findings,
                    commitments=commitments,
                    already=matched.already,
                    scores=scores,
                    stage=stage_question(ctx.text, about_a_deal=learned.about_a_deal(found)),
                    hunch=None if findings else learned.hunch(ctx, self.model),
                )
            ),
            playbooks=list(dict.fromkeys(r.playbook for r in reports)),
            findings=findings,
            commitments=commitments,
            scores=scores,
            scorecard=scorecard,
            engine="offline",
            model=None,
        )

    def _run_checks(self, ctx: Context, progress: Progress) -> list[PlaybookReport]:
        reports: list[PlaybookReport] = []
        for check in self._checks:
            if check.applies(ctx):
                progress.step(check.step)
                reports += check.analyse(ctx)
        return reports


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
