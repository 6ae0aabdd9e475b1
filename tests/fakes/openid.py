"""A loopback stand-in for the token issuer Teams traffic is signed by.

It publishes OpenID metadata and a JWKS for a local RSA key, signs test tokens the way the
Bot Framework does (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#connector-to-bot),
can forge look-alikes signed by a key it never published, and hands out outbound tokens
at an App Service managed-identity endpoint
(https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference),
which MSAL calls when `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` point here.
"""

from __future__ import annotations

import time
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.fakes.loopback import serve_on_loopback

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
KEY_ID = "loopback-key"
IDENTITY_HEADER = "loopback-identity-header"
OUTBOUND_TOKEN = "loopback-outbound-token"


class FakeOpenId:
    """Start with `async with FakeOpenId() as issuer:`; configure `issuer.metadata_url`."""

    def __init__(self, issuer: str = BOT_FRAMEWORK_ISSUER) -> None:
        self.issuer = issuer
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.identity_requests: list[dict[str, str]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}/v1/.well-known/openidconfiguration"

    @property
    def identity_endpoint(self) -> str:
        return f"{self.base_url}/msi/token"

    def token(
        self,
        *,
        audience: str,
        service_url: str | None = None,
        expires_in: float = 3600,
        forged: bool = False,
        issuer: str | None = None,
    ) -> str:
        """A signed bearer token; `forged` signs with an unpublished key under the same kid."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": issuer or self.issuer,
            "aud": audience,
            "nbf": now - 60,
            "iat": now - 60,
            "exp": int(now + expires_in),
        }
        if service_url is not None:
            claims["serviceurl"] = service_url
        key = self._forger if forged else self._key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID})

    async def __aenter__(self) -> FakeOpenId:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/v1/.well-known/keys", self._keys)
        app.router.add_get("/msi/token", self._identity_token)
        self._runner, self.port = await serve_on_loopback(app)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _metadata(self, _request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": self.issuer,
                "jwks_uri": f"{self.base_url}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _keys(self, _request: web.Request) -> web.Response:
        jwk = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        jwk.update({"kid": KEY_ID, "use": "sig", "alg": "RS256"})
        return web.json_response({"keys": [jwk]})

    async def _identity_token(self, request: web.Request) -> web.Response:
        if request.headers.get("X-IDENTITY-HEADER") != IDENTITY_HEADER:
            return web.json_response({"statusCode": 401, "message": "bad header"}, status=401)
        self.identity_requests.append(dict(request.query))
        return web.json_response(
            {
                "access_token": OUTBOUND_TOKEN,
                "expires_on": str(int(time.time()) + 3600),
                "resource": request.query.get("resource", ""),
                "token_type": "Bearer",
            }
        )
