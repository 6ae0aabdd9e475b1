"""One log line per HTTP request: what was asked and how it ended, never what was sent.

The line carries the method, the path (no query string: OAuth callbacks put codes there),
the status, the duration, the declared body size and a request id, which is also sent back
as `X-Request-Id` so a user's report can be matched to the line. A handler that fails
unexpectedly is answered with a plain 500 and logged with its exception's class only.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from aiohttp import web
from aiohttp.typedefs import Handler

log = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-Id"
# A caller's id is kept only when it is short and plain; anything else gets a fresh one.
_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
MAX_PATH_CHARS = 120


@web.middleware
async def request_log(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Log the request's outcome; unexpected failures become a 500 without their text."""
    started = time.perf_counter()
    request_id = _request_id(request)
    try:
        response = await handler(request)
    except web.HTTPException as refusal:
        refusal.headers[REQUEST_ID_HEADER] = request_id
        _log_outcome(request, refusal.status, started, request_id)
        raise
    except Exception as error:
        log.error(
            "request failed", exc_info=(type(error), error, None), extra={"request_id": request_id}
        )
        response = web.json_response({"error": "internal error"}, status=500)
    response.headers[REQUEST_ID_HEADER] = request_id
    _log_outcome(request, response.status, started, request_id)
    return response


def _log_outcome(request: web.Request, status: int, started: float, request_id: str) -> None:
    log.info(
        "request",
        extra={
            "method": request.method,
            "path": request.path[:MAX_PATH_CHARS],
            "status": status,
            "seconds": round(time.perf_counter() - started, 4),
            "size": request.content_length or 0,
            "request_id": request_id,
        },
    )


def _request_id(request: web.Request) -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if _PLAIN_ID.fullmatch(offered) else uuid.uuid4().hex
