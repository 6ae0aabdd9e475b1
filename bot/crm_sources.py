"""The CRMs the settings configure, for `coach crm sync` and the hourly `crm_sync` job.

One list, so the command and the job sync the same CRMs in the same order, and a CRM
added later is wired in one place. Each source imports its SDK only when it is built.
"""

from __future__ import annotations

from bot.crm_hubspot import hubspot_source
from bot.crm_salesforce import salesforce_source
from coaching.digests.ports import CrmSource
from config.settings import Settings

LABELS = {"hubspot": "HubSpot", "salesforce": "Salesforce"}


def crm_sources(settings: Settings) -> tuple[CrmSource, ...]:
    """HubSpot when COACH_HUBSPOT_TOKEN is set, Salesforce when COACH_SALESFORCE_* are."""
    found = (hubspot_source(settings), salesforce_source(settings))
    return tuple(source for source in found if source is not None)
