"""Hosting: `/api/messages` on the one aiohttp app, the SDK adapter, and who may call it.

Built on the Microsoft 365 Agents SDK for Python, the successor of the archived
botbuilder-python; it speaks the same Bot Framework activity protocol
(https://learn.microsoft.com/microsoft-365/agents-sdk/bf-migration-python).
Configuration follows the SDK's environment convention
(`CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID`, `__CLIENTSECRET`, `__TENANTID`),
read by `config.settings` only. Without a client id nothing is mounted, unless
`COACH_TEAMS_ALLOW_ANONYMOUS` asks for local anonymous mode (the Agents Playground, the Bot
Framework Emulator, tests): any caller is accepted then, so the server must listen on a
loopback address only, and it logs the mode at start. In every mode an activity whose
`serviceUrl` is not on `COACH_TEAMS_SERVICE_HOSTS` is refused before anything runs.
A message activity is answered 202 once admitted, and the SDK's turn for it runs after the
request (`bot.teams.background`), as does the coaching, so a burst of messages gets its HTTP
answers at once; invokes, whose answer is the response body, run within their request.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientSession, web
from microsoft_agents.activity import Activity, ActivityTypes, DeliveryModes
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
from bot.teams.background import ConversationTurns
from bot.teams.hosts import HostAllowlist
from bot.teams.proactive import Outbound
from bot.teams.turns import TeamsCoach
from bot.wiring import Root, Services
from bot.work import MAX_DEFER_SECONDS, BackgroundWork
from coaching.errors import CoachingError
from coaching.review.documents import FileLimits
from config.settings import Settings
from storage.references import SqlConversationReferences

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
# How long a stopping server waits for slow answers that are still being prepared.
DRAIN_SECONDS = 5.0
# A coaching turn waits this long at most for a burst of requests to be answered: typing
# shows meanwhile, and the answer was never due within the request.
TURN_DEFER_SECONDS = 3.0
# The SDK's turns of admitted messages (typing, commands) run this many at once.
ACTIVITIES_AT_ONCE = 64
NOT_AN_ACTIVITY = "The body is not a Bot Framework activity."


@dataclass(frozen=True)
class TeamsEndpoint:
    """What one request needs; present on the web app while it runs."""

    adapter: CloudAdapter
    agent: AgentApplication[TurnState]
    validator: TokenValidator | None
    outbound: Outbound
    work: BackgroundWork
    """What runs after the requests; `drain()` waits for all of it (tests, shutdown)."""
    activities: ConversationTurns
    """The SDK's turns of message activities, run after their 202."""


TEAMS_KEY = web.AppKey("teams", TeamsEndpoint)


def mount_teams(
    web_app: web.Application,
    settings: Settings,
    root_key: web.AppKey[Root],
    handoff_key: web.AppKey[Handoff] | None = None,
) -> None:
    """Serve Teams at `/api/messages`; `bot.server` calls this only when Teams is configured
    (an app id, or local anonymous mode asked for), so a deployment without Teams never
    imports this module or the SDK. The agent starts after the coaching services; coaching
    turns go to the job queue that `handoff_key` names, when there is one."""

    async def teams_context(app: web.Application) -> AsyncIterator[None]:
        connections = build_connections(settings)
        root = app[root_key]
        outbound = teams_outbound(settings, root.references, connections)
        async with ClientSession() as http:
            handoff = app.get(handoff_key) if handoff_key is not None else None
            work = BackgroundWork()
            coach = build_teams_coach(settings, root.services, outbound, http, handoff, work=work)
            app[TEAMS_KEY] = TeamsEndpoint(
                adapter=outbound.adapter,
                agent=build_agent(coach, connections),
                validator=_validator(settings, http),
                outbound=outbound,
                work=work,
                activities=ConversationTurns(work, ACTIVITIES_AT_ONCE, defer=MAX_DEFER_SECONDS),
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
    *,
    work: BackgroundWork | None = None,
) -> TeamsCoach:
    """The coaching side of the adapter: the same for the web process and a worker; turns
    run on `work`, the web process's work after its requests."""
    work = work if work is not None else BackgroundWork()
    return TeamsCoach(
        service=services.coach,
        review=services.review,
        privacy=services.privacy,
        outbound=outbound,
        http=http,
        default_timezone=settings.coaching.default_timezone,
        reply_budget_seconds=settings.teams.reply_budget_seconds,
        stream_after_seconds=settings.teams.stream_after_seconds,
        file_hosts=HostAllowlist(settings.teams.file_hosts),
        file_limits=FileLimits(
            max_bytes=settings.limits.max_file_bytes, max_chars=settings.limits.max_document_chars
        ),
        handoff=handoff,
        company=settings.coaching.company_name,
        feedback=services.feedback,
        turns=ConversationTurns(work, settings.teams.concurrent_turns, defer=TURN_DEFER_SECONDS),
    )


async def handle_messages(request: web.Request) -> web.Response:
    """One Bot Framework activity: authenticate it, check where the answer would go, then
    let the SDK run the agent, after a 202 for a message."""
    endpoint = request.app[TEAMS_KEY]
    with endpoint.work.acknowledging():
        admitted = await _admit(request, endpoint)
        if isinstance(admitted, web.Response):
            return admitted
        if not _answered_through_connector(admitted.body):
            return await _run_agent(admitted, endpoint)
        try:
            activity = Activity.model_validate(admitted.body)
        except ValidationError:
            return web.json_response({"error": NOT_AN_ACTIVITY}, status=400)
        conversation = activity.conversation.id if activity.conversation is not None else ""
        endpoint.activities.start(conversation, _run_later(admitted, endpoint))
        return web.Response(status=202)


async def _admit(request: web.Request, endpoint: TeamsEndpoint) -> _VerifiedRequest | web.Response:
    """The request as the SDK reads it, once its caller and `serviceUrl` are allowed; else
    the refusal to send."""
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return web.json_response({"error": "The body must be a JSON activity."}, status=400)
    service_url = body.get("serviceUrl")
    service_url = service_url if isinstance(service_url, str) else None
    identity: ClaimsIdentity | None = None
    if endpoint.validator is not None:
        verdict = await _authenticate(request, endpoint.validator, service_url)
        if isinstance(verdict, web.Response):
            return verdict
        identity = verdict
    if service_url is None:
        return web.json_response({"error": NOT_AN_ACTIVITY}, status=400)
    if not endpoint.outbound.service_hosts.allows(service_url):
        log.warning("Refused a Teams activity whose serviceUrl is not an allowed host")
        return web.json_response(
            {"error": "The serviceUrl is not a Bot Framework or Teams host."}, status=403
        )
    return _VerifiedRequest(request, body, identity)


def _answered_through_connector(body: dict[str, Any]) -> bool:
    """A message whose every answer goes through the connector, so the request needs none:
    not an invoke (its answer is the response body), nor `expectReplies` (the replies are)."""
    return body.get("type") == ActivityTypes.message and body.get("deliveryMode") != (
        DeliveryModes.expect_replies
    )


async def _run_later(verified: _VerifiedRequest, endpoint: TeamsEndpoint) -> None:
    """The SDK's turn of a message already acknowledged; what it sends goes through the
    connector, and a failure only to the log (the agent's error handler told the rep)."""
    try:
        await endpoint.adapter.process_request(verified, endpoint.agent)
    except Exception:
        log.exception("Teams activity could not be processed")


async def _run_agent(verified: _VerifiedRequest, endpoint: TeamsEndpoint) -> web.Response:
    """The SDK's answer to an admitted activity, as an aiohttp response."""
    try:
        answer = await endpoint.adapter.process_request(verified, endpoint.agent)
    except ValidationError:
        return web.json_response({"error": NOT_AN_ACTIVITY}, status=400)
    except Exception:
        log.exception("Teams activity could not be processed")
        return web.json_response({"error": "The activity could not be processed."}, status=500)
    if answer.body is not None:
        return web.json_response(answer.body, status=answer.status_code, headers=answer.headers)
    return web.Response(status=answer.status_code, headers=answer.headers)


class _VerifiedRequest:
    """The SDK's `HttpRequestProtocol` over an aiohttp request's parsed body, carrying the
    identity our validator established (None: anonymous), instead of a string key on the
    request; usable after the request was answered."""

    def __init__(
        self, request: web.Request, body: dict[str, Any], identity: ClaimsIdentity | None
    ) -> None:
        self._method = request.method
        self._headers: Mapping[str, str] = dict(request.headers)
        self._params = dict(request.match_info)
        self._body = body
        self._identity = identity

    @property
    def method(self) -> str:
        return self._method

    @property
    def headers(self) -> Mapping[str, str]:
        return self._headers

    @property
    def body(self) -> dict[str, Any]:
        return self._body

    async def json(self) -> dict[str, Any]:
        return self._body

    def get_claims_identity(self) -> ClaimsIdentity | None:
        return self._identity

    def get_path_param(self, name: str) -> str:
        return self._params[name]


def build_connections(settings: Settings) -> MsalConnectionManager:
    """The SDK's connection (outbound tokens) from Settings; anonymous without a client id."""
    if not settings.teams.authenticated:
        config = AgentAuthConfiguration(anonymous_allowed=True)
    else:
        secret = settings.teams.client_secret
        config = AgentAuthConfiguration(
            auth_type=AuthTypes(settings.teams.auth_type),
            client_id=settings.teams.client_id,
            tenant_id=settings.teams.tenant_id,
            client_secret=secret.get_secret_value() if secret is not None else None,
        )
    return MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": config})


def teams_outbound(
    settings: Settings,
    references: SqlConversationReferences,
    connections: MsalConnectionManager | None = None,
) -> Outbound:
    """What `send_proactive` needs, for the server or a scheduled job outside it; the
    references are the root's (`bot.wiring.Root.references`)."""
    adapter = CloudAdapter(connection_manager=connections or build_connections(settings))
    adapter.on_turn_error = handle_turn_error
    return Outbound(
        adapter=adapter,
        references=references,
        app_id=settings.teams.client_id if settings.teams.authenticated else None,
        service_hosts=HostAllowlist(settings.teams.service_hosts),
    )


def _validator(settings: Settings, http: ClientSession) -> TokenValidator | None:
    if not settings.teams.authenticated or settings.teams.client_id is None:
        return None
    urls = metadata_urls(
        tenant_id=settings.teams.tenant_id, override=settings.teams.openid_metadata_url
    )
    return TokenValidator(app_id=settings.teams.client_id, metadata=urls, http=http)


async def _authenticate(
    request: web.Request, validator: TokenValidator, service_url: str | None
) -> ClaimsIdentity | web.Response:
    """The caller's verified identity; else the 401 (or 503) to send back."""
    try:
        return await validator.validate(request.headers.get("Authorization"), service_url)
    except Unauthorized as refusal:
        log.warning("Refused a Teams request: %s", refusal)
        return web.json_response({"error": "Unauthorized."}, status=401)
    except KeysUnavailable:
        return web.json_response({"error": "Token keys unavailable; retry."}, status=503)


def _log_mode(settings: Settings) -> None:
    if settings.teams.authenticated:
        log.info(
            "Teams: %s accepts Bot Framework activities with a valid token for app %s",
            MESSAGES_PATH,
            settings.teams.client_id,
        )
    else:
        log.warning(
            "Teams: %s runs in LOCAL ANONYMOUS MODE (COACH_TEAMS_ALLOW_ANONYMOUS, no "
            "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID): any local caller is "
            "accepted. Use it only with the Agents Playground, the Emulator or tests.",
            MESSAGES_PATH,
        )


def check_teams_bind(settings: Settings, host: str) -> None:
    """Local anonymous mode accepts any caller, so it may only listen on loopback.

    Raises CoachingError (`config.teams`) before anything starts.
    """
    if settings.teams.anonymous and not _loopback(host):
        raise CoachingError(
            "config.teams",
            f"Teams local anonymous mode (COACH_TEAMS_ALLOW_ANONYMOUS) accepts any caller, so "
            f"it only listens on 127.0.0.1, ::1 or localhost, not {host or 'every interface'}. "
            "Configure CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID to serve Teams there.",
        )


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
