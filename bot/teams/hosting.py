"""Hosting: `/api/messages` on the one aiohttp app, the SDK adapter, and who may call it.

Built on the Microsoft 365 Agents SDK for Python, the successor of the archived
botbuilder-python; it speaks the same Bot Framework activity protocol
(https://learn.microsoft.com/microsoft-365/agents-sdk/bf-migration-python).
Configuration follows the SDK's environment convention
(`CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID`, `__CLIENTSECRET`, `__TENANTID`),
read by `coaching.config` only. Without a client id the endpoint runs in local anonymous
mode, for the Agents Playground, the Bot Framework Emulator and tests, and logs so at start.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientSession, web
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    ClaimsIdentity,
    TurnState,
)
from microsoft_agents.hosting.core.authorization import AuthTypes
from pydantic import ValidationError

from bot.handoff import Handoff
from bot.teams.agent import build_agent, handle_turn_error
from bot.teams.auth import KeysUnavailable, TokenValidator, Unauthorized, metadata_urls
from bot.teams.proactive import Outbound
from bot.teams.turns import TeamsCoach
from bot.wiring import Services
from coaching.config import Settings
from coaching.documents import FileLimits
from storage.references import open_references

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
# How long a stopping server waits for slow answers that are still being prepared.
DRAIN_SECONDS = 5.0


@dataclass(frozen=True)
class TeamsEndpoint:
    """What one request needs; present on the web app while it runs."""

    adapter: CloudAdapter
    agent: AgentApplication[TurnState]
    validator: TokenValidator | None
    outbound: Outbound


TEAMS_KEY = web.AppKey("teams", TeamsEndpoint)


def mount_teams(
    web_app: web.Application,
    settings: Settings,
    services_key: web.AppKey[Services],
    handoff_key: web.AppKey[Handoff] | None = None,
) -> None:
    """Serve Teams at `/api/messages`; the agent starts after the coaching services.
    Coaching turns go to the job queue that `handoff_key` names, when there is one."""

    async def teams_context(app: web.Application) -> AsyncIterator[None]:
        connections = build_connections(settings)
        async with teams_outbound(settings, connections) as outbound, ClientSession() as http:
            handoff = app.get(handoff_key) if handoff_key is not None else None
            coach = build_teams_coach(settings, app[services_key], outbound, http, handoff)
            app[TEAMS_KEY] = TeamsEndpoint(
                adapter=outbound.adapter,
                agent=build_agent(coach, connections),
                validator=_validator(settings, http),
                outbound=outbound,
            )
            _log_mode(settings)
            yield
            await coach.drain(DRAIN_SECONDS)

    web_app.cleanup_ctx.append(teams_context)
    web_app.router.add_post(MESSAGES_PATH, handle_messages)


def build_teams_coach(
    settings: Settings,
    services: Services,
    outbound: Outbound,
    http: ClientSession,
    handoff: Handoff | None = None,
) -> TeamsCoach:
    """The coaching side of the adapter: the same for the web process and a worker."""
    return TeamsCoach(
        service=services.coach,
        review=services.review,
        privacy=services.privacy,
        outbound=outbound,
        http=http,
        default_timezone=settings.default_timezone,
        reply_budget_seconds=settings.teams_reply_budget_seconds,
        https_only_files=settings.teams_authenticated,
        file_limits=FileLimits(
            max_bytes=settings.max_file_bytes, max_chars=settings.max_document_chars
        ),
        handoff=handoff,
    )


async def handle_messages(request: web.Request) -> web.Response:
    """One Bot Framework activity: authenticate it, then let the SDK run the agent."""
    endpoint = request.app[TEAMS_KEY]
    identity: ClaimsIdentity | None = None
    if endpoint.validator is not None:
        verdict = await _authenticate(request, endpoint.validator)
        if isinstance(verdict, web.Response):
            return verdict
        identity = verdict
    try:
        answer = await endpoint.adapter.process_request(
            _VerifiedRequest(request, identity), endpoint.agent
        )
    except ValidationError:
        return web.json_response({"error": "The body is not a Bot Framework activity."}, status=400)
    except Exception:
        log.exception("Teams activity could not be processed")
        return web.json_response({"error": "The activity could not be processed."}, status=500)
    if answer.body is not None:
        return web.json_response(answer.body, status=answer.status_code, headers=answer.headers)
    return web.Response(status=answer.status_code, headers=answer.headers)


class _VerifiedRequest:
    """The SDK's `HttpRequestProtocol` over an aiohttp request, carrying the identity our
    validator established (None: anonymous), instead of a string key on the request."""

    def __init__(self, request: web.Request, identity: ClaimsIdentity | None) -> None:
        self._request = request
        self._identity = identity

    @property
    def method(self) -> str:
        return self._request.method

    @property
    def headers(self) -> Mapping[str, str]:
        return self._request.headers

    async def json(self) -> dict[str, Any]:
        body: dict[str, Any] = await self._request.json()
        return body

    def get_claims_identity(self) -> ClaimsIdentity | None:
        return self._identity

    def get_path_param(self, name: str) -> str:
        return self._request.match_info[name]


def build_connections(settings: Settings) -> MsalConnectionManager:
    """The SDK's connection (outbound tokens) from Settings; anonymous without a client id."""
    if not settings.teams_authenticated:
        config = AgentAuthConfiguration(anonymous_allowed=True)
    else:
        secret = settings.teams_client_secret
        config = AgentAuthConfiguration(
            auth_type=AuthTypes(settings.teams_auth_type),
            client_id=settings.teams_client_id,
            tenant_id=settings.teams_tenant_id,
            client_secret=secret.get_secret_value() if secret is not None else None,
        )
    return MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": config})


@asynccontextmanager
async def teams_outbound(
    settings: Settings, connections: MsalConnectionManager | None = None
) -> AsyncIterator[Outbound]:
    """What `send_proactive` needs, for the server or a scheduled job outside it."""
    adapter = CloudAdapter(connection_manager=connections or build_connections(settings))
    adapter.on_turn_error = handle_turn_error
    references = await open_references(settings.database_url)
    try:
        yield Outbound(
            adapter=adapter,
            references=references,
            app_id=settings.teams_client_id if settings.teams_authenticated else None,
        )
    finally:
        await references.close()


def _validator(settings: Settings, http: ClientSession) -> TokenValidator | None:
    if not settings.teams_authenticated or settings.teams_client_id is None:
        return None
    urls = metadata_urls(
        tenant_id=settings.teams_tenant_id, override=settings.teams_openid_metadata_url
    )
    return TokenValidator(app_id=settings.teams_client_id, metadata=urls, http=http)


async def _authenticate(
    request: web.Request, validator: TokenValidator
) -> ClaimsIdentity | web.Response:
    """The caller's verified identity; else the 401 (or 503) to send back."""
    try:
        body = await request.json()
    except ValueError:
        return web.json_response({"error": "The body must be a JSON activity."}, status=400)
    service_url = body.get("serviceUrl") if isinstance(body, dict) else None
    try:
        return await validator.validate(
            request.headers.get("Authorization"),
            service_url if isinstance(service_url, str) else None,
        )
    except Unauthorized as refusal:
        log.warning("Refused a Teams request: %s", refusal)
        return web.json_response({"error": "Unauthorized."}, status=401)
    except KeysUnavailable:
        return web.json_response({"error": "Token keys unavailable; retry."}, status=503)


def _log_mode(settings: Settings) -> None:
    if settings.teams_authenticated:
        log.info(
            "Teams: %s accepts Bot Framework activities with a valid token for app %s",
            MESSAGES_PATH,
            settings.teams_client_id,
        )
    else:
        log.warning(
            "Teams: %s runs in LOCAL ANONYMOUS MODE (no "
            "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID): any caller is accepted. "
            "Use it only with the Agents Playground, the Emulator or tests.",
            MESSAGES_PATH,
        )
