"""The Slack adapter's factory and its place in the one aiohttp server.

`mount_slack()` adds `/slack/events` (events, commands, interactivity) and, for
multi-workspace installs, the OAuth routes. The Bolt app itself is built when the server
starts, after the coaching services: `build_slack_app()` takes them from there, and the Web
API base URL from `SLACK_API_URL`, so tests point the whole adapter at a loopback stand-in.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from enum import StrEnum

from aiohttp import ClientSession, web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.handoff import Handoff
from bot.slack.assistant import AssistantDesk
from bot.slack.commitments import CommitmentDesk
from bot.slack.delivery import web_client
from bot.slack.feedback import FeedbackDesk
from bot.slack.intake import admit
from bot.slack.listeners import Listeners, register_listeners
from bot.slack.oauth import INSTALL_PATH, REDIRECT_PATH, build_oauth_settings, secret
from bot.slack.privacy import PrivacyDesk
from bot.slack.profiles import UserDirectory
from bot.slack.trust import TrustDesk
from bot.slack.turns import SlackCoach
from bot.slack.why import WhyDesk
from bot.wiring import Root, Services
from bot.work import BackgroundWork
from coaching.errors import CoachingError
from coaching.review.documents import FileLimits
from config.settings import Settings
from storage.slack_store import SlackStores

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# On shutdown, replies already being prepared get this long to reach their users.
SHUTDOWN_GRACE_SECONDS = 30.0


class SlackMode(StrEnum):
    SINGLE = "single"  # one workspace: SLACK_BOT_TOKEN
    OAUTH = "oauth"  # any workspace: SLACK_CLIENT_ID + SLACK_CLIENT_SECRET


@dataclass
class SlackRuntime:
    """The mounted adapter: its Bolt app once the server has started, and its work."""

    work: BackgroundWork = field(default_factory=BackgroundWork)
    bolt: AsyncApp | None = None
    # Checked over the raw bytes before Bolt parses them (`bot.slack.intake`).
    signing_secret: str = ""

    async def drain(self) -> None:
        """Wait until every reply started so far has been delivered (tests, shutdown)."""
        await self.work.drain()

    def started(self) -> AsyncApp:
        if self.bolt is None:
            raise web.HTTPServiceUnavailable(text="Slack adapter is starting")
        return self.bolt


SLACK_KEY = web.AppKey("slack", SlackRuntime)


def slack_mode(settings: Settings) -> SlackMode | None:
    """Which install mode the settings ask for; None when Slack is not configured at all.

    Half a configuration is an error at start-up, not a silent 401 at the first message.
    """
    token, signing = secret(settings.slack.bot_token), secret(settings.slack.signing_secret)
    client_id, client_secret = settings.slack.client_id, secret(settings.slack.client_secret)
    needs_signing = not settings.slack.socket_mode
    if settings.slack.socket_mode and not secret(settings.slack.app_token):
        raise _config_error("Socket Mode needs SLACK_APP_TOKEN (an xapp- token).")
    if client_id or client_secret:
        if not (client_id and client_secret and (signing or not needs_signing)):
            raise _config_error(
                "Multi-workspace Slack needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and "
                "SLACK_SIGNING_SECRET."
            )
        return SlackMode.OAUTH
    if token:
        if needs_signing and not signing:
            raise _config_error("SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is missing.")
        return SlackMode.SINGLE
    if settings.slack.socket_mode:
        raise _config_error("Socket Mode needs SLACK_BOT_TOKEN (or the OAuth settings).")
    return None


def build_slack_coach(
    settings: Settings,
    services: Services,
    *,
    work: BackgroundWork,
    session: ClientSession,
    users: UserDirectory,
    handoff: Handoff | None = None,
) -> SlackCoach:
    """The coaching side of the adapter: the same for the web process and a worker."""
    return SlackCoach(
        services.coach,
        services.review,
        limits=FileLimits(
            max_bytes=settings.limits.max_file_bytes, max_chars=settings.limits.max_document_chars
        ),
        work=work,
        session=session,
        users=users,
        default_tz=settings.coaching.default_timezone,
        handoff=handoff,
        company=settings.coaching.company_name,
    )


def build_slack_app(
    settings: Settings,
    services: Services,
    *,
    work: BackgroundWork,
    session: ClientSession,
    stores: SlackStores | None = None,
    handoff: Handoff | None = None,
) -> AsyncApp:
    """A Bolt app for these settings; OAuth when `stores` are given, else one workspace.
    With a `handoff`, coaching turns go to the job queue after their status shows."""
    client = web_client(settings, session, None if stores else secret(settings.slack.bot_token))
    app = AsyncApp(
        name="salescoach",
        logger=logging.getLogger("bot.slack.bolt"),
        client=client,
        signing_secret=secret(settings.slack.signing_secret) or "",
        oauth_settings=build_oauth_settings(settings, stores) if stores else None,
        # Listeners only ack and hand over, so Bolt can answer once they return: the
        # response never waits for coaching, and nothing is spawned after the ack.
        process_before_response=True,
    )
    users = UserDirectory()
    tz = settings.coaching.default_timezone
    service = services.coach
    coach = build_slack_coach(
        settings, services, work=work, session=session, users=users, handoff=handoff
    )
    desk = CommitmentDesk(service, session=session, users=users, default_tz=tz)
    trust = TrustDesk(service, users=users, default_tz=tz)
    listeners = Listeners(
        coach,
        desk,
        trust=trust,
        why=WhyDesk(service),
        feedback=FeedbackDesk(services.feedback),
        assistant=AssistantDesk(services.team),
        work=work,
        session=session,
    )
    privacy = PrivacyDesk(services.privacy, work=work, session=session)
    register_listeners(app, listeners, privacy, oauth=stores is not None)
    return app


def mount_slack(
    web_app: web.Application,
    settings: Settings,
    root_key: web.AppKey[Root],
    handoff_key: web.AppKey[Handoff] | None = None,
) -> None:
    """Add the Slack routes when Slack is configured; a no-op otherwise. Turns go to the
    job queue that `handoff_key` names on the app, when there is one.

    Raises CoachingError (`config.slack`) for half a configuration, before anything starts.
    """
    mode = slack_mode(settings)
    if mode is None:
        return
    runtime = SlackRuntime(signing_secret=secret(settings.slack.signing_secret) or "")
    web_app[SLACK_KEY] = runtime

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            session = await stack.enter_async_context(ClientSession())
            root = app[root_key]
            runtime.bolt = build_slack_app(
                settings,
                root.services,
                work=runtime.work,
                session=session,
                stores=root.slack if mode is SlackMode.OAUTH else None,
                handoff=app.get(handoff_key) if handoff_key is not None else None,
            )
            stack.push_async_callback(runtime.work.close, timeout=SHUTDOWN_GRACE_SECONDS)
            if settings.slack.socket_mode:
                await _connect_socket_mode(stack, runtime.bolt, settings)
            log.info("Slack adapter ready (%s workspace mode)", mode.value)
            yield

    web_app.cleanup_ctx.append(lifetime)
    if not settings.slack.socket_mode:
        # Over Socket Mode nothing arrives by HTTP, and there may be no secret to verify it.
        web_app.router.add_post(EVENTS_PATH, _events)
    if mode is SlackMode.OAUTH:
        web_app.router.add_get(INSTALL_PATH, _install)
        web_app.router.add_get(REDIRECT_PATH, _oauth_redirect)


async def _connect_socket_mode(stack: AsyncExitStack, bolt: AsyncApp, settings: Settings) -> None:
    """Development without a public URL: Slack pushes the same payloads over a WebSocket.
    The Socket Mode client is imported here: a worker serving HTTP events never holds it."""
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(bolt, app_token=secret(settings.slack.app_token))
    # Bolt leaves these two unannotated; naming their types keeps the calls checked.
    connect: Callable[[], Awaitable[None]] = handler.connect_async
    close: Callable[[], Awaitable[None]] = handler.close_async
    await connect()
    stack.push_async_callback(close)


async def _events(request: web.Request) -> web.Response:
    runtime = request.app[SLACK_KEY]
    bolt = runtime.started()
    with runtime.work.acknowledging():
        admitted = await admit(request, runtime.signing_secret)
        if isinstance(admitted, web.Response):
            return admitted
        return await to_aiohttp_response(await bolt.async_dispatch(admitted))


async def _install(request: web.Request) -> web.Response:
    flow = _oauth_flow(request)
    return await to_aiohttp_response(await flow.handle_installation(_page_visit(request)))


async def _oauth_redirect(request: web.Request) -> web.Response:
    flow = _oauth_flow(request)
    return await to_aiohttp_response(await flow.handle_callback(_page_visit(request)))


def _page_visit(request: web.Request) -> AsyncBoltRequest:
    """An OAuth page visit as Bolt reads it: the query and the cookies. A body sent with the
    GET is ignored; Bolt's own adapter would decode it, and fail on bytes that are not UTF-8."""
    headers: dict[str, str | Sequence[str]] = dict(request.headers)
    return AsyncBoltRequest(body="", query=request.query_string, headers=headers)


def _oauth_flow(request: web.Request) -> AsyncOAuthFlow:
    flow = request.app[SLACK_KEY].started().oauth_flow
    if flow is None:
        raise web.HTTPNotFound()
    return flow


def _config_error(message: str) -> CoachingError:
    return CoachingError("config.slack", message)
