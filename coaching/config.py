"""The one place that reads the environment (and `.env`).

Everything else receives a validated `Settings` object, so a factory can be tested with any
configuration and nothing is built at import time.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

from coaching.redact import DEFAULT_PHONE_REGION
from coaching.types import CoachingError

APP_NAME = "salescoach"

# Where a Bot Framework activity's `serviceUrl` may point: the public Teams connector
# (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages),
# GCC's (`smba.infra.gcc.teams.microsoft.com`) and the Bot Framework channels. GCC High and
# DoD (`*.teams.microsoft.us`, `*.botframework.azure.us`) are configured explicitly.
TEAMS_SERVICE_HOSTS = ("smba.trafficmanager.net", "*.botframework.com", "*.teams.microsoft.com")
# Where a Teams attachment may be downloaded from: SharePoint and OneDrive, which hold the
# files of a personal chat, and the connector's own attachment endpoints.
TEAMS_FILE_HOSTS = (
    "*.sharepoint.com",
    "smba.trafficmanager.net",
    "*.botframework.com",
    "*.asm.skype.com",
)
# `[http://|https://][*.]host[:port]`; no scheme means https.
_LABEL = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"
_HOST_ENTRY = re.compile(rf"^(https?://)?(\*\.)?{_LABEL}(\.{_LABEL})*(:\d{{1,5}})?$")


def default_database_url() -> str:
    """A SQLite file in the user's data directory: zero setup for the embedded default."""
    return f"sqlite:///{Path(user_data_dir(APP_NAME)) / 'coach.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    database_url: str = Field(default_factory=default_database_url, alias="COACH_DATABASE_URL")

    openai_api_key: SecretStr | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")
    model: str = Field(default="gpt-4o-mini", alias="COACH_MODEL")
    llm_timeout_seconds: float = Field(default=30.0, gt=0, alias="COACH_LLM_TIMEOUT")
    llm_max_retries: int = Field(default=2, ge=0, le=5, alias="COACH_LLM_MAX_RETRIES")
    # Reasoning-model parameters (max_completion_tokens, no temperature); empty = by model name.
    llm_reasoning: bool | None = Field(default=None, alias="COACH_LLM_REASONING")
    # The model's context window in tokens; prompts are trimmed to fit it with the answer.
    llm_context_tokens: int = Field(default=16384, ge=2048, alias="COACH_LLM_CONTEXT_TOKENS")
    # After this many consecutive model failures, skip it for the cool-down (0 = never).
    llm_breaker_failures: int = Field(default=5, ge=0, alias="COACH_LLM_BREAKER_FAILURES")
    llm_breaker_seconds: float = Field(default=60.0, gt=0, alias="COACH_LLM_BREAKER_SECONDS")

    max_input_chars: int = Field(default=200_000, gt=0, alias="COACH_MAX_INPUT_CHARS")
    # Uploaded proposals: the file's own size, then the text extracted from it.
    max_file_bytes: int = Field(default=10 * 1024 * 1024, gt=0, alias="COACH_MAX_FILE_BYTES")
    max_document_chars: int = Field(default=200_000, gt=0, alias="COACH_MAX_DOCUMENT_CHARS")
    # Call reviews: the rep is the speaker who speaks for this company ("I'm Sam from Acme").
    company_name: str | None = Field(default=None, alias="COACH_COMPANY")
    memory_turns: int = Field(default=6, ge=0, le=50, alias="COACH_MEMORY_TURNS")
    default_timezone: str | None = Field(default=None, alias="COACH_TIMEZONE")

    host: str = Field(default="127.0.0.1", alias="COACH_HOST")
    port: int = Field(default=3000, ge=1, le=65535, alias="COACH_PORT")
    log_level: str = Field(default="INFO", alias="COACH_LOG_LEVEL")
    # redis://... : slow work (turns, digests, reminders) runs on `coach worker`; else in-process.
    queue_url: str | None = Field(default=None, alias="COACH_QUEUE_URL")
    queue_name: str = Field(default="salescoach", min_length=1, alias="COACH_QUEUE_NAME")

    # Read-only HubSpot sync (`coach crm sync`): a private app's access token.
    hubspot_token: SecretStr | None = Field(default=None, alias="COACH_HUBSPOT_TOKEN")
    hubspot_url: str = Field(default="https://api.hubapi.com", alias="COACH_HUBSPOT_URL")

    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_client_id: str | None = Field(default=None, alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(default=None, alias="SLACK_CLIENT_SECRET")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    slack_scopes: str = Field(
        default=(
            "app_mentions:read,assistant:write,chat:write,commands,files:read,im:history,"
            "im:write,users:read"
        ),
        alias="SLACK_SCOPES",
    )
    slack_redirect_uri: str | None = Field(default=None, alias="SLACK_REDIRECT_URI")
    slack_socket_mode: bool = Field(default=False, alias="SLACK_SOCKET_MODE")

    # Microsoft Teams, in the Microsoft 365 Agents SDK's own environment convention.
    teams_client_id: str | None = Field(
        default=None, alias="CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID"
    )
    teams_client_secret: SecretStr | None = Field(
        default=None, alias="CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET"
    )
    teams_tenant_id: str | None = Field(
        default=None, alias="CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID"
    )
    teams_auth_type: Literal["ClientSecret", "UserManagedIdentity", "SystemManagedIdentity"] = (
        Field(default="ClientSecret", alias="CONNECTIONS__SERVICE_CONNECTION__SETTINGS__AUTHTYPE")
    )
    teams_openid_metadata_url: str | None = Field(
        default=None, alias="COACH_TEAMS_OPENID_METADATA_URL"
    )
    teams_reply_budget_seconds: float = Field(
        default=10.0, ge=0, le=14, alias="COACH_TEAMS_REPLY_BUDGET"
    )
    # A personal chat's answer later than this shows the coach's steps while it waits.
    teams_stream_after_seconds: float = Field(
        default=1.0, ge=0, le=14, alias="COACH_TEAMS_STREAM_AFTER"
    )
    # Without a client id Teams is not mounted, unless this asks for local anonymous mode.
    teams_allow_anonymous: bool = Field(default=False, alias="COACH_TEAMS_ALLOW_ANONYMOUS")
    teams_service_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(TEAMS_SERVICE_HOSTS), alias="COACH_TEAMS_SERVICE_HOSTS"
    )
    teams_file_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(TEAMS_FILE_HOSTS), alias="COACH_TEAMS_FILE_HOSTS"
    )

    # Privacy and limits: retention of conversation turns, per-user rate, per-tenant tokens.
    retention_days: int = Field(default=365, ge=0, alias="COACH_RETENTION_DAYS")
    rate_limit_per_minute: int = Field(default=20, ge=1, alias="COACH_RATE_LIMIT_PER_MINUTE")
    tenant_daily_tokens: int = Field(default=200_000, ge=0, alias="COACH_TENANT_DAILY_TOKENS")
    redact_patterns: Annotated[list[str], NoDecode] = Field(
        default_factory=list, alias="COACH_REDACT_PATTERNS"
    )
    phone_region: str = Field(default=DEFAULT_PHONE_REGION, alias="COACH_PHONE_REGION")

    @field_validator("phone_region", mode="before")
    @classmethod
    def _known_region(cls, value: object) -> object:
        """A two-letter country code phone numbers written without one are read for."""
        if not isinstance(value, str):
            return value
        from phonenumbers import SUPPORTED_REGIONS

        region = value.strip().upper()
        if region not in SUPPORTED_REGIONS:
            raise ValueError(f"unknown country code {value.strip()!r} (use one like US, GB, DE)")
        return region

    @field_validator("redact_patterns", mode="before")
    @classmethod
    def _split_patterns(cls, value: object) -> object:
        """A JSON list (for regexes with commas) or a comma-separated list; each must compile."""
        if not isinstance(value, str):
            return value
        text = value.strip()
        patterns = json.loads(text) if text.startswith("[") else text.split(",")
        cleaned = [str(p).strip() for p in patterns if str(p).strip()]
        for pattern in cleaned:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(
                    f"{pattern!r} is not a valid regular expression: {error}"
                ) from error
        return cleaned

    @field_validator("teams_service_hosts", "teams_file_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object, info: ValidationInfo) -> object:
        """A comma-separated list of `[http://|https://][*.]host[:port]` entries; empty
        (as `.env.example` leaves it) means Microsoft's hosts."""
        entries = value.split(",") if isinstance(value, str) else value
        if not isinstance(entries, list | tuple):
            return value
        cleaned = [str(entry).strip().lower().rstrip("/") for entry in entries]
        cleaned = [entry for entry in cleaned if entry]
        if not cleaned:
            service = info.field_name == "teams_service_hosts"
            return list(TEAMS_SERVICE_HOSTS if service else TEAMS_FILE_HOSTS)
        for entry in cleaned:
            if not _HOST_ENTRY.match(entry):
                raise ValueError(f"{entry!r} is not a host such as *.botframework.com")
        return cleaned

    @field_validator("llm_reasoning", mode="before")
    @classmethod
    def _blank_is_auto(cls, value: object) -> object:
        """`COACH_LLM_REASONING=` (as `.env.example` leaves it) means: decide by model name."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        """An IANA zone the machine knows, so "today" is never silently the server's."""
        if not value:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone; use a name like Europe/Berlin") from None
        return value

    @property
    def teams_authenticated(self) -> bool:
        """Teams runs with JWT validation once an app id is configured."""
        return bool(self.teams_client_id)

    @property
    def teams_anonymous(self) -> bool:
        """Local anonymous mode: no app id, and explicitly asked for."""
        return not self.teams_authenticated and self.teams_allow_anonymous

    @property
    def teams_enabled(self) -> bool:
        """Whether `/api/messages` is mounted at all."""
        return self.teams_authenticated or self.teams_allow_anonymous

    @property
    def llm_enabled(self) -> bool:
        return self.openai_api_key is not None and bool(self.openai_api_key.get_secret_value())


def load_settings(*, database_url: str | None = None) -> Settings:
    """Settings from the environment and `.env`, with the `--db` flag on top when given.

    An invalid value is a `CoachingError` naming the variable and the problem in one line
    (never the value, which may be a secret), not pydantic's multi-line report.
    """
    try:
        settings = Settings()
    except ValidationError as error:
        raise CoachingError("config.invalid", describe_invalid(error)) from None
    except SettingsError as error:
        raise CoachingError(
            "config.invalid", f"A setting could not be read ({_setting_name(error)})."
        ) from None
    except UnicodeDecodeError:
        raise CoachingError("config.invalid", "The .env file is not UTF-8 text.") from None
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return settings


def describe_invalid(error: ValidationError) -> str:
    """One line for every invalid setting: "COACH_PORT: Input should be ...; ..."."""
    problems = []
    for item in error.errors(include_url=False, include_input=False):
        name = ".".join(str(part) for part in item["loc"]) or "settings"
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(f"{name}: {message}")
    return "Invalid setting: " + "; ".join(problems) + "."


def _setting_name(error: SettingsError) -> str:
    """The variable pydantic-settings names in `error field "x"`, else a generic hint."""
    found = re.search(r'field "([^"]+)"', str(error))
    if found is None:
        return "check your environment and .env"
    field = Settings.model_fields.get(found.group(1))
    return (field.alias if field and field.alias else found.group(1)) + " is malformed"
