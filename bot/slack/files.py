"""Proposal files shared with the coach: download through Slack, then extract text.

Two small steps on purpose. `download()` fetches a file's bytes from `url_private` with the
bot token (https://api.slack.com/types/file#auth); `extract_text()` turns bytes into text
and is the one function to replace when pdf and docx support lands.
"""

from __future__ import annotations

from pathlib import PurePath

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from coaching.types import Attachment, CoachingError

MAX_FILE_BYTES = 10 * 1024 * 1024
DOWNLOAD_TIMEOUT = aiohttp.ClientTimeout(total=30)
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
# Slack's own `filetype` names for plain text and markdown (https://api.slack.com/types/file).
TEXT_FILETYPES = frozenset({"text", "markdown"})


def is_text_like(name: str, filetype: str | None) -> bool:
    return PurePath(name).suffix.lower() in TEXT_SUFFIXES or filetype in TEXT_FILETYPES


async def download(
    client: AsyncWebClient, session: aiohttp.ClientSession, file_id: str
) -> Attachment:
    """The file's bytes, after checking with files.info that we can read it at all."""
    try:
        info = (await client.files_info(file=file_id))["file"]
    except SlackApiError as error:
        raise _unreadable(file_id) from error
    name = str(info.get("name") or file_id)
    if not is_text_like(name, info.get("filetype")):
        raise CoachingError(
            "input.unsupported_file",
            f"{name}: I can read .txt and .md files for now. Paste the text, or save it as .txt.",
        )
    if int(info.get("size") or 0) > MAX_FILE_BYTES:
        raise _too_large(name)
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    headers = {"Authorization": f"Bearer {client.token}"}
    try:
        async with session.get(url, headers=headers, timeout=DOWNLOAD_TIMEOUT) as response:
            # Without files:read Slack answers 200 with its sign-in page instead of the file.
            if response.status != 200 or response.content_type == "text/html":
                raise _unreadable(name)
            content = await _read_capped(response, name)
    except (aiohttp.ClientError, TimeoutError) as error:
        raise _unreadable(name) from error
    return Attachment(name=name, content=content)


async def _read_capped(response: aiohttp.ClientResponse, name: str) -> bytes:
    """The whole body, refusing to hold more than MAX_FILE_BYTES whatever Slack claimed."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise _too_large(name)
        chunks.append(chunk)
    return b"".join(chunks)


def extract_text(attachment: Attachment) -> str:
    """The text of a downloaded proposal (UTF-8 text and markdown for now)."""
    try:
        return attachment.content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CoachingError(
            "input.unreadable_file", f"{attachment.name} could not be read as UTF-8 text."
        ) from error


def _too_large(name: str) -> CoachingError:
    return CoachingError("input.too_large", f"{name} is larger than 10 MB.")


def _unreadable(name: str) -> CoachingError:
    return CoachingError(
        "input.unreadable_file",
        f"I couldn't open {name}. Share it again, or paste the text.",
    )
