"""`coach serve`, `coach db upgrade` and `coach teams manifest`: running a deployment.

What the operating system refuses them (a port that is taken, an address that is not this
machine's, an output path that is a folder or sits in a folder that does not exist) becomes
a `CoachingError` naming the problem, never the OS's own exception text. The server, the
migrations and the Teams package are imported only when their command runs.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.options import DbOpt, fail, settings_for
from coaching.errors import CoachingError, StoreUnavailable, user_error

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
teams_app = typer.Typer(help="Microsoft Teams.", no_args_is_help=True)


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.", min=1, max=65535)] = None,
    db: DbOpt = None,
    socket_mode: Annotated[
        bool, typer.Option("--socket-mode", help="Receive Slack over Socket Mode (development).")
    ] = False,
) -> None:
    """The HTTP server: health now; Slack and Teams endpoints as they are configured."""
    from bot.server import run_server

    settings = settings_for(db)
    if socket_mode:
        settings = settings.replaced(SLACK_SOCKET_MODE=True)
    address = (host or settings.server.host, port or settings.server.port)
    try:
        run_server(settings, host=address[0], port=address[1])
    except Exception as error:
        reported = user_error(error)
        if reported is not None:
            fail(reported, as_json=False)
        if not isinstance(error, OSError):
            raise
        fail(cannot_listen(error, *address), as_json=False)


@db_app.command("upgrade")
def db_upgrade(db: DbOpt = None) -> None:
    """Apply every pending migration to the database."""
    from storage.migrate import upgrade_to_head

    settings = settings_for(db)
    try:
        upgrade_to_head(settings.database.url)
    except StoreUnavailable as error:
        fail(error, as_json=False)
    print("Database is up to date.")


@teams_app.command("manifest")
def teams_manifest(
    website: Annotated[
        str, typer.Option(help="Your https:// site; also used as privacy and terms URL.")
    ],
    out: Annotated[Path, typer.Option(help="Where to write the zip.")] = Path(
        "salescoach-teams.zip"
    ),
    developer: Annotated[str, typer.Option(help="Publisher name shown in Teams.")] = "salescoach",
) -> None:
    """Write the Teams app package (manifest.json and icons) for the configured app id."""
    from bot.teams.manifest import write_app_package

    settings = settings_for(None)
    try:
        path = write_app_package(
            check_out_path(out),
            app_id=settings.teams.client_id,
            website=website,
            developer=developer,
        )
    except CoachingError as error:
        fail(error, as_json=False)
    except OSError as error:
        fail(cannot_write(out, error), as_json=False)
    print(f"Wrote {path}: upload it in Teams under Apps > Manage your apps > Upload an app.")


def cannot_listen(error: OSError, host: str, port: int) -> CoachingError:
    """Why `coach serve` could not listen on host:port."""
    if error.errno == errno.EADDRINUSE:
        why = f"port {port} is already in use; stop the other server or pass --port"
    elif error.errno == errno.EACCES:
        why = f"this user may not listen on port {port}; use a port above 1023"
    else:
        why = f"{host} is not an address of this machine; pass --host"
    return CoachingError("server.cannot_listen", f"Cannot listen on {host}:{port}: {why}.")


def check_out_path(path: Path) -> Path:
    """An output file path whose folder exists and that is not itself a folder."""
    if path.is_dir():
        raise CoachingError("output.bad_path", f"{path} is a folder; name a .zip file in it.")
    if not path.parent.is_dir():
        raise CoachingError("output.bad_path", f"There is no folder {path.parent} to write to.")
    return path


def cannot_write(path: Path, error: OSError) -> CoachingError:
    """Why a file could not be written."""
    why = "permission denied" if error.errno == errno.EACCES else "the path is not writable"
    return CoachingError("output.bad_path", f"Cannot write {path}: {why}.")
