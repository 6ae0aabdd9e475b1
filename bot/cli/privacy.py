"""`coach export`, `coach forget` and `coach retention run`: a person's data rights, and
the retention job a scheduler runs daily.

Every command prints JSON (export) or a short summary; `--json` makes errors JSON too.
`--user` is who asks, as everywhere in `coach`; PERSON (default: that same user) is whose
data it is. Someone else's data needs an admin of the same platform and tenant.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli.options import DbOpt, JsonOpt, NowOpt, TzOpt, fail, run, settings_for
from bot.clock import resolve_now, resolve_zone
from bot.console_ids import CONSOLE_TENANT, check_user
from coaching.errors import CoachingError
from coaching.types import Platform

if TYPE_CHECKING:
    from coaching.ports import UserRef

retention_app = typer.Typer(help="Data retention.", no_args_is_help=True)

PersonArg = Annotated[
    str | None,
    typer.Argument(help="Whose data: a user id on the platform (default: --user)."),
]
ActorOpt = Annotated[
    str, typer.Option("--user", help="Who asks: the person themselves, or an admin.")
]
PlatformOpt = Annotated[Platform, typer.Option("--platform", help="console, slack or teams.")]
TenantOpt = Annotated[
    str, typer.Option("--tenant", help="Workspace or tenant id (console: console).")
]


def register(app: typer.Typer) -> None:
    """Add the privacy commands to the `coach` app."""
    app.command("export")(export)
    app.command("forget")(forget)
    app.add_typer(retention_app, name="retention")


def export(
    person: PersonArg = None,
    *,
    user: ActorOpt = "me",
    as_json: JsonOpt = False,
    db: DbOpt = None,
    platform: PlatformOpt = Platform.CONSOLE,
    tenant: TenantOpt = CONSOLE_TENANT,
) -> None:
    """Print everything stored about one person (yourself, or anyone as an admin), as JSON."""
    try:
        actor, who = _people(platform, tenant, user, person)
    except CoachingError as error:
        fail(error, as_json=as_json)

    async def work() -> None:
        from bot.wiring import open_services

        async with open_services(settings_for(db)) as services:
            data = await services.privacy.export(who, actor=actor)
        print(json.dumps(data, indent=2, default=str))

    run(work(), as_json=as_json)


def forget(
    person: PersonArg = None,
    *,
    user: ActorOpt = "me",
    as_json: JsonOpt = False,
    db: DbOpt = None,
    platform: PlatformOpt = Platform.CONSOLE,
    tenant: TenantOpt = CONSOLE_TENANT,
) -> None:
    """Delete everything stored about one person (yourself, or anyone as an admin); the
    audit log keeps only that it happened, and who did it."""
    try:
        actor, who = _people(platform, tenant, user, person)
    except CoachingError as error:
        fail(error, as_json=as_json)

    async def work() -> None:
        from bot.wiring import open_services

        async with open_services(settings_for(db)) as services:
            deleted = await services.privacy.forget(who, actor=actor)
        _print_counts(f"Forgot {who.user}.", deleted, as_json=as_json)

    run(work(), as_json=as_json)


@retention_app.command("run")
def run_retention(
    as_json: JsonOpt = False,
    db: DbOpt = None,
    now: NowOpt = None,
    tz: TzOpt = None,
) -> None:
    """Purge conversation turns (and their findings) older than COACH_RETENTION_DAYS."""
    try:
        at = resolve_now(now, resolve_zone(tz))
    except CoachingError as error:
        fail(error, as_json=as_json)

    async def work() -> None:
        from bot.wiring import open_services

        async with open_services(settings_for(db)) as services:
            purged = await services.privacy.run_retention(at)
        _print_counts("Retention run finished.", purged, as_json=as_json)

    run(work(), as_json=as_json)


def _people(
    platform: Platform, tenant: str, user: str, person: str | None
) -> tuple[UserRef, UserRef]:
    """(who asks, whose data): both in the platform and tenant given."""
    from coaching.ports import UserRef

    actor = UserRef(platform=platform, tenant=tenant, user=check_user(user))
    return actor, UserRef(platform=platform, tenant=tenant, user=check_user(person or user))


def _print_counts(headline: str, counts: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"deleted": counts}, indent=2))
        return
    print(headline)
    for table, count in counts.items():
        if count:
            print(f"- {table}: {count} row(s) deleted")
