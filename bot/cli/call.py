"""`coach call FILE`: review a call transcript (.vtt, .srt or plain text) as the rep.

The file is read and parsed before anything is opened, so a bad file is one line and exit
status 2 with the store untouched; the review itself is `CallService`, the same one Slack
and Teams call.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.input import read_upload
from bot.cli.options import (
    DbOpt,
    JsonOpt,
    NowOpt,
    RoleOpt,
    TzOpt,
    UserOpt,
    claim,
    fail,
    run,
    settings_for,
)
from coaching.errors import CoachingError

if TYPE_CHECKING:
    from coaching.calls.transcript import Transcript
    from config.settings import Settings

RepOpt = Annotated[
    str | None, typer.Option("--rep", help="Which speaker is you (default: recognised).")
]
CompanyOpt = Annotated[
    str | None,
    typer.Option("--company", help="Your company, to tell you from the customer (COACH_COMPANY)."),
]


def call(
    file: Annotated[
        str, typer.Argument(help="Transcript file (.vtt, .srt, .txt), or - for stdin.")
    ],
    *,
    rep: RepOpt = None,
    company: CompanyOpt = None,
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
    user: UserOpt = "me",
    role: RoleOpt = None,
) -> None:
    """Review a sales call transcript: your talk ratio, monologues, promises and coaching."""
    try:
        settings = settings_for(db)
        who = claim(settings, user, role, now, tz)
        transcript = read_transcript(file, settings)
    except CoachingError as error:
        fail(error, as_json=as_json)

    async def session() -> None:
        from bot.console import render_text
        from bot.wiring import open_services
        from coaching.calls.review import CallService

        async with open_services(settings) as services:
            identity = await who.confirm(services.team)
            outcome = await CallService(services.coach).review(
                identity.message(""),
                transcript,
                rep=rep,
                company=company or settings.coaching.company_name,
            )
        if as_json:
            print(outcome.model_dump_json(indent=2))
        else:
            print(f"{render_text(outcome.result)}\n\n{outcome.scorecard_text()}")

    run(session(), as_json=as_json)


def read_transcript(source: str, settings: Settings) -> Transcript:
    """The parsed transcript of a file, or of standard input for `-`."""
    from coaching.calls.parse import check_call_file, parse_transcript

    limits = {
        "max_bytes": settings.limits.max_file_bytes,
        "max_chars": settings.limits.max_document_chars,
    }
    if source != "-":
        check_call_file(Path(source).name)
    name, data = read_upload(source, settings.limits.max_file_bytes)
    return parse_transcript(name or "stdin", data, **limits)
