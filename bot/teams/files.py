"""Proposal files attached in a personal chat: find them, download them, read their text.

Teams hands a bot a pre-authenticated `downloadUrl` for each file a user attaches in a
personal chat (content type `application/vnd.microsoft.teams.file.download.info`,
https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4#receive-files-in-personal-chat);
the Emulator and the Agents Playground send a plain `contentUrl` instead. `read_text` turns
the bytes into text through `coaching.review.documents.extract_text` (.txt, .md, .pdf,
.docx and .pptx), whose errors are written for the rep; a .vtt or .srt call transcript is
downloaded the same way and parsed by `coaching.calls.parse`.

The URL comes from the activity, so it is fetched only on `COACH_TEAMS_FILE_HOSTS` (each
redirect too), within `_DOWNLOAD_SECONDS` for the whole download and the file size limit;
anything else is refused with one line for the rep and never requested.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin

from aiohttp import ClientError, ClientResponse, ClientSession
from microsoft_agents.activity import Activity
from microsoft_agents.activity import Attachment as ActivityAttachment

from bot.teams.hosts import HostAllowlist
from coaching.calls.parse import is_transcript
from coaching.errors import CoachingError
from coaching.review.documents import FileLimits, check_supported, extract_text
from coaching.types import Attachment

TEAMS_FILE_DOWNLOAD = "application/vnd.microsoft.teams.file.download.info"
_DOWNLOAD_SECONDS = 8.0
_MAX_REDIRECTS = 3
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


def attached_files(activity: Activity) -> list[ActivityAttachment]:
    """The user's uploaded files; Teams also attaches the message's own HTML, skipped here."""
    return [
        attachment
        for attachment in activity.attachments or []
        if attachment.name and _download_url(attachment) is not None
    ]


async def download(
    attachment: ActivityAttachment, http: ClientSession, *, hosts: HostAllowlist, limits: FileLimits
) -> Attachment:
    """The file's bytes, refusing unsupported types and foreign hosts before fetching."""
    name = attachment.name or "attachment"
    if not is_transcript(name):
        check_supported(name)
    url = _download_url(attachment)
    if url is None or not hosts.allows(url):
        raise _refused(name)
    try:
        async with asyncio.timeout(_DOWNLOAD_SECONDS):
            content = await _fetch(url, http, hosts=hosts, name=name, limits=limits)
    except (ClientError, TimeoutError) as error:
        raise CoachingError(
            "input.unreadable_file", f"I couldn't download {name}; try attaching it again."
        ) from error
    return Attachment(name=name, content=content)


async def _fetch(
    url: str, http: ClientSession, *, hosts: HostAllowlist, name: str, limits: FileLimits
) -> bytes:
    """Follow at most a few redirects, each to an allowed host, then read the body."""
    for _ in range(_MAX_REDIRECTS + 1):
        async with http.get(url, allow_redirects=False) as response:
            if response.status in _REDIRECTS:
                url = urljoin(url, response.headers.get("Location", ""))
                if not hosts.allows(url):
                    raise _refused(name)
                continue
            response.raise_for_status()
            return await _read_limited(response, name=name, limits=limits)
    raise _refused(name)


async def _read_limited(response: ClientResponse, *, name: str, limits: FileLimits) -> bytes:
    if (response.content_length or 0) > limits.max_bytes:
        raise _too_large(name, limits)
    content = bytearray()
    async for chunk in response.content.iter_chunked(_CHUNK):
        content.extend(chunk)
        if len(content) > limits.max_bytes:
            raise _too_large(name, limits)
    return bytes(content)


def _refused(name: str) -> CoachingError:
    return CoachingError(
        "input.unreadable_file",
        f"I only open files shared with me in Teams, so I didn't open {name}. "
        "Attach it in our chat, or paste the part you want reviewed.",
    )


def _too_large(name: str, limits: FileLimits) -> CoachingError:
    return CoachingError(
        "input.too_large",
        f"{name} is larger than the {limits.max_bytes / (1024 * 1024):.1f} MB limit for a "
        "file. Attach a shorter version, or paste the part you want reviewed.",
    )


def read_text(file: Attachment, limits: FileLimits) -> str:
    """The file's text, or a CoachingError the rep can act on (locked, damaged, empty...)."""
    return extract_text(
        file.name, file.content, max_bytes=limits.max_bytes, max_chars=limits.max_chars
    )


def _download_url(attachment: ActivityAttachment) -> str | None:
    content = attachment.content
    if attachment.content_type == TEAMS_FILE_DOWNLOAD and isinstance(content, dict):
        url = content.get("downloadUrl")
        return url if isinstance(url, str) and url else None
    if attachment.content_url and attachment.content_url.startswith(("http://", "https://")):
        return attachment.content_url
    return None
