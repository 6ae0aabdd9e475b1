"""`coach call FILE`: review a call transcript (.vtt, .srt or plain text) as the rep.

The file is read and parsed before anything is opened, so a bad file is one line and exit
status 2 with the store untouched; the review itself is `CallService`, the same one Slack
and Teams call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot import cli as base
from bot.cli_input import read_upload
from bot.console import render_text
from bot.wiring import open_services
from coaching.calls.parse import check_call_file, parse_transcript
from coaching.calls.review import CallService
from coaching.calls.transcript import Transcript
from coaching.config import Settings
from coaching.types import CoachingError

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
    as_json: base.JsonOpt = False,
    now: base.NowOpt = None,
    tz: base.TzOpt = None,
    db: base.DbOpt = None,
    user: base.UserOpt = "me",
    role: base.RoleOpt = None,
) -> None:
    """Review a sales call transcript: your talk ratio, monologues, promises and coaching."""
    try:
        settings = base._settings(db)
        claim = base._claim(settings, user, role, now, tz)
        transcript = read_transcript(file, settings)
    except CoachingError as error:
        base._fail(error, as_json=as_json)

    async def session() -> None:
        async with open_services(settings) as services:
            identity = await claim.confirm(services.team)
            outcome = await CallService(services.coach).review(
                identity.message(""),
                transcript,
                rep=rep,
                company=company or settings.company_name,
            )
        if as_json:
            print(outcome.model_dump_json(indent=2))
        else:
            print(f"{render_text(outcome.result)}\n\n{outcome.scorecard_text()}")

    base._run(session(), as_json=as_json)


def read_transcript(source: str, settings: Settings) -> Transcript:
    """The parsed transcript of a file, or of standard input for `-`."""
    limits = {"max_bytes": settings.max_file_bytes, "max_chars": settings.max_document_chars}
    if source != "-":
        check_call_file(Path(source).name)
    name, data = read_upload(source, settings.max_file_bytes)
    return parse_transcript(name or "stdin", data, **limits)
