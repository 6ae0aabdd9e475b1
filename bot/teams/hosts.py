"""Which hosts the Teams adapter may talk to, decided before any request leaves the process.

A Bot Framework activity names the connector to answer (`serviceUrl`) and, for files, the
URL to download them from. Both come from the caller, so each is checked against an
allowlist from `Settings` (`COACH_TEAMS_SERVICE_HOSTS`, `COACH_TEAMS_FILE_HOSTS`): the coach
never sends its bearer token or a user's data to a host, or fetches a URL, that Microsoft
does not run. An entry is `[http://|https://][*.]host[:port]`: no scheme means https only,
`*.` any subdomain (not the domain itself), no port any port.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

_DEFAULT_PORTS = {"https": 443, "http": 80}
# Parsers disagree on hosts with backslashes, percent-escapes or non-ASCII characters;
# such a host is refused rather than guessed at.
_PLAIN_HOST = re.compile(r"[a-z0-9.-]+")


@dataclass(frozen=True)
class _Entry:
    scheme: str
    host: str
    wildcard: bool
    port: int | None

    @classmethod
    def parse(cls, entry: str) -> _Entry:
        scheme, _, rest = entry.rpartition("://")
        host, _, port = rest.partition(":")
        wildcard = host.startswith("*.")
        return cls(
            scheme=scheme or "https",
            host=host.removeprefix("*.") if wildcard else host,
            wildcard=wildcard,
            port=int(port) if port else None,
        )

    def matches(self, url: SplitResult, port: int) -> bool:
        host = (url.hostname or "").rstrip(".")
        named = host.endswith(f".{self.host}") if self.wildcard else host == self.host
        return named and url.scheme == self.scheme and self.port in (None, port)


class HostAllowlist:
    """A set of `Settings` host entries; `allows(url)` says whether a URL may be used."""

    def __init__(self, entries: Iterable[str]) -> None:
        self._entries = tuple(_Entry.parse(entry) for entry in entries)

    def allows(self, url: str | None) -> bool:
        """True for an absolute URL on an allowed scheme, host and port, without userinfo."""
        if not url:
            return False
        try:
            parsed = urlsplit(url)
            port = parsed.port or _DEFAULT_PORTS.get(parsed.scheme, 0)
        except ValueError:
            return False
        if parsed.username is not None or parsed.password is not None:
            return False
        if not _PLAIN_HOST.fullmatch(parsed.hostname or ""):
            return False
        return any(entry.matches(parsed, port) for entry in self._entries)
