"""`/readyz` and `/metrics` on the aiohttp app, next to `/healthz`.

`/healthz` says the process runs; `/readyz` says it can serve (the database answers), so a
load balancer stops routing to a worker whose database went away.
"""

from __future__ import annotations

from aiohttp import web

from bot.metrics import Metrics
from storage.health_repo import SqlHealth

METRICS_KEY = web.AppKey("metrics", Metrics)
HEALTH_KEY = web.AppKey("health", SqlHealth)


async def readyz(request: web.Request) -> web.Response:
    problem = await request.app[HEALTH_KEY].problem()
    if problem is not None:
        return web.json_response({"status": "unavailable", "reason": problem}, status=503)
    return web.json_response({"status": "ok"})


async def metrics_endpoint(request: web.Request) -> web.Response:
    metrics = request.app[METRICS_KEY]
    health = request.app[HEALTH_KEY]
    if await health.problem() is None:
        metrics.digests_sent(await health.digests_sent())
        metrics.feedback_rated(await health.feedback_totals())
    await metrics.refresh_queue_depth()
    body, content_type = metrics.exposition()
    return web.Response(body=body, headers={"Content-Type": content_type})


def mount_ops(app: web.Application, metrics: Metrics) -> None:
    """Add the probe and metrics routes; whoever opens the database puts its `SqlHealth`
    under `HEALTH_KEY` (`bot.server`: on the composition root's engine)."""
    app[METRICS_KEY] = metrics
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_endpoint)
