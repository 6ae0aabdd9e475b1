"""Who may post to `/api/messages`: JWT validation of every inbound Bot Framework request.

The rules are the Bot Framework's "connector to bot" ones
(https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#connector-to-bot):
a bearer token signed (RS256) by a key published in the issuer's OpenID metadata, with our
app id as audience, not expired (five minutes of clock skew allowed), and a `serviceurl`
claim equal to the activity's `serviceUrl`: a token without one is refused, since the
answer (and our own outbound token) goes to that URL. Trusted issuers are discovered from
their metadata documents: the Bot Framework's, plus Entra ID's for our tenant
(single-tenant bots).

Why not the Agents SDK's own `JwtTokenValidator`: it hard-codes the key URLs
(`login.botframework.com`, `login.microsoftonline.com`) and has no setting to point it
elsewhere, so it cannot be exercised against a local stand-in. This validator takes the
metadata URL from `Settings` (`COACH_TEAMS_OPENID_METADATA_URL`) and hands the SDK the
same `ClaimsIdentity` its middleware would.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jwt
from aiohttp import ClientError, ClientSession, ClientTimeout
from microsoft_agents.hosting.core import ClaimsIdentity

log = logging.getLogger(__name__)

BOT_FRAMEWORK_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
ENTRA_METADATA_URLS = (
    "https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration",
    "https://login.microsoftonline.com/{tenant}/.well-known/openid-configuration",
)
CLOCK_SKEW_SECONDS = 300
# Keys rotate; the docs ask bots to refresh them at least daily. An unknown key id
# triggers an early refresh, at most every few minutes so forged tokens cannot force a
# fetch per request.
KEYS_MAX_AGE_SECONDS = 24 * 3600
KEYS_MIN_REFRESH_SECONDS = 300
_FETCH_TIMEOUT = ClientTimeout(total=10)


class Unauthorized(Exception):
    """The request's token is missing or not acceptable; answer 401 and nothing else."""


class KeysUnavailable(Exception):
    """The issuers' keys could not be fetched, so no token can be judged right now."""


def metadata_urls(*, tenant_id: str | None, override: str | None) -> list[str]:
    """The OpenID metadata documents whose issuers we trust."""
    if override:
        return [override]
    urls = [BOT_FRAMEWORK_METADATA_URL]
    if tenant_id:
        urls.extend(url.format(tenant=tenant_id) for url in ENTRA_METADATA_URLS)
    return urls


@dataclass
class _Issuer:
    name: str
    keys: dict[str, jwt.PyJWK]
    fetched_at: float


class TokenValidator:
    """Validates bearer tokens for one app id against the issuers' published keys."""

    def __init__(self, *, app_id: str, metadata: Sequence[str], http: ClientSession) -> None:
        self._app_id = app_id
        self._metadata = list(metadata)
        self._http = http
        self._issuers: dict[str, _Issuer] = {}
        self._lock = asyncio.Lock()

    async def validate(self, authorization: str | None, service_url: str | None) -> ClaimsIdentity:
        """The token's claims, or `Unauthorized` / `KeysUnavailable`."""
        token = _bearer(authorization)
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        except jwt.PyJWTError as error:
            raise Unauthorized("malformed token") from error
        if not isinstance(kid, str) or not isinstance(issuer, str):
            raise Unauthorized("token without key id or issuer")
        key = await self._key(issuer, kid)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=["RS256"],
                audience=self._app_id,
                issuer=issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(type(error).__name__) from error
        _check_service_url(claims, service_url)
        return ClaimsIdentity(claims, security_token=token)

    async def _key(self, issuer: str, kid: str) -> jwt.PyJWK:
        async with self._lock:
            known = await self._issuer(issuer)
            if kid not in known.keys and time.monotonic() - known.fetched_at > (
                KEYS_MIN_REFRESH_SECONDS
            ):
                await self._refresh()
                known = await self._issuer(issuer)
        key = known.keys.get(kid)
        if key is None:
            raise Unauthorized("unknown signing key")
        return key

    async def _issuer(self, name: str) -> _Issuer:
        stale = any(
            time.monotonic() - i.fetched_at > KEYS_MAX_AGE_SECONDS for i in self._issuers.values()
        )
        failed = False
        if not self._issuers or stale:
            failed = await self._refresh()
        issuer = self._issuers.get(name)
        if issuer is not None:
            return issuer
        if failed:
            raise KeysUnavailable("no metadata document answered for this issuer")
        raise Unauthorized("untrusted issuer")

    async def _refresh(self) -> bool:
        """Fetch every metadata document and its keys; True when any of them failed."""
        failed = False
        for url in self._metadata:
            try:
                fetched = await self._fetch(url)
            except (ClientError, TimeoutError, ValueError, KeyError, jwt.PyJWTError) as error:
                log.error("Cannot fetch Teams token keys from %s: %s", url, type(error).__name__)
                failed = True
                continue
            self._issuers[fetched.name] = fetched
        return failed

    async def _fetch(self, url: str) -> _Issuer:
        async with self._http.get(url, timeout=_FETCH_TIMEOUT) as response:
            response.raise_for_status()
            metadata = await response.json(content_type=None)
        async with self._http.get(str(metadata["jwks_uri"]), timeout=_FETCH_TIMEOUT) as response:
            response.raise_for_status()
            jwks = await response.json(content_type=None)
        keys = {key.key_id: key for key in jwt.PyJWKSet.from_dict(jwks).keys if key.key_id}
        return _Issuer(name=str(metadata["issuer"]), keys=keys, fetched_at=time.monotonic())


def _bearer(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise Unauthorized("no bearer token")
    return token


def _check_service_url(claims: dict[str, Any], service_url: str | None) -> None:
    """A Bot Framework token names the connector it was issued for; it must be this one."""
    claimed = claims.get("serviceurl")
    if not isinstance(claimed, str) or not claimed:
        raise Unauthorized("token without serviceurl claim")
    if not service_url or claimed.rstrip("/").lower() != service_url.rstrip("/").lower():
        raise Unauthorized("serviceurl claim does not match the activity")
