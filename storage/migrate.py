"""Run the Alembic migrations from Python: the only way the schema is ever created.

The migration scripts ship inside the `storage` package, so this works from a checkout and
from an installed wheel alike. `is_at_head` lets the application migrate on first use.
"""

from __future__ import annotations

import errno
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool
from sqlalchemy.exc import DBAPIError

from coaching.config import default_database_url
from storage.db import StoreUnavailable, describe, normalise_url, sqlite_path, unavailable

_PACKAGE_DIR = Path(__file__).resolve().parent


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the packaged migrations, pointed at `url`."""
    config = Config()
    config.set_main_option("script_location", str(_PACKAGE_DIR / "migrations"))
    config.set_main_option("sqlalchemy.url", normalise_url(url)[1].replace("%", "%%"))
    return config


def head_revision() -> str | None:
    """The newest revision the packaged migrations define."""
    return ScriptDirectory(str(_PACKAGE_DIR / "migrations")).get_current_head()


def upgrade_to_head(url: str) -> None:
    """Bring the database at `url` to the newest schema, creating a SQLite file if needed.

    Only the default data folder is created; any other SQLite file must be in a folder that
    exists, so a mistyped `--db` is an error rather than a new, empty database somewhere.
    """
    config = alembic_config(url)
    try:
        path = sqlite_path(url)
        if path is not None:
            _check_folder(url, path)
        command.upgrade(config, "head")
    except (DBAPIError, OSError) as error:
        raise unavailable(url) from error


def _check_folder(url: str, path: Path) -> None:
    default = sqlite_path(default_database_url())
    if default is not None and path.parent == default.parent:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.parent.is_dir():
        raise StoreUnavailable(
            f"Cannot open {describe(url)}: there is no folder {path.parent}; check the path, "
            "or create the folder first."
        ) from FileNotFoundError(errno.ENOENT, "No such folder", str(path.parent))


def current_revision(url: str) -> str | None:
    """The revision the database is at; None when it has never been migrated (or is absent)."""
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        return None
    engine = create_engine(normalise_url(url)[1], poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as error:
        raise unavailable(url) from error
    finally:
        engine.dispose()


def is_at_head(url: str) -> bool:
    """True when the database already has the newest schema."""
    return current_revision(url) == head_revision()
