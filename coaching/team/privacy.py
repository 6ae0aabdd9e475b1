"""Export, forget and retention: what a person may ask of the coach about their own data.

`export` gathers every stored row about one user; `forget` deletes them and leaves an audit
entry naming only the internal id, the actor and the counts; retention purges conversation
turns (and their findings) older than `COACH_RETENTION_DAYS`. The chat adapters ask before
forgetting and report what went in the words below, so Slack and Teams say the same thing.

A person may export or forget themselves; anyone else's data needs an admin of the same
tenant. Both are audited with the actor, refusals too, and a tenant's last admin cannot be
forgotten, so there is always someone who can read the audit log and manage the team.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.team.ports import AuditNote, LastAdmin, Member, PrivacyPort
from coaching.team.rules import forbidden
from coaching.types import Role

# Rate and token windows are minutes and days: two days covers every window still counted.
COUNTER_KEEP = timedelta(days=2)

FORGET_QUESTION = (
    "Do you want me to forget you? I would delete everything I keep about you: our "
    "conversations, findings, commitments, trust self-assessments, proposal reviews, deals "
    "and digests. This cannot be undone."
)
FORGET_KEPT = "Nothing was deleted: your history with me is still here."
NOTHING_TO_FORGET = "I have nothing stored about you, so there was nothing to delete."
NOT_YOUR_QUESTION = (
    "That question was for someone else, so nothing was deleted. To delete your own history, "
    'type "forget me" in our direct chat.'
)
FORGET_FAILED = (
    "Sorry, I couldn't delete your history just now, and nothing was changed. "
    "Please try again in a minute."
)
LAST_ADMIN = (
    "{who} the only admin of this team, so nothing was deleted: make someone else an "
    "admin with 'coach team import' first."
)
CHAT_HISTORY_NOTE = (
    "The messages in this chat are kept by your chat app, not by me. "
    "If you write again, I start from scratch."
)
# What each table's rows are, in a rep's words: (one, many). Unlisted tables keep their name.
_DELETED_LABELS = {
    "conversation_turns": ("conversation message", "conversation messages"),
    "findings": ("finding", "findings"),
    "commitments": ("commitment", "commitments"),
    "trust_assessments": ("trust self-assessment", "trust self-assessments"),
    "proposal_reviews": ("proposal review", "proposal reviews"),
    "outbox_messages": ("queued message", "queued messages"),
    "conversation_references": ("chat address for reminders", "chat addresses for reminders"),
    "processed_events": ("answered request", "answered requests"),
    "deals": ("deal", "deals"),
    "digest_schedules": ("digest schedule", "digest schedules"),
    "nudge_deliveries": ("digest delivery record", "digest delivery records"),
    "usage_counters": ("usage counter", "usage counters"),
    "users": ("profile", "profiles"),
}


@dataclass(frozen=True)
class ForgetAnswer:
    """What to tell someone who answered "forget me"; `settled` answers replace the
    question, the others leave it for the person it was meant for."""

    text: str
    settled: bool


class PrivacyService:
    def __init__(self, port: PrivacyPort, *, retention_days: int) -> None:
        self._port = port
        self._retention_days = retention_days

    async def export(self, who: UserRef, *, actor: UserRef | None = None) -> dict[str, Any]:
        """Everything about `who`, for themselves (`actor` None or `who`) or an admin."""
        acting = await self._authorise(who, actor, "export")
        data = await self._port.export(who, actor_id=acting.id if acting else None)
        if data is None:
            raise _unknown(who)
        return data

    async def forget(self, who: UserRef, *, actor: UserRef | None = None) -> dict[str, int]:
        """Delete `who`'s data, for themselves (`actor` None or `who`) or an admin; the
        actor is recorded, never the content."""
        acting = await self._authorise(who, actor, "forget")
        try:
            deleted = await self._port.forget(who, actor_id=acting.id if acting else None)
        except LastAdmin:
            error = CoachingError("privacy.last_admin", LAST_ADMIN.format(who=f"{who.user} is"))
            by = acting or await self._port.member(who)
            await self._refuse(actor or who, by, "forget", error, who)
            raise error from None
        if deleted is None:
            raise _unknown(who)
        return deleted

    async def _authorise(self, who: UserRef, actor: UserRef | None, action: str) -> Member | None:
        """The admin acting on someone else's data; None when it is the person themselves.
        Anyone else is refused, and the refusal is audited."""
        if actor is None or actor == who:
            return None
        acting = await self._port.member(actor)
        same_tenant = (actor.platform, actor.tenant) == (who.platform, who.tenant)
        if acting is None or acting.role is not Role.ADMIN or not same_tenant:
            error = forbidden(
                f"Only an admin of the same team, or the person themselves, can {action} "
                "someone's data."
            )
            await self._refuse(actor, acting, action, error, who)
            raise error
        return acting

    async def _refuse(
        self,
        actor: UserRef,
        acting: Member | None,
        action: str,
        error: CoachingError,
        who: UserRef,
    ) -> None:
        target = who.user if (actor.platform, actor.tenant) == (who.platform, who.tenant) else None
        note = AuditNote(f"refused.{action}", target, {"code": error.code})
        await self._port.audit(actor, acting, note)

    async def answer_forget(self, who: UserRef, *, asked: str, confirmed: bool) -> ForgetAnswer:
        """`who` answered the "forget me" question put to `asked`: delete only if that is
        them and they confirmed. The reply names counts, never content."""
        if asked != who.user:
            return ForgetAnswer(NOT_YOUR_QUESTION, settled=False)
        if not confirmed:
            return ForgetAnswer(FORGET_KEPT, settled=True)
        try:
            deleted = await self._port.forget(who, actor_id=None)
        except LastAdmin:
            return ForgetAnswer(LAST_ADMIN.format(who="You are"), settled=True)
        text = NOTHING_TO_FORGET if deleted is None else describe_forgotten(deleted)
        return ForgetAnswer(text, settled=True)

    async def run_retention(self, now: datetime) -> dict[str, int]:
        """Purge what is older than the retention period (turns are kept forever at 0 days)."""
        turns_before = None
        if self._retention_days > 0:
            turns_before = now - timedelta(days=self._retention_days)
        return await self._port.purge(turns_before=turns_before, counters_before=now - COUNTER_KEEP)


def describe_forgotten(deleted: Mapping[str, int]) -> str:
    """What a chat user reads once they are forgotten: the counts per kind, nothing else."""
    parts = [_count(table, count) for table, count in deleted.items() if count]
    listed = ", ".join(parts) if parts else "nothing"
    return f"Done: I deleted everything I kept about you ({listed}). {CHAT_HISTORY_NOTE}"


def _count(table: str, count: int) -> str:
    default = table.replace("_", " ")
    one, many = _DELETED_LABELS.get(table, (default, default))
    return f"{count} {one if count == 1 else many}"


def _unknown(who: UserRef) -> CoachingError:
    return CoachingError("user.not_found", f"The coach has nothing stored about {who.user}.")
