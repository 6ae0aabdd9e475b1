"""The one aiohttp application `coach serve` runs; platform endpoints mount onto it."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.logging_setup import configure_logging
from bot.metrics import create_metrics
from bot.ops_routes import mount_ops
from bot.slack.app import mount_slack
from bot.teams.hosting import mount_teams
from bot.wiring import coach_service
from coaching.config import Settings
from coaching.service import CoachService

log = logging.getLogger(__name__)

SERVICE_KEY = web.AppKey("service", CoachService)


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def build_app(settings: Settings) -> web.Application:
    """The web application; the coaching service opens with it and closes with it."""
    app = web.Application()
    app.router.add_get("/healthz", healthz)
    metrics = create_metrics()
    mount_ops(app, settings.database_url, metrics)

    async def service_context(app: web.Application) -> AsyncIterator[None]:
        async with coach_service(settings, metrics) as service:
            app[SERVICE_KEY] = service
            # Everything built so far lives as long as the process: keep it out of the
            # cyclic collector, whose full passes over it otherwise stall requests.
            gc.freeze()
            yield

    app.cleanup_ctx.append(service_context)
    mount_slack(app, settings, SERVICE_KEY)
    mount_teams(app, settings, SERVICE_KEY)
    return app


def run_server(settings: Settings, *, host: str, port: int) -> None:
    configure_logging(settings.log_level)
    log.info("salescoach listening on http://%s:%d", host, port)
    web.run_app(build_app(settings), host=host, port=port, print=None)
