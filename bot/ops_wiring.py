"""Builds the limits and privacy services from Settings, for `bot.wiring` and the CLI."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from coaching.team.limits import Limits
from coaching.team.privacy import PrivacyService
from config.settings import Settings
from storage.privacy_repo import SqlPrivacy
from storage.usage_repo import SqlUsage


def build_limits(settings: Settings, engine: AsyncEngine) -> Limits:
    return Limits(
        SqlUsage(engine),
        per_minute=settings.limits.rate_limit_per_minute,
        daily_tokens=settings.limits.tenant_daily_tokens,
    )


def build_privacy(settings: Settings, engine: AsyncEngine) -> PrivacyService:
    return PrivacyService(SqlPrivacy(engine), retention_days=settings.privacy.retention_days)
