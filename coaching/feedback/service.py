"""Thumbs up or down on an answer: who may rate it, who may read the ratings, and how a
rated answer becomes an evaluation case.

An answer is named by its stored event key (what the "Why?" button carries too). Only the
rep who was answered rates it, once: a second click changes the verdict, never adds a row.
Ratings carry the rep's own words when exported, so only an admin of the same tenant reads
or exports them, and every read is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from coaching.errors import CoachingError
from coaching.feedback.ports import FeedbackStore, Rated, Verdict
from coaching.ports import UserRef
from coaching.team.ports import AuditNote
from coaching.team.rules import forbidden
from coaching.types import Platform, Role

MAX_COMMENT_CHARS = 2000
NOT_YOURS = "That answer isn't one I gave you, so I can't record your rating for it."


class FeedbackService:
    def __init__(self, store: FeedbackStore) -> None:
        self._store = store

    async def rate(
        self,
        who: UserRef,
        key: str,
        verdict: Verdict,
        *,
        at: datetime,
        comment: str | None = None,
    ) -> None:
        """Record the rating; a key that is not `who`'s answer is refused (a forwarded
        message, a forged button), and nothing is stored."""
        text = (comment or "").strip()[:MAX_COMMENT_CHARS] or None
        if not await self._store.rate(who, key=key, verdict=verdict, comment=text, at=at):
            raise CoachingError("feedback.not_yours", NOT_YOURS)

    async def remember_reply(self, platform: Platform, key: str, reply_ref: str) -> None:
        """Where an answer was posted, for platforms whose rating names the message only."""
        await self._store.remember_reply(platform=platform, key=key, reply_ref=reply_ref)

    async def rate_reply(
        self,
        who: UserRef,
        reply_ref: str,
        verdict: Verdict,
        *,
        at: datetime,
        comment: str | None = None,
    ) -> None:
        """`rate()` for the answer posted as message `reply_ref`."""
        key = await self._store.key_of_reply(who, reply_ref)
        if key is None:
            raise CoachingError("feedback.not_yours", NOT_YOURS)
        await self.rate(who, key, verdict, at=at, comment=comment)

    async def read(self, who: UserRef, *, since: datetime | None = None) -> list[Rated]:
        """The tenant's ratings for an admin; anyone else is refused (and that is logged)."""
        actor = await self._store.member(who)
        if actor is None or actor.role is not Role.ADMIN:
            await self._store.audit(who, actor, AuditNote("refused.feedback.read", None))
            raise forbidden("Only an admin reads the feedback on answers.")
        rated = await self._store.ratings(who, since=since)
        await self._store.audit(who, actor, AuditNote("feedback.read", None, {"rows": len(rated)}))
        return rated


def evaluation_cases(rated: Sequence[Rated]) -> list[dict[str, Any]]:
    """Ratings as cases `python -m bench.evaluate --cases` replays: the rep's text, the
    codes the coach found then, the verdict and comment. A liked answer's codes become
    what the coach must still find; a disliked one is listed with what it finds now.
    Ratings whose text is gone (retention, an event older than ratings) are left out."""
    cases: list[dict[str, Any]] = []
    for item in rated:
        if item.text is None:
            continue
        codes = list(item.codes)
        cases.append(
            {
                "id": f"feedback-{item.id}",
                "cmd": "review" if item.review else "ask",
                "text": item.text,
                "now": item.answered_at.strftime("%Y-%m-%dT%H:%M"),
                "tz": "UTC",
                "codes": codes,
                "verdict": item.verdict.value,
                "comment": item.comment,
                "must": codes if item.verdict is Verdict.UP else [],
            }
        )
    return cases
