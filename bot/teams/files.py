"""Proposal files attached in a personal chat: find them, download them, read their text.

Teams hands a bot a pre-authenticated `downloadUrl` for each file a user attaches in a
personal chat (content type `application/vnd.microsoft.teams.file.download.info`,
https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4#receive-files-in-personal-chat);
the Emulator and the Agents Playground send a plain `contentUrl` instead. `extract_text` is
the one place that turns bytes into text; PDF and Word support replace it later.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from aiohttp import ClientError, ClientSession, ClientTimeout
from microsoft_agents.activity import Activity
from microsoft_agents.activity import Attachment as ActivityAttachment

from coaching.types import Attachment, CoachingError

TEAMS_FILE_DOWNLOAD = "application/vnd.microsoft.teams.file.download.info"
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
MAX_FILE_BYTES = 10 * 1024 * 1024
_DOWNLOAD_TIMEOUT = ClientTimeout(total=8)
_CHUNK = 64 * 1024


def attached_files(activity: Activity) -> list[ActivityAttachment]:
    """The user's uploaded files; Teams also attaches the message's own HTML, skipped here."""
    return [
        attachment
        for attachment in activity.attachments or []
        if attachment.name and _download_url(attachment) is not None
    ]


async def download(
    attachment: ActivityAttachment, http: ClientSession, *, https_only: bool
) -> Attachment:
    """The file's bytes, refusing unsupported types before fetching anything."""
    name = attachment.name or "attachment"
    if PurePosixPath(name).suffix.lower() not in TEXT_SUFFIXES:
        raise CoachingError(
            "input.unsupported_file",
            f"{name}: I can read .txt and .md files for now; paste the text instead.",
        )
    url = _download_url(attachment)
    if url is None or (https_only and not url.startswith("https://")):
        raise CoachingError("input.unreadable_file", f"I couldn't open {name}.")
    try:
        async with http.get(url, timeout=_DOWNLOAD_TIMEOUT) as response:
            response.raise_for_status()
            content = bytearray()
            async for chunk in response.content.iter_chunked(_CHUNK):
                content.extend(chunk)
                if len(content) > MAX_FILE_BYTES:
                    raise CoachingError("input.too_large", f"{name} is larger than 10 MB.")
    except (ClientError, TimeoutError) as error:
        raise CoachingError(
            "input.unreadable_file", f"I couldn't download {name}; try attaching it again."
        ) from error
    return Attachment(name=name, content=bytes(content))


def extract_text(file: Attachment) -> str:
    """The file's text (UTF-8, with or without a byte-order mark)."""
    try:
        return file.content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CoachingError(
            "input.unreadable_file", f"{file.name} could not be read as UTF-8 text."
        ) from error


def _download_url(attachment: ActivityAttachment) -> str | None:
    content = attachment.content
    if attachment.content_type == TEAMS_FILE_DOWNLOAD and isinstance(content, dict):
        url = content.get("downloadUrl")
        return url if isinstance(url, str) and url else None
    if attachment.content_url and attachment.content_url.startswith(("http://", "https://")):
        return attachment.content_url
    return None
