"""Proposal files attached in a personal chat: find them, download them, read their text.

Teams hands a bot a pre-authenticated `downloadUrl` for each file a user attaches in a
personal chat (content type `application/vnd.microsoft.teams.file.download.info`,
https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4#receive-files-in-personal-chat);
the Emulator and the Agents Playground send a plain `contentUrl` instead. `read_text` turns
the bytes into text through `coaching.documents.extract_text` (.txt, .md, .pdf and .docx),
whose errors are written for the rep.
"""

from __future__ import annotations

from aiohttp import ClientError, ClientSession, ClientTimeout
from microsoft_agents.activity import Activity
from microsoft_agents.activity import Attachment as ActivityAttachment

from coaching.documents import FileLimits, check_supported, extract_text
from coaching.types import Attachment, CoachingError

TEAMS_FILE_DOWNLOAD = "application/vnd.microsoft.teams.file.download.info"
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
    attachment: ActivityAttachment, http: ClientSession, *, https_only: bool, limits: FileLimits
) -> Attachment:
    """The file's bytes, refusing unsupported types before fetching anything."""
    name = attachment.name or "attachment"
    check_supported(name)
    url = _download_url(attachment)
    if url is None or (https_only and not url.startswith("https://")):
        raise CoachingError("input.unreadable_file", f"I couldn't open {name}.")
    try:
        async with http.get(url, timeout=_DOWNLOAD_TIMEOUT) as response:
            response.raise_for_status()
            content = bytearray()
            async for chunk in response.content.iter_chunked(_CHUNK):
                content.extend(chunk)
                if len(content) > limits.max_bytes:
                    raise CoachingError(
                        "input.too_large",
                        f"{name} is larger than the "
                        f"{limits.max_bytes / (1024 * 1024):.1f} MB limit for a file. "
                        "Attach a shorter version, or paste the part you want reviewed.",
                    )
    except (ClientError, TimeoutError) as error:
        raise CoachingError(
            "input.unreadable_file", f"I couldn't download {name}; try attaching it again."
        ) from error
    return Attachment(name=name, content=bytes(content))


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
