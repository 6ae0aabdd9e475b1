"""Start a stand-in's aiohttp app on a free loopback port: the one way every fake listens."""

from __future__ import annotations

import asyncio
import ssl
import threading
from typing import Self

from aiohttp import web


async def serve_on_loopback(
    app: web.Application, tls: ssl.SSLContext | None = None
) -> tuple[web.AppRunner, int]:
    """The running app's runner (to `cleanup()` later) and the port it got; HTTPS with
    `tls` (see `tests.fakes.tls`)."""
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=tls).start()
    return runner, int(runner.addresses[0][1])


async def stop_serving(runner: web.AppRunner) -> None:
    """Stop listening and close every connection, TLS ones included, before returning.

    `cleanup()` closes a TLS connection gracefully: its socket stays open until the client
    answers with its own close_notify (asyncio waits up to 30 s), which an idle keep-alive
    client never sends. A stand-in's loop stopped then leaves that socket unclosed, so what
    is still open after `cleanup()` is aborted.
    """
    server = runner.server
    handlers = list(server.connections) if server is not None else []
    transports = [handler.transport for handler in handlers if handler.transport is not None]
    await runner.cleanup()
    for transport in transports:
        transport.abort()
    # Let the aborted transports' `connection_lost` callbacks run.
    await asyncio.sleep(0)


class ThreadedStandIn:
    """A stand-in serving its app from an event loop on a thread of its own.

    For clients that block (hubspot-api-client) or run their own loops (`openai` under
    `asyncio.run`): the fake must keep answering while the test's thread waits. Subclasses
    say what the app serves; starting, stopping and closing the loop are done here once.
    """

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0
        self.tls: ssl.SSLContext | None = None

    def app(self) -> web.Application:
        """The routes this stand-in answers."""
        raise NotImplementedError

    def start(self) -> Self:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        """Close the app's connections, then stop the loop, then close it: in that order, as
        a loop closed under open transports fails their cleanup ("Event loop is closed")."""
        asyncio.run_coroutine_threadsafe(self._shut_down(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _shut_down(self) -> None:
        if self._runner is not None:
            await stop_serving(self._runner)
        await self._loop.shutdown_asyncgens()

    async def _serve(self) -> None:
        self._runner, self.port = await serve_on_loopback(self.app(), self.tls)
