"""Slack's v0 request signature over raw bytes, which may not even be UTF-8.

The harness's signer goes through `slack_sdk`, which decodes the body first; a fuzzer
needs to sign exactly the bytes it sends
(https://api.slack.com/authentication/verifying-requests-from-slack).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from tests.slack.harness import SIGNING_SECRET


def signed_headers(
    body: bytes, *, timestamp: str | None = None, secret: str = SIGNING_SECRET
) -> dict[str, str]:
    stamp = str(int(time.time())) if timestamp is None else timestamp
    base = b"v0:" + stamp.encode() + b":" + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}
