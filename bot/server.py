"""The one aiohttp application `coach serve` runs; platform endpoints mount onto it.

A worker imports only what its configuration uses: the Teams adapter (and the Microsoft
365 Agents SDK under it) only when Teams is configured, the job queue client (saq, redis)
only with `COACH_QUEUE_URL`. A Slack-only worker stays near a bare Bolt app in memory.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.handoff import Handoff
from bot.logging_setup import configure_logging
from bot.metrics import create_metrics
from bot.ops_routes import HEALTH_KEY, mount_ops
from bot.request_log import request_log
from bot.slack.app import mount_slack
from bot.wiring import Root, open_root
from coaching.service import CoachService
from config.settings import Settings
from storage.health_repo import SqlHealth

log = logging.getLogger(__name__)

# The composition root: the one database engine and everything built on it.
ROOT_KEY = web.AppKey("root", Root)
# Just the coaching service, kept for callers that need nothing else.
SERVICE_KEY = web.AppKey("service", CoachService)
# The job queue slow turns are handed to; absent without COACH_QUEUE_URL.
HANDOFF_KEY = web.AppKey("handoff", Handoff)


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def build_app(settings: Settings) -> web.Application:
    """The web application; the composition root opens with it and closes with it, and
    every endpoint (Slack, Teams, the probes) works on that root's one engine."""
    app = web.Application(middlewares=[request_log])
    app.router.add_get("/healthz", healthz)
    metrics = create_metrics()
    mount_ops(app, metrics)

    async def service_context(app: web.Application) -> AsyncIterator[None]:
        # The web process posts no digests or reminders (the worker and the scheduler do),
        # so it builds no senders: a Slack-only process never imports the Teams SDK.
        async with open_root(settings, metrics, senders=()) as root:
            app[ROOT_KEY] = root
            app[SERVICE_KEY] = root.services.coach
            app[HEALTH_KEY] = SqlHealth(root.engine, settings.database.url)
            # Everything built so far lives as long as the process: keep it out of the
            # cyclic collector, whose full passes over it otherwise stall requests.
            gc.freeze()
            yield

    async def handoff_context(app: web.Application) -> AsyncIterator[None]:
        from bot.queue import open_handoff

        async with open_handoff(settings) as handoff:
            if handoff is not None:
                app[HANDOFF_KEY] = handoff
                metrics.watch_queue(handoff)
            yield

    app.cleanup_ctx.append(service_context)
    if settings.queue.url:
        app.cleanup_ctx.append(handoff_context)
    mount_slack(app, settings, ROOT_KEY, HANDOFF_KEY)
    if settings.teams.enabled:
        from bot.teams.hosting import mount_teams

        mount_teams(app, settings, ROOT_KEY, HANDOFF_KEY)
    else:
        log.info(
            "Teams: /api/messages is not served (no "
            "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID, and "
            "COACH_TEAMS_ALLOW_ANONYMOUS is off)"
        )
    return app


def run_server(settings: Settings, *, host: str, port: int) -> None:
    """Serve until stopped; CoachingError for a configuration that must not start."""
    if settings.teams.enabled:
        from bot.teams.hosting import check_teams_bind

        check_teams_bind(settings, host)
    configure_logging(settings.server.log_level)
    log.info("salescoach listening on http://%s:%d", host, port)
    # `request_log` writes one line per request; aiohttp's access log would repeat it.
    web.run_app(build_app(settings), host=host, port=port, print=None, access_log=None)
