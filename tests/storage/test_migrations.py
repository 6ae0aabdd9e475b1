"""The schema comes from Alembic alone: empty database to head, back to base, and up again."""

from __future__ import annotations

import json
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import CheckConstraint, MetaData, create_engine, inspect, select, text

from storage.db import normalise_url
from storage.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    is_at_head,
    upgrade_to_head,
)
from storage.models import Base, NudgeDelivery, OutboxMessage
from storage.repository import open_store
from storage.slack_store import SLACK_METADATA, SLACK_TABLES
from tests.storage.factories import ALICE, message, result

TABLES = set(Base.metadata.tables) | SLACK_TABLES


def whole_schema() -> MetaData:
    """Our models and the Slack stores' tables, which migration 0002 creates too."""
    combined = MetaData()
    for metadata in (Base.metadata, SLACK_METADATA):
        for table in metadata.tables.values():
            table.to_metadata(combined)
    return combined


def table_names(url: str) -> set[str]:
    engine = create_engine(normalise_url(url)[1])
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def check_constraint_names(url: str) -> set[tuple[str, str | None]]:
    engine = create_engine(normalise_url(url)[1])
    try:
        with engine.connect() as connection:
            inspector = inspect(connection)
            return {
                (table, check["name"])
                for table in TABLES
                for check in inspector.get_check_constraints(table)
            }
    finally:
        engine.dispose()


def test_upgrade_from_empty_creates_every_table(database_url: str) -> None:
    assert current_revision(database_url) is None
    assert not is_at_head(database_url)

    upgrade_to_head(database_url)

    assert table_names(database_url) == TABLES | {"alembic_version"}
    assert current_revision(database_url) == head_revision()
    assert is_at_head(database_url)


def test_downgrade_to_base_then_upgrade_again(database_url: str) -> None:
    upgrade_to_head(database_url)

    command.downgrade(alembic_config(database_url), "base")
    assert table_names(database_url) == {"alembic_version"}
    assert current_revision(database_url) is None

    upgrade_to_head(database_url)
    assert table_names(database_url) == TABLES | {"alembic_version"}
    assert is_at_head(database_url)


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    upgrade_to_head(database_url)
    engine = create_engine(normalise_url(database_url)[1])
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), whole_schema())
    finally:
        engine.dispose()
    assert differences == []


def test_check_constraints_carry_the_models_names(database_url: str) -> None:
    upgrade_to_head(database_url)

    expected = {
        (table.name, constraint.name)
        for table in Base.metadata.sorted_tables
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint)
    }
    assert len(expected) >= 11
    assert check_constraint_names(database_url) == expected


async def test_migrating_on_every_start_keeps_the_data(database_url: str) -> None:
    first = await open_store(database_url, migrate=True)
    saved = (await first.save_turn(message=message(), result=result())).result
    await first.close()

    again = await open_store(database_url, migrate=True)
    try:
        assert await again.list_commitments(who=ALICE) == saved.commitments
    finally:
        await again.close()


DIGEST = {"manager": "m1", "iso_week": "2026-W10", "reps": [{"rep": "r1", "items": []}]}


def _stored_documents(url: str) -> tuple[Any, Any]:
    """The delivery record's digest and the outbox payload, as the database holds them."""
    engine = create_engine(normalise_url(url)[1])
    try:
        with engine.connect() as connection:
            digest = connection.execute(text("SELECT digest FROM nudge_deliveries")).scalar_one()
            payload = connection.execute(text("SELECT payload FROM outbox_messages")).scalar_one()
            return digest, payload
    finally:
        engine.dispose()


async def test_stored_digests_survive_being_packed_and_unpacked(database_url: str) -> None:
    config = alembic_config(database_url)
    command.upgrade(config, "0007")
    engine = create_engine(normalise_url(database_url)[1])
    document = json.dumps(DIGEST)
    try:
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO tenants (platform, external_id) VALUES ('console', 't')")
            )
            connection.execute(
                text(
                    "INSERT INTO users (tenant_id, platform_user_id, role) "
                    "SELECT id, 'm1', 'manager' FROM tenants"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO nudge_deliveries (manager_id, iso_week, status, digest) "
                    "SELECT id, '2026-W10', 'sent', :d FROM users"
                ),
                {"d": document},
            )
            connection.execute(
                text(
                    "INSERT INTO outbox_messages (recipient_id, kind, dedupe_key, title, body, "
                    "payload) SELECT id, 'digest', 'k', 'title', 'body', :d FROM users"
                ),
                {"d": document},
            )
    finally:
        engine.dispose()

    upgrade_to_head(database_url)
    packed = await open_store(database_url, migrate=False)
    try:
        async with packed.sessions() as session:
            assert (await session.scalars(select(NudgeDelivery.digest))).one() == DIGEST
            assert (await session.scalars(select(OutboxMessage.payload))).one() == DIGEST
    finally:
        await packed.close()
    assert all(isinstance(value, bytes) for value in _stored_documents(database_url))

    command.downgrade(config, "0007")
    digest, payload = _stored_documents(database_url)
    assert [v if isinstance(v, dict) else json.loads(v) for v in (digest, payload)] == [DIGEST] * 2
