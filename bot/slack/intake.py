"""The first look at a POST to `/slack/events`, before Bolt parses anything.

Bolt decodes and parses a body before it checks the signature, so a body that was not
UTF-8, JSON or a form ended in a 500, signed or not. Here the signature is checked over the
raw bytes first (https://api.slack.com/authentication/verifying-requests-from-slack):
a request without the signing headers, or with a timestamp that is not a number, is a 400;
a wrong or stale signature is a 401, as Bolt answers it. A signed body that still cannot be
read is acknowledged with an empty 200, because Slack re-delivers anything else
(https://api.slack.com/apis/events-api#retries) and the same bytes would fail again.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from collections.abc import Sequence

from aiohttp import web
from slack_bolt.request.async_request import AsyncBoltRequest

log = logging.getLogger(__name__)

# Slack refuses requests older than five minutes; so does Bolt.
MAX_AGE_SECONDS = 5 * 60
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


async def admit(request: web.Request, signing_secret: str) -> AsyncBoltRequest | web.Response:
    """The request for Bolt, or the answer to send instead of dispatching it."""
    raw = await request.read()
    stamp = request.headers.get("X-Slack-Request-Timestamp", "")
    signature = request.headers.get("X-Slack-Signature", "")
    if not (_TIMESTAMP.fullmatch(stamp) and signature):
        return web.json_response({"error": "not a signed Slack request"}, status=400)
    if not signing_secret or not _signed(raw, stamp, signature, signing_secret):
        return web.json_response({"error": "invalid request"}, status=401)
    headers: dict[str, str | Sequence[str]] = dict(request.headers)
    try:
        return AsyncBoltRequest(
            body=raw.decode("utf-8"), query=request.query_string, headers=headers
        )
    # Whatever decoding or Bolt's parsing raises (a list for a body, a number for a team)
    # means the same thing: these bytes will never be a request.
    except Exception as error:
        log.warning(
            "Acknowledged a signed Slack request whose body could not be read",
            exc_info=(type(error), error, None),
            extra={"size": len(raw)},
        )
        return web.Response(status=200)


def _signed(raw: bytes, stamp: str, signature: str, secret: str) -> bool:
    if abs(time.time() - int(stamp)) > MAX_AGE_SECONDS:
        return False
    base = b"v0:" + stamp.encode() + b":" + raw
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))
