"""`coach crm sync` as cron runs it, and what a synced deal does to a manager's digest:
HubSpot and Salesforce, alone and together."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.crm.support import deal, opportunity
from tests.fakes.hubspot_api import FakeHubSpot, hubspot_time
from tests.fakes.salesforce_api import FakeSalesforce, salesforce_time
from tests.test_cli import count_rows, run_coach

NOW = "2026-03-02T09:00"
TEAM_CSV = """user,name,role,manager,tz,email
maria,Maria Lopez,manager,,America/Chicago,maria@example.com
ana,Ana Silva,rep,maria,America/Chicago,Ana.Silva@Example.com
"""


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    fake = FakeHubSpot().start()
    fake.add_owner("101", "ana.silva@example.com")
    yield fake
    fake.stop()


@pytest.fixture
def salesforce() -> Iterator[FakeSalesforce]:
    fake = FakeSalesforce().start()
    fake.add_owner("005A", "Ana.Silva@example.com")
    yield fake
    fake.stop()


def env(fake: FakeHubSpot, token: str | None = None) -> dict[str, str]:
    return {"COACH_HUBSPOT_TOKEN": token or fake.token, "COACH_HUBSPOT_URL": fake.url}


def team(tmp_path: Path) -> Path:
    db = tmp_path / "coach.db"
    csv = tmp_path / "team.csv"
    csv.write_text(TEAM_CSV)
    done = run_coach("team", "import", str(csv), "--user", "ada", "--role", "admin", db=db)
    assert done.returncode == 0, done.stderr
    return db


def test_a_deal_quiet_for_100_days_shows_as_decaying_in_the_managers_digest(
    tmp_path: Path, hubspot: FakeHubSpot
) -> None:
    db = team(tmp_path)
    today = datetime(2026, 3, 2, 15, tzinfo=UTC)
    deal(
        hubspot,
        1,
        dealname="Globex fleet rollout",
        amount="180000",
        createdate=hubspot_time(today - timedelta(days=160)),
        hs_last_sales_activity_date=hubspot_time(today - timedelta(days=100)),
    )
    deal(
        hubspot,
        2,
        dealname="Initech pilot",
        createdate=hubspot_time(today - timedelta(days=120)),
        hs_last_sales_activity_date=hubspot_time(today - timedelta(days=6)),
    )
    deal(
        hubspot,
        3,
        dealname="Umbrella renewal",
        dealstage="closedwon",
        createdate=hubspot_time(today - timedelta(days=200)),
        hs_last_sales_activity_date=hubspot_time(today - timedelta(days=100)),
    )

    synced = run_coach("crm", "sync", db=db, env=env(hubspot))
    digest = run_coach("nudges", "preview", "--manager", "maria", "--json", "--now", NOW, db=db)

    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.strip() == "HubSpot: 3 deal(s) read, 3 stored."
    assert digest.returncode == 0, digest.stderr
    [ana] = json.loads(digest.stdout)["reps"]
    [decaying] = [item for item in ana["items"] if item["code"] == "decay.stale"]
    assert decaying["evidence"] == "Globex fleet rollout"
    assert "no customer action for 100 days" in decaying["title"]
    assert "since November" in decaying["question"]


def test_an_expired_token_is_one_line_exit_2_and_the_store_is_unchanged(
    tmp_path: Path, hubspot: FakeHubSpot
) -> None:
    db = team(tmp_path)
    deal(hubspot, 1)
    hubspot.expired = True

    done = run_coach("crm", "sync", "--json", db=db, env=env(hubspot))

    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "crm.unauthorized"
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("coach: HubSpot refused the access token")
    assert hubspot.token not in done.stdout + done.stderr
    assert count_rows(db, "deals") == 0
    assert count_rows(db, "crm_cursors") == 0


def test_without_a_token_the_sync_says_what_to_set(tmp_path: Path) -> None:
    done = run_coach("crm", "sync", db=tmp_path / "coach.db")
    assert done.returncode == 2
    assert "COACH_HUBSPOT_TOKEN" in done.stderr
    assert "COACH_SALESFORCE_CLIENT_SECRET" in done.stderr


def test_a_salesforce_opportunity_quiet_for_100_days_decays_in_the_digest_a_won_one_not(
    tmp_path: Path, salesforce: FakeSalesforce
) -> None:
    db = team(tmp_path)
    today = datetime(2026, 3, 2, 15, tzinfo=UTC)
    quiet = (today - timedelta(days=100)).date().isoformat()
    opened = salesforce_time(today - timedelta(days=160))
    opportunity(
        salesforce,
        1,
        Name="Globex fleet rollout",
        Amount=180000.0,
        CreatedDate=opened,
        LastActivityDate=quiet,
    )
    opportunity(
        salesforce,
        2,
        Name="Umbrella renewal",
        StageName="Closed Won",
        IsClosed=True,
        IsWon=True,
        CloseDate="2026-02-27",
        CreatedDate=opened,
        LastActivityDate=quiet,
    )

    synced = run_coach("crm", "sync", db=db, env=salesforce.env())
    digest = run_coach("nudges", "preview", "--manager", "maria", "--json", "--now", NOW, db=db)

    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.strip() == "Salesforce: 2 deal(s) read, 2 stored."
    assert digest.returncode == 0, digest.stderr
    [ana] = json.loads(digest.stdout)["reps"]
    decaying = [item for item in ana["items"] if item["code"].startswith("decay.")]
    assert [item["evidence"] for item in decaying] == ["Globex fleet rollout"]
    assert "no customer action for 100 days" in decaying[0]["title"]


def test_both_crms_sync_in_one_run_and_one_refusing_keeps_the_other(
    tmp_path: Path, hubspot: FakeHubSpot, salesforce: FakeSalesforce
) -> None:
    db = team(tmp_path)
    deal(hubspot, 1)
    opportunity(salesforce, 1)
    opportunity(salesforce, 2)
    hubspot.expired = True

    done = run_coach("crm", "sync", "--json", db=db, env={**env(hubspot), **salesforce.env()})

    assert done.returncode == 2
    answer = json.loads(done.stdout)
    assert answer["error"]["code"] == "crm.unauthorized"
    hub, sf = answer["sources"]
    assert (hub["source"], hub["error"]["code"]) == ("hubspot", "crm.unauthorized")
    assert (sf["source"], sf["fetched"], sf["stored"]) == ("salesforce", 2, 2)
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("coach: HubSpot refused the access token")
    assert salesforce.secret not in done.stdout + done.stderr
    assert count_rows(db, "deals") == 2


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        (
            {"COACH_SALESFORCE_URL": "https://acme.my.salesforce.com"},
            "COACH_SALESFORCE_CLIENT_ID and COACH_SALESFORCE_CLIENT_SECRET",
        ),
        (
            {
                "COACH_SALESFORCE_URL": "http://acme.my.salesforce.com",
                "COACH_SALESFORCE_CLIENT_ID": "3MVG9-key",
                "COACH_SALESFORCE_CLIENT_SECRET": "s3cret-value",
            },
            "My Domain URL",
        ),
    ],
)
def test_half_a_salesforce_setup_is_one_line_naming_what_to_fix(
    tmp_path: Path, settings: dict[str, str], said: str
) -> None:
    done = run_coach("crm", "sync", db=tmp_path / "coach.db", env=settings)

    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert said in line
    assert "s3cret-value" not in line
