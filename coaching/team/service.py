"""Teams of reps: a manager adds reps, an admin imports a whole team, both can list it.

Every refusal is polite, changes nothing and is written to the audit log, so an admin can
see who tried what. On first sight a user is who they claim to be (the console trusts
whoever runs it with the database file), except that nobody claims to be an admin of a
team that already has one; after that, the stored role wins and only an admin's import
changes it. Audit entries carry codes, never refusal texts, which name people.
"""

from __future__ import annotations

from typing import NoReturn

from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.team.ports import AuditNote, Member, MemberUpdate, SaveResult, TeamStore
from coaching.team.rules import (
    MAX_USER_ID,
    ImportRow,
    check_can_add,
    check_can_lead,
    check_import,
    check_no_cycle,
    check_zone,
    forbidden,
)
from coaching.types import Role


class TeamService:
    def __init__(self, store: TeamStore) -> None:
        self._store = store

    async def actor(self, who: UserRef, claimed: Role | None) -> Member:
        """The acting user: stored, or (first sight) provisional with id 0 and their claim."""
        stored = await self._store.member(who)
        if stored is None:
            if claimed is Role.ADMIN and await self._store.has_admin(who):
                await self.refuse(
                    who,
                    None,
                    "role",
                    forbidden(
                        "This team already has an admin; ask them to make you one with "
                        "'coach team import'."
                    ),
                )
            return Member(0, 0, who.platform, who.tenant, who.user, claimed or Role.REP)
        if claimed is not None and claimed is not stored.role:
            await self.refuse(
                who,
                stored,
                "role",
                forbidden(
                    f"You're registered here as a {stored.role.value}, not a {claimed.value}; "
                    "an admin changes roles with 'coach team import'."
                ),
            )
        return stored

    async def refuse(
        self,
        who: UserRef,
        actor: Member | None,
        action: str,
        error: CoachingError,
        target: str | None = None,
    ) -> NoReturn:
        """Log the refusal and raise it; nothing else is written."""
        known = actor if actor is not None and actor.id else None
        note = AuditNote(f"refused.{action}", target, {"code": error.code})
        await self._store.audit(who, known, note)
        raise error

    async def add_rep(
        self,
        who: UserRef,
        claimed: Role | None,
        *,
        rep: str,
        name: str | None,
        tz: str | None,
        manager: str | None = None,
    ) -> Member:
        """Put `rep` on a manager's team (the actor's own, or `manager`'s for an admin)."""
        actor = await self.actor(who, claimed)
        if not rep.strip() or len(rep) > MAX_USER_ID:
            raise CoachingError("input.bad_user", f"A rep's id has 1-{MAX_USER_ID} characters.")
        zone = check_zone(tz)
        stored = await self._store.members(who, [u for u in (rep, manager) if u])
        lead = actor if manager is None else stored.get(manager)
        try:
            if lead is None:
                raise forbidden(f"There is no manager {manager} on this team.")
            check_can_add(actor, stored.get(rep), lead)
        except CoachingError as error:
            await self.refuse(who, actor, "team.add", error, target=rep)
        updates = [MemberUpdate(rep, Role.REP, name, zone, lead.user)]
        if not actor.id:
            updates.insert(0, MemberUpdate(actor.user, actor.role))
        await self._store.save_members(who, updates, AuditNote("team.add", rep))
        saved = await self._store.members(who, [rep])
        return saved[rep]

    async def import_rows(
        self, who: UserRef, claimed: Role | None, rows: list[ImportRow]
    ) -> SaveResult:
        """Create or update a whole team from a CSV's rows: admins only, all or nothing."""
        actor = await self.actor(who, claimed)
        if actor.role is not Role.ADMIN:
            await self.refuse(
                who, actor, "team.import", forbidden("Only an admin can import a team.")
            )
        named = {r.user.strip() for r in rows} | {r.manager.strip() for r in rows}
        stored = await self._store.members(who, sorted(u for u in named if u))
        updates = check_import(rows, stored, actor)
        check_no_cycle(updates, await self._store.reporting_lines(who))
        if not actor.id and actor.user not in {u.user for u in updates}:
            updates.insert(0, MemberUpdate(actor.user, actor.role))
        note = AuditNote("team.import", None, {"rows": len(rows)})
        return await self._store.save_members(who, updates, note)

    async def team(self, who: UserRef, claimed: Role | None) -> list[Member]:
        """The people the actor leads: a manager's reps, or an admin's whole tenant."""
        actor = await self.actor(who, claimed)
        try:
            check_can_lead(actor)
        except CoachingError as error:
            await self.refuse(who, actor, "team.list", error)
        return await self._store.team_of(actor) if actor.id else []
