"""Builds the limits and privacy services from Settings, for `bot.wiring` and the CLI."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from coaching.config import Settings
from coaching.limits import Limits
from coaching.privacy import PrivacyService
from storage.privacy_repo import SqlPrivacy
from storage.usage_repo import SqlUsage


def build_limits(settings: Settings, engine: AsyncEngine) -> Limits:
    return Limits(
        SqlUsage(engine),
        per_minute=settings.rate_limit_per_minute,
        daily_tokens=settings.tenant_daily_tokens,
    )


def build_privacy(settings: Settings, engine: AsyncEngine) -> PrivacyService:
    return PrivacyService(SqlPrivacy(engine), retention_days=settings.retention_days)
