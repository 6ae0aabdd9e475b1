"""Weekly digests at scale: 1,000 managers, 10,000 reps, 200,000 commitments.

Times one `DigestService.run` (read everything, build every digest, claim, deliver to the
console outbox, record) on SQLite and on PostgreSQL, as `coach nudges run` runs it (cyclic
garbage collector paused), against a baseline from the same run: the run's own snapshot
statements executed and every row fetched once, i.e. the cost of reading the data. It
also prints the run's CPU time, which a busy machine distorts less than the wall clock,
and counts the SQL statements the run issued, which must not grow with the team size, and
the bytes of text and binary values it sent the database (what it asked to be written),
which a busy machine does not distort at all.

PostgreSQL comes from COACH_TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/test;
the benchmark works in its own schema (`bench_digests`, or `--schema`; dropped afterwards),
so it never touches the tables the tests use. When no server answers, PostgreSQL is skipped
with a note.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
    create_engine,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.exc import OperationalError

from bot.delivery import Dispatcher
from bot.gc_pause import cyclic_gc_paused
from bot.outbox import ConsoleOutbox
from coaching.digests.build import CALENDAR_DAYS, WINDOW_DAYS
from coaching.digests.service import DigestService
from coaching.team.rules import Clock
from coaching.types import Role
from storage.db import normalise_url
from storage.digest_repo import SqlDigestStore, snapshot_queries
from storage.migrate import upgrade_to_head
from storage.models import CommitmentRow, ConversationTurn, DealRow, FindingRow, Tenant, User
from storage.outbox_repo import SqlOutbox
from storage.repository import SqlStore, open_store

MANAGERS, REPS_PER_MANAGER, COMMITMENTS_PER_REP = 1_000, 10, 20
DEALS_PER_REP, FINDINGS_PER_REP = 2, 3
GOAL_SECONDS = 2.0
BACKENDS = ("sqlite", "postgresql")
NOW = datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001 - a wall-clock time every manager shares
TODAY = NOW.date()
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
SCHEMA = "bench_digests"
STATUSES = ["open"] * 10 + ["done"] * 6 + ["cancelled"] * 2 + ["snoozed", "suggested"]
CODES = ["trust.self_orientation", "funnel.activity_metrics", "creepy.never", "p3.not_requested"]
LINES = ["Platform", "Analytics", "Services"]


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


def _users(conn: Connection) -> list[int]:
    """One tenant, the managers and their reps; the reps' ids."""
    tenant = conn.execute(
        insert(_table(Tenant)).returning(Tenant.id), [{"platform": "console", "external_id": "b"}]
    ).scalar_one()
    managers = [
        {"tenant_id": tenant, "platform_user_id": f"m{i}", "role": "manager"}
        for i in range(MANAGERS)
    ]
    conn.execute(insert(_table(User)), managers)
    ids = {
        row.platform_user_id: row.id for row in conn.execute(select(User.platform_user_id, User.id))
    }
    reps = [
        {
            "tenant_id": tenant,
            "platform_user_id": f"r{m}-{r}",
            "role": "rep",
            "manager_id": ids[f"m{m}"],
        }
        for m in range(MANAGERS)
        for r in range(REPS_PER_MANAGER)
    ]
    conn.execute(insert(_table(User)), reps)
    return list(conn.execute(select(User.id).where(User.role == "rep")).scalars())


def _commitments(reps: list[int], rng: random.Random) -> Iterator[dict[str, Any]]:
    for rep in reps:
        for n in range(COMMITMENTS_PER_REP):
            status = rng.choice(STATUSES)
            changed = datetime.combine(TODAY - timedelta(days=rng.randint(0, 30)), NOW.time(), UTC)
            yield {
                "user_id": rep,
                "text": f"follow-up {n}",
                "kind": "follow_up",
                "counterpart": "Lena",
                "party": "rep",
                "due": TODAY + timedelta(days=rng.randint(-60, 60)),
                "status": status,
                "snoozed_until": TODAY + timedelta(days=2) if status == "snoozed" else None,
                "created_at": changed,
                "updated_at": changed,
            }


def _deals(reps: list[int], rng: random.Random) -> Iterator[dict[str, Any]]:
    for rep in reps:
        for n in range(DEALS_PER_REP):
            quiet = rng.randint(0, 250)
            yield {
                "user_id": rep,
                "name": f"deal {n}",
                "stage": rng.choice(["discovery", "proposal", "won"]),
                "value": rng.randint(10, 400) * 1_000,
                "product_line": rng.choice(LINES),
                "peak_interest_at": TODAY - timedelta(days=quiet + 10),
                "last_customer_action_at": TODAY - timedelta(days=quiet),
                "proposal_sent_at": TODAY - timedelta(days=5) if n else None,
                "closed_at": TODAY - timedelta(days=quiet),
            }


def _findings(conn: Connection, reps: list[int], rng: random.Random) -> None:
    at = datetime.combine(TODAY - timedelta(days=2), NOW.time(), UTC)
    turns = [
        {"user_id": rep, "speaker": "user", "text": "update", "created_at": at} for rep in reps
    ]
    conn.execute(insert(_table(ConversationTurn)), turns)
    turn_of = {
        row.user_id: row.id
        for row in conn.execute(select(ConversationTurn.user_id, ConversationTurn.id))
    }
    rows = [
        {
            "turn_id": turn_of[rep],
            "user_id": rep,
            "code": rng.choice(CODES),
            "severity": "medium",
            "evidence": "private words",
            "advice": "advice",
            "created_at": at - timedelta(days=rng.randint(0, 6)),
        }
        for rep in reps
        for _ in range(FINDINGS_PER_REP)
    ]
    conn.execute(insert(_table(FindingRow)), rows)


def seed(url: str) -> None:
    """A migrated database holding the whole organisation (bulk inserts, one transaction),
    with its planner statistics current, as autovacuum (PostgreSQL) keeps them in use:
    without them PostgreSQL guessed two reps and read commitments rep by rep, twice as slow
    as the hash join it picks once it knows the tables."""
    upgrade_to_head(url)
    rng = random.Random(7)
    engine = create_engine(normalise_url(url)[1])
    try:
        with engine.begin() as conn:
            reps = _users(conn)
            conn.execute(insert(_table(CommitmentRow)), list(_commitments(reps, rng)))
            conn.execute(insert(_table(DealRow)), list(_deals(reps, rng)))
            _findings(conn, reps, rng)
            conn.execute(text("ANALYZE"))
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Measured:
    run: float
    """Wall-clock seconds of one `DigestService.run`."""
    cpu: float
    """CPU seconds this process spent in it (every thread), less sensitive to a busy machine."""
    read_once: float
    """Median wall-clock seconds of executing the run's snapshot statements and fetching
    every row once, with no domain objects built: the floor the run is compared with."""
    sent: int
    statements: int
    written: int
    """Bytes of the text and binary values bound to the run's statements."""


async def _read_once(store: SqlStore) -> float:
    """Seconds to execute the snapshot statements a run issues and fetch all their rows."""
    async with store.engine.connect() as conn:
        managers = list(
            (await conn.execute(select(User.id).where(User.role == Role.MANAGER))).scalars()
        )
    now = Clock(at=NOW).local(None)
    queries = snapshot_queries(
        manager_ids=managers,
        since=now - timedelta(days=WINDOW_DAYS + 1),  # the window DigestService reads
        until=now.date() + timedelta(days=CALENDAR_DAYS + 1),
    )
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        async with store.engine.connect() as conn:
            for query in queries:
                (await conn.execute(query)).all()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


async def measure(url: str, profile: cProfile.Profile | None = None) -> Measured:
    """One digest run on the seeded database at `url`, with the read-once baseline."""
    store = await open_store(url, migrate=False)
    try:
        read_once = await _read_once(store)
        outbound = Dispatcher([ConsoleOutbox(SqlOutbox(store.engine))])
        service = DigestService(SqlDigestStore(store.engine), outbound)
        statements = written = 0

        def seen(_conn: object, _cursor: object, _sql: str, params: Any, *_rest: object) -> None:
            nonlocal statements, written
            statements += 1
            written += _value_bytes(params)

        event.listen(store.engine.sync_engine, "before_cursor_execute", seen)
        started, cpu = time.perf_counter(), time.process_time()
        if profile is not None:
            profile.enable()
        with cyclic_gc_paused():  # as `coach nudges run` does, which lets go of the report
            sent = len((await service.run(Clock(at=NOW))).digests)
        if profile is not None:
            profile.disable()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        return Measured(elapsed, cpu, read_once, sent, statements, written)
    finally:
        await store.close()


def _value_bytes(params: Any) -> int:
    """The bytes of the text and binary values in a statement's parameters: one value, a
    row of them (tuple or dict), or many rows (an executemany, or a batched insert). A
    driver's wrapper (psycopg's `Jsonb`) counts as what it wraps."""
    if isinstance(params, str):
        return len(params.encode())
    if isinstance(params, bytes | bytearray | memoryview):
        return memoryview(params).nbytes
    if isinstance(params, dict):
        return sum(_value_bytes(value) for value in params.values())
    if isinstance(params, list | tuple):
        return sum(_value_bytes(value) for value in params)
    wrapped = getattr(params, "obj", None)
    return 0 if wrapped is None else _value_bytes(wrapped)


def report(name: str, url: str, *, profile: int = 0) -> bool:
    started = time.perf_counter()
    seed(url)
    seeded = time.perf_counter() - started
    profiler = cProfile.Profile() if profile else None
    m = asyncio.run(measure(url, profiler))
    met = m.run < GOAL_SECONDS and m.sent == MANAGERS
    print(
        f"{name:10} seeded in {seeded:5.1f} s; run {m.run:6.2f} s (cpu {m.cpu:5.2f} s) for "
        f"{m.sent:,} digests, {m.statements} SQL statements, {m.written / 1e6:.1f} MB of "
        f"values written; reading the same rows once "
        f"{m.read_once:5.2f} s; {m.run / m.read_once:4.1f}x read-once; "
        f"goal < {GOAL_SECONDS:g} s: {'met' if met else 'NOT met'}"
    )
    if profiler is not None:
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(profile)
    return met


def _postgres_url(schema: str) -> str | None:
    """The benchmark's PostgreSQL URL (in its own fresh schema), or None if none answers."""
    base = os.environ.get("COACH_TEST_DATABASE_URL") or DEFAULT_POSTGRES
    engine = create_engine(
        normalise_url(base)[1], isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with engine.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError:
        return None
    finally:
        engine.dispose()
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


def _drop_schema(url: str, schema: str) -> None:
    engine = create_engine(normalise_url(url)[1], isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    finally:
        engine.dispose()


def run(backends: Sequence[str] = BACKENDS, *, profile: int = 0, schema: str = SCHEMA) -> bool:
    """Print the digest benchmark; True when every measured backend met the goal."""
    reps = MANAGERS * REPS_PER_MANAGER
    print(
        f"weekly digests: {MANAGERS:,} managers, {reps:,} reps, "
        f"{reps * COMMITMENTS_PER_REP:,} commitments (baseline: the run's snapshot "
        "statements executed and every row fetched once)"
    )
    ok = True
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory() as folder:
            ok = report("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}", profile=profile)
    if "postgresql" not in backends:
        return ok
    postgres = _postgres_url(schema)
    if postgres is None:
        print("postgresql skipped: no server answers (set COACH_TEST_DATABASE_URL)")
        return ok
    try:
        ok &= report("postgresql", postgres, profile=profile)
    finally:
        _drop_schema(postgres, schema)
    return ok


def _schema_name(value: str) -> str:
    """A plain identifier, since it is spliced into DDL."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", value):
        raise argparse.ArgumentTypeError("use lower-case letters, digits and _ only")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.digests", description=__doc__.split("\n\n", 1)[0]
    )
    parser.add_argument(
        "--backend", choices=[*BACKENDS, "both"], default="both", help="database(s) to run on"
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also print the N functions with the most own time in the run (cProfile)",
    )
    parser.add_argument(
        "--schema",
        default=SCHEMA,
        type=_schema_name,
        help="the PostgreSQL schema to seed (created, then dropped)",
    )
    args = parser.parse_args(argv)
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    return 0 if run(backends, profile=args.profile, schema=args.schema) else 1


if __name__ == "__main__":
    sys.exit(main())
