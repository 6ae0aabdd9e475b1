"""Run the Alembic migrations from Python: the only way the schema is ever created.

The migration scripts ship inside the `storage` package, so this works from a checkout and
from an installed wheel alike. `is_at_head` lets the application migrate on first use.

Checking whether a database is at head needs no Alembic: the packaged scripts name their
revisions in plain assignments, and the database keeps its revision in `alembic_version`.
So a process that starts on a migrated database (every `coach serve` after the first)
never imports Alembic or Mako; only an actual upgrade does.
"""

from __future__ import annotations

import ast
import errno
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import column, create_engine, inspect, pool, select, table
from sqlalchemy.exc import DBAPIError

from coaching.errors import StoreUnavailable
from config.settings import default_database_url
from storage.db import describe, normalise_url, sqlite_path, unavailable

if TYPE_CHECKING:
    from alembic.config import Config

_PACKAGE_DIR = Path(__file__).resolve().parent
_VERSIONS_DIR = _PACKAGE_DIR / "migrations" / "versions"
# Where Alembic records the revision a database is at (its default version table).
_VERSION_TABLE = table("alembic_version", column("version_num"))


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the packaged migrations, pointed at `url`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_PACKAGE_DIR / "migrations"))
    config.set_main_option("sqlalchemy.url", normalise_url(url)[1].replace("%", "%%"))
    return config


def head_revision() -> str | None:
    """The newest revision the packaged migrations define: the one no script names as its
    `down_revision` (the history is one line, so there is exactly one, or none at all)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in _VERSIONS_DIR.glob("*.py"):
        assigned = _assignments(script)
        revision = assigned.get("revision")
        if isinstance(revision, str):
            revisions.add(revision)
            down = assigned.get("down_revision")
            if isinstance(down, str):
                parents.add(down)
    heads = revisions - parents
    if len(heads) > 1:
        raise RuntimeError(f"the migrations have more than one head: {sorted(heads)}")
    return next(iter(heads), None)


def _assignments(script: Path) -> dict[str, object]:
    """The constants a migration script assigns at module level (`revision: str = "0002"`)."""
    found: dict[str, object] = {}
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        targets: list[ast.expr]
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        elif isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        else:
            continue
        if isinstance(value, ast.Constant):
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = value.value
    return found


def upgrade_to_head(url: str) -> None:
    """Bring the database at `url` to the newest schema, creating a SQLite file if needed.

    Only the default data folder is created; any other SQLite file must be in a folder that
    exists, so a mistyped `--db` is an error rather than a new, empty database somewhere.
    """
    from alembic import command

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
            if not inspect(connection).has_table(_VERSION_TABLE.name):
                return None
            found = connection.scalar(select(_VERSION_TABLE.c.version_num))
            return None if found is None else str(found)
    except DBAPIError as error:
        raise unavailable(url) from error
    finally:
        engine.dispose()


def is_at_head(url: str) -> bool:
    """True when the database already has the newest schema."""
    return current_revision(url) == head_revision()
