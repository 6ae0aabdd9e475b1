"""The `coach` command line, as fixed by `coaching-contract.md`.

`bot.cli.root` builds the app from one module per command group; `bot.cli.options` is the
leaf they share (the common options and the one way of failing). Every command builds its
service from Settings inside its own function, runs one asyncio loop, and turns anything
the user must fix into one line on stderr, exit status 2 and, with `--json`, an error
object on stdout. No stack trace reaches a user.
"""

from __future__ import annotations

from bot.cli.root import app, main

__all__ = ["app", "main"]
