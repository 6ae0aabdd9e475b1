"""The one place that reads the environment (and `.env`).

Everything else receives a validated `Settings` object, so a factory can be tested with any
configuration and nothing is built at import time. Settings are grouped by concern
(`settings.database.url`, `settings.slack.bot_token`, ...), while every variable keeps the
flat name admins already set (`COACH_DATABASE_URL`, `SLACK_BOT_TOKEN`): a group is a plain
model whose fields carry their variable as alias, and one settings source hands each group
the variables it owns. Each field's description is the documentation:
`python -m config.reference` writes `docs/configuration.md` and `.env.example` from it, and a
test fails when either has drifted from the code.

An empty variable means the default, so a `.env` copied from `.env.example` with the values
left blank behaves like no `.env` at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_dir
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    InitSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from coaching.errors import CoachingError
from coaching.redact import DEFAULT_PHONE_REGION

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
DEFAULT_SLACK_SCOPES = (
    "app_mentions:read,assistant:write,chat:write,commands,files:read,im:history,im:write,"
    "users:read"
)
# `[http://|https://][*.]host[:port]`; no scheme means https.
_LABEL = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"
_HOST_ENTRY = re.compile(rf"^(https?://)?(\*\.)?{_LABEL}(\.{_LABEL})*(:\d{{1,5}})?$")


def default_database_url() -> str:
    """A SQLite file in the user's data directory: zero setup for the embedded default."""
    return f"sqlite:///{Path(user_data_dir(APP_NAME)) / 'coach.db'}"


def setting(variable: str, doc: str, *, shown: str | None = None, **field: Any) -> Any:
    """A field read from `variable`, documented by `doc`; `shown` is the default as the
    reference prints it, for defaults that are computed or too long to print."""
    extra: dict[str, JsonValue] | None = {"shown": shown} if shown is not None else None
    return Field(alias=variable, description=doc, json_schema_extra=extra, **field)


class Group(BaseModel):
    """One concern's settings; built by name in code and tests, by variable from the env."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class DatabaseSettings(Group):
    """Where the coach keeps everything."""

    url: str = setting(
        "COACH_DATABASE_URL",
        "Any SQLAlchemy URL; postgresql://user:secret@host:5432/salescoach in production. "
        "Only the default folder is created for you: a SQLite file whose folder does not "
        "exist is an error, not a new empty database.",
        shown="a SQLite file in your user data directory",
        default_factory=default_database_url,
    )


class ModelSettings(Group):
    """The optional OpenAI-compatible model; without a key the offline coach answers."""

    api_key: SecretStr | None = setting(
        "OPENAI_API_KEY", "Enables the model; empty = the offline coach only.", default=None
    )
    base_url: str | None = setting(
        "OPENAI_BASE_URL",
        "Any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server; Azure OpenAI: "
        "https://YOUR-RESOURCE.openai.azure.com/openai/v1/ with COACH_MODEL = the "
        "deployment). Empty = OpenAI.",
        default=None,
    )
    model: str = setting("COACH_MODEL", "Model name sent to the endpoint.", default="gpt-4o-mini")
    timeout_seconds: float = setting(
        "COACH_LLM_TIMEOUT",
        "Seconds a rep waits for the model before the offline coaching is served.",
        default=30.0,
        gt=0,
    )
    max_retries: int = setting(
        "COACH_LLM_MAX_RETRIES", "Retries of a failed model request (0-5).", default=2, ge=0, le=5
    )
    reasoning: bool | None = setting(
        "COACH_LLM_REASONING",
        "true sends reasoning-model parameters (max_completion_tokens, no temperature), "
        "false never; empty = by model name (o1, o3, o4-mini, gpt-5...). Set true for an "
        "Azure deployment named otherwise.",
        shown="by model name",
        default=None,
    )
    context_tokens: int = setting(
        "COACH_LLM_CONTEXT_TOKENS",
        "The model's context window in tokens (at least 2048); prompts are trimmed to fit "
        "it with the answer.",
        default=16384,
        ge=2048,
    )
    breaker_failures: int = setting(
        "COACH_LLM_BREAKER_FAILURES",
        "After this many consecutive model failures the model is skipped for "
        "COACH_LLM_BREAKER_SECONDS (0 = never).",
        default=5,
        ge=0,
    )
    breaker_seconds: float = setting(
        "COACH_LLM_BREAKER_SECONDS",
        "How long the model is skipped before one turn tries it again.",
        default=60.0,
        gt=0,
    )

    @property
    def enabled(self) -> bool:
        return self.api_key is not None and bool(self.api_key.get_secret_value())


class CoachingSettings(Group):
    """How the coach reads what reps send."""

    company_name: str | None = setting(
        "COACH_COMPANY",
        "Your company's name, so a call review knows which speaker is the rep "
        '("I\'m Sam from Acme").',
        default=None,
    )
    memory_turns: int = setting(
        "COACH_MEMORY_TURNS",
        "Earlier turns of a thread given to the model as memory.",
        default=6,
        ge=0,
        le=50,
    )
    default_timezone: str | None = setting(
        "COACH_TIMEZONE",
        "Time zone for users who have none, in every command (an IANA name such as "
        "Europe/Berlin; an unknown one stops every command).",
        shown="this machine's zone",
        default=None,
    )

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


class LimitsSettings(Group):
    """What one message, file, user or tenant may cost."""

    max_input_chars: int = setting(
        "COACH_MAX_INPUT_CHARS",
        "Largest message or document accepted, in characters.",
        default=200_000,
        gt=0,
    )
    max_file_bytes: int = setting(
        "COACH_MAX_FILE_BYTES",
        "Largest uploaded file (proposal, deck, transcript) accepted for review, in bytes.",
        default=10 * 1024 * 1024,
        gt=0,
    )
    max_document_chars: int = setting(
        "COACH_MAX_DOCUMENT_CHARS",
        "Most text extracted from an uploaded file, in characters (keep it at or below "
        "COACH_MAX_INPUT_CHARS).",
        default=200_000,
        gt=0,
    )
    rate_limit_per_minute: int = setting(
        "COACH_RATE_LIMIT_PER_MINUTE",
        'Coaching questions one user may ask per minute; more get a polite "rate.limited".',
        default=20,
        ge=1,
    )
    tenant_daily_tokens: int = setting(
        "COACH_TENANT_DAILY_TOKENS",
        "Model tokens one workspace or tenant may use per UTC day; then the offline coach "
        "answers (0 = no cap).",
        default=200_000,
        ge=0,
    )


class PrivacySettings(Group):
    """What is kept, and what never reaches a model."""

    retention_days: int = setting(
        "COACH_RETENTION_DAYS",
        "Days conversation turns and their findings are kept; `coach retention run` purges "
        "older ones (0 = forever).",
        default=365,
        ge=0,
    )
    redact_patterns: Annotated[list[str], NoDecode] = setting(
        "COACH_REDACT_PATTERNS",
        "Extra regular expressions redacted before any model call: comma-separated, or a "
        "JSON list for patterns with commas.",
        shown="none",
        default_factory=list,
    )
    phone_region: str = setting(
        "COACH_PHONE_REGION",
        "Country (two letters) whose national phone format redaction reads; numbers "
        "written with + are read from any country.",
        default=DEFAULT_PHONE_REGION,
    )

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


class ServerSettings(Group):
    """The HTTP server, `coach serve`."""

    host: str = setting("COACH_HOST", "Address `coach serve` listens on.", default="127.0.0.1")
    port: int = setting(
        "COACH_PORT", "Port `coach serve` listens on.", default=3000, ge=1, le=65535
    )
    log_level: str = setting(
        "COACH_LOG_LEVEL", "Log level: DEBUG, INFO, WARNING or ERROR.", default="INFO"
    )


class QueueSettings(Group):
    """The Redis job queue for slow work and schedules."""

    url: str | None = setting(
        "COACH_QUEUE_URL",
        "redis://... : slow work (turns, reviews, digests, reminders) runs on `coach worker`, "
        "which also queues the hourly runs; empty = it runs in the web process and "
        "`coach scheduler` runs the hourly ones.",
        default=None,
    )
    name: str = setting(
        "COACH_QUEUE_NAME",
        "The queue's name on that Redis; give each deployment sharing one Redis its own.",
        default="salescoach",
        min_length=1,
    )


class CrmSettings(Group):
    """Read-only deal sync (`coach crm sync`, docs/crm.md)."""

    hubspot_token: SecretStr | None = setting(
        "COACH_HUBSPOT_TOKEN",
        "A HubSpot private app's access token with the crm.objects.deals.read and "
        "crm.objects.owners.read scopes; empty = no HubSpot sync.",
        default=None,
    )
    hubspot_url: str = setting(
        "COACH_HUBSPOT_URL",
        "HubSpot's API root; change it only for a proxy.",
        default="https://api.hubapi.com",
    )
    salesforce_url: str | None = setting(
        "COACH_SALESFORCE_URL",
        "Your Salesforce org's My Domain URL (https://acme.my.salesforce.com) for the "
        "read-only Opportunity sync; empty = no Salesforce sync.",
        default=None,
    )
    salesforce_client_id: str | None = setting(
        "COACH_SALESFORCE_CLIENT_ID",
        "The connected app's consumer key (OAuth 2.0 client credentials flow, with a run-as "
        "user who may read Opportunities and Users).",
        default=None,
    )
    salesforce_client_secret: SecretStr | None = setting(
        "COACH_SALESFORCE_CLIENT_SECRET", "The connected app's consumer secret.", default=None
    )

    @field_validator("salesforce_url")
    @classmethod
    def _https_root(cls, value: str | None) -> str | None:
        """An https:// root such as your My Domain URL; the API is HTTPS only."""
        if value is None:
            return None
        value = value.strip()
        if not value.startswith("https://") or len(value) <= len("https://"):
            raise ValueError("use your My Domain URL, such as https://acme.my.salesforce.com")
        return value.rstrip("/")


class SlackSettings(Group):
    """Slack (docs/slack.md): a bot token and signing secret for one workspace, or OAuth."""

    bot_token: SecretStr | None = setting(
        "SLACK_BOT_TOKEN",
        "Bot User OAuth Token (xoxb-...), from OAuth & Permissions after installing the app "
        "to one workspace.",
        default=None,
    )
    signing_secret: SecretStr | None = setting(
        "SLACK_SIGNING_SECRET",
        "Signing Secret, from Basic Information > App Credentials; verifies every request.",
        default=None,
    )
    app_token: SecretStr | None = setting(
        "SLACK_APP_TOKEN",
        "App-Level Token (xapp-..., scope connections:write) for Socket Mode.",
        default=None,
    )
    client_id: str | None = setting(
        "SLACK_CLIENT_ID",
        "Client ID for installs to any workspace (OAuth at /slack/install), instead of a "
        "bot token.",
        default=None,
    )
    client_secret: SecretStr | None = setting(
        "SLACK_CLIENT_SECRET",
        "Client Secret, from Basic Information > App Credentials (OAuth installs only).",
        default=None,
    )
    api_url: str = setting(
        "SLACK_API_URL",
        "Slack Web API base URL; change it only to point tests or staging at a stand-in.",
        default="https://slack.com/api/",
    )
    scopes: str = setting(
        "SLACK_SCOPES",
        "Bot scopes requested at install, comma-separated; keep them in step with "
        "bot/slack/manifest.yml.",
        default=DEFAULT_SLACK_SCOPES,
    )
    redirect_uri: str | None = setting(
        "SLACK_REDIRECT_URI",
        "OAuth redirect URL, only if the app lists several; empty = the one in the app settings.",
        default=None,
    )
    socket_mode: bool = setting(
        "SLACK_SOCKET_MODE",
        "true = receive Slack over Socket Mode (development), as `coach serve --socket-mode`.",
        default=False,
    )


class TeamsSettings(Group):
    """Microsoft Teams (docs/teams.md), in the Microsoft 365 Agents SDK's own variables."""

    client_id: str | None = setting(
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID",
        "The bot's Microsoft app id (Azure Bot resource > Configuration), also the Teams "
        "app id; empty = no /api/messages, unless local anonymous mode is asked for.",
        default=None,
    )
    client_secret: SecretStr | None = setting(
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET",
        "A client secret of that app registration (with AUTHTYPE=ClientSecret).",
        default=None,
    )
    tenant_id: str | None = setting(
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID",
        "The Entra ID tenant the app registration lives in (single-tenant bots).",
        default=None,
    )
    auth_type: Literal["ClientSecret", "UserManagedIdentity", "SystemManagedIdentity"] = setting(
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__AUTHTYPE",
        "ClientSecret, UserManagedIdentity or SystemManagedIdentity.",
        default="ClientSecret",
    )
    openid_metadata_url: str | None = setting(
        "COACH_TEAMS_OPENID_METADATA_URL",
        "OpenID metadata URL of the token issuer; empty = the Bot Framework's and your "
        "tenant's (tests point it at a stand-in).",
        default=None,
    )
    reply_budget_seconds: float = setting(
        "COACH_TEAMS_REPLY_BUDGET",
        "Seconds a message extension dialog waits for the coach before the answer follows "
        "in the rep's personal chat (0-14; never more than Teams' 5 seconds for an invoke).",
        default=10.0,
        ge=0,
        le=14,
    )
    concurrent_turns: int = setting(
        "COACH_TEAMS_CONCURRENT_TURNS",
        "Teams coaching turns one web process runs at once without a job queue; later "
        "messages wait their turn (each conversation's in order).",
        default=16,
        ge=1,
        le=1000,
    )
    stream_after_seconds: float = setting(
        "COACH_TEAMS_STREAM_AFTER",
        "In a personal chat, an answer not ready after this many seconds shows the coach's "
        "steps while it works (0-14; 0 = always).",
        default=1.0,
        ge=0,
        le=14,
    )
    allow_anonymous: bool = setting(
        "COACH_TEAMS_ALLOW_ANONYMOUS",
        "true = local anonymous mode when the client id is empty: any caller is accepted, "
        "so the server must listen on 127.0.0.1, ::1 or localhost (the Agents Playground, "
        "the Emulator).",
        default=False,
    )
    service_hosts: Annotated[list[str], NoDecode] = setting(
        "COACH_TEAMS_SERVICE_HOSTS",
        "Hosts an activity's serviceUrl may name; answers and our token go nowhere else. "
        "Entries [http://|https://][*.]host[:port], comma-separated; no scheme = https "
        "(GCC High / DoD: *.teams.microsoft.us,*.botframework.azure.us; local anonymous "
        "mode: http://localhost).",
        shown=",".join(TEAMS_SERVICE_HOSTS),
        default_factory=lambda: list(TEAMS_SERVICE_HOSTS),
    )
    file_hosts: Annotated[list[str], NoDecode] = setting(
        "COACH_TEAMS_FILE_HOSTS",
        "Hosts attachments are downloaded from, in the same form.",
        shown=",".join(TEAMS_FILE_HOSTS),
        default_factory=lambda: list(TEAMS_FILE_HOSTS),
    )

    proactive_install: bool = setting(
        "COACH_TEAMS_PROACTIVE_INSTALL",
        "true = team members who never wrote to the coach get the app installed through "
        "Microsoft Graph by the delivery job, so reminders and digests reach them. Needs the "
        "TeamsAppInstallation.ReadWriteForUser.All application permission (admin consent), "
        "the client and tenant ids above, and COACH_TEAMS_CATALOG_APP_ID; false = no Graph "
        "call at all.",
        default=False,
    )
    catalog_app_id: str | None = setting(
        "COACH_TEAMS_CATALOG_APP_ID",
        "The app's id in your organisation's app catalog (Teams admin center), not the "
        "manifest id.",
        default=None,
    )
    graph_url: str = setting(
        "COACH_GRAPH_URL",
        "Microsoft Graph's base URL (national clouds: their Graph host).",
        default="https://graph.microsoft.com/v1.0",
    )
    install_service_url: str = setting(
        "COACH_TEAMS_INSTALL_SERVICE_URL",
        "The connector a freshly installed personal chat is written through (GCC: its smba host).",
        default="https://smba.trafficmanager.net/teams/",
    )

    @model_validator(mode="after")
    def _install_needs_its_ids(self) -> TeamsSettings:
        """Proactive install acts as the bot in its own tenant, for one catalog app."""
        if self.proactive_install:
            needed = (
                ("CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID", self.client_id),
                ("CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID", self.tenant_id),
                ("COACH_TEAMS_CATALOG_APP_ID", self.catalog_app_id),
            )
            missing = [name for name, value in needed if not value]
            if missing:
                raise ValueError(f"COACH_TEAMS_PROACTIVE_INSTALL needs {', '.join(missing)}")
        return self

    @field_validator("service_hosts", "file_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object, info: ValidationInfo) -> object:
        """A comma-separated list of `[http://|https://][*.]host[:port]` entries; empty
        means Microsoft's hosts."""
        entries = value.split(",") if isinstance(value, str) else value
        if not isinstance(entries, list | tuple):
            return value
        cleaned = [str(entry).strip().lower().rstrip("/") for entry in entries]
        cleaned = [entry for entry in cleaned if entry]
        if not cleaned:
            service = info.field_name == "service_hosts"
            return list(TEAMS_SERVICE_HOSTS if service else TEAMS_FILE_HOSTS)
        for entry in cleaned:
            if not _HOST_ENTRY.match(entry):
                raise ValueError(f"{entry!r} is not a host such as *.botframework.com")
        return cleaned

    @property
    def authenticated(self) -> bool:
        """Teams runs with JWT validation once an app id is configured."""
        return bool(self.client_id)

    @property
    def anonymous(self) -> bool:
        """Local anonymous mode: no app id, and explicitly asked for."""
        return not self.authenticated and self.allow_anonymous

    @property
    def enabled(self) -> bool:
        """Whether `/api/messages` is mounted at all."""
        return self.authenticated or self.allow_anonymous


class _GroupedVariables(PydanticBaseSettingsSource):
    """Hands each group the flat variables it owns, from the arguments or from
    pydantic-settings' own env or dotenv source (its case rules and `.env` parsing). A
    group given whole as an argument passes through; an empty value is left out, so the
    field keeps its default."""

    def __init__(
        self, settings_cls: type[BaseSettings], variables: Mapping[str, Any], *, exact: bool
    ) -> None:
        super().__init__(settings_cls)
        self._variables = variables
        self._exact = exact

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        """Unused: `__call__` hands over whole groups."""
        del field
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for variable, value in self._variables.items():
            if isinstance(value, str) and not value.strip():
                continue
            place = VARIABLES.get(variable if self._exact else variable.upper())
            if place is not None:
                found.setdefault(place[0], {})[place[1]] = value
            elif self._exact and variable in Settings.model_fields:
                found[variable] = value
        return found


class Settings(BaseSettings):
    """Every setting, grouped by concern; see `docs/configuration.md`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    llm: ModelSettings = Field(default_factory=ModelSettings)
    coaching: CoachingSettings = Field(default_factory=CoachingSettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    queue: QueueSettings = Field(default_factory=QueueSettings)
    crm: CrmSettings = Field(default_factory=CrmSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    teams: TeamsSettings = Field(default_factory=TeamsSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments first, then the environment, then `.env`; no secrets directory."""
        del file_secret_settings
        assert isinstance(init_settings, InitSettingsSource)
        assert isinstance(env_settings, EnvSettingsSource)
        assert isinstance(dotenv_settings, EnvSettingsSource)
        return (
            _GroupedVariables(settings_cls, init_settings.init_kwargs, exact=True),
            _GroupedVariables(settings_cls, env_settings.env_vars, exact=False),
            _GroupedVariables(settings_cls, dotenv_settings.env_vars, exact=False),
        )

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> Settings:
        """A copy; `update` may name groups only (`replaced` changes single variables), so a
        variable name given here by mistake fails instead of being silently ignored."""
        unknown = sorted(set(update or {}) - set(type(self).model_fields))
        if unknown:
            raise KeyError(f"not a settings group: {', '.join(unknown)} (use replaced())")
        return super().model_copy(update=update, deep=deep)

    def replaced(self, **variables: object) -> Settings:
        """These settings with some variables changed (`--db`, `--socket-mode`, tests),
        validated like any other value."""
        changes: dict[str, dict[str, object]] = {}
        for variable, value in variables.items():
            place = VARIABLES.get(variable)
            if place is None:
                raise KeyError(f"{variable} is not a setting")
            changes.setdefault(place[0], {})[place[1]] = value
        update = {
            name: type(getattr(self, name)).model_validate(
                {**getattr(self, name).model_dump(), **fields}
            )
            for name, fields in changes.items()
        }
        return self.model_copy(update=update)


def groups() -> list[tuple[str, type[Group]]]:
    """Each group's attribute name and model, in the order the reference documents them."""
    found = []
    for name, field in Settings.model_fields.items():
        group = field.annotation
        assert isinstance(group, type)
        assert issubclass(group, Group)
        found.append((name, group))
    return found


# Every variable, with the group and field it sets (`COACH_PORT` is `server.port`).
VARIABLES = {
    field.alias: (group_name, name)
    for group_name, group in groups()
    for name, field in group.model_fields.items()
    if field.alias
}
_VARIABLE_AT = {place: variable for variable, place in VARIABLES.items()}


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
        settings = settings.replaced(COACH_DATABASE_URL=database_url)
    return settings


def describe_invalid(error: ValidationError) -> str:
    """One line for every invalid setting: "COACH_PORT: Input should be ...; ..."."""
    problems = []
    for item in error.errors(include_url=False, include_input=False):
        name = variable_of(tuple(str(part) for part in item["loc"]))
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(f"{name}: {message}")
    return "Invalid setting: " + "; ".join(problems) + "."


def variable_of(location: tuple[str, ...]) -> str:
    """The variable behind an error's location (`("server", "port")` is COACH_PORT)."""
    if len(location) >= 2:  # a group and its field
        variable = _VARIABLE_AT.get((location[0], location[1]))
        if variable is not None:
            return variable
    return ".".join(location) or "settings"


def _setting_name(error: SettingsError) -> str:
    """The variable pydantic-settings names in `error field "x"`, else a generic hint."""
    found = re.search(r'field "([^"]+)"', str(error))
    if found is None:
        return "check your environment and .env"
    return variable_of((found.group(1),)) + " is malformed"
