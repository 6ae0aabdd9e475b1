"""Proposal and call files shared with the coach: download through Slack, then extract text.

Two small steps on purpose. `download()` fetches a file's bytes from `url_private` with the
bot token (https://api.slack.com/types/file#auth), refusing file types the coach cannot read
before fetching anything; `read_text()` turns the bytes into text through
`coaching.review.documents.extract_text` (.txt, .md, .pdf, .docx and .pptx), and
`read_call()` a .vtt or .srt call transcript into speaker turns, both with errors written
for the rep.
"""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from coaching.calls.parse import is_transcript, parse_transcript
from coaching.calls.transcript import Transcript
from coaching.errors import CoachingError
from coaching.review.documents import FileLimits, check_supported, extract_text
from coaching.types import Attachment

DOWNLOAD_TIMEOUT = aiohttp.ClientTimeout(total=30)


async def download(
    client: AsyncWebClient, session: aiohttp.ClientSession, file_id: str, limits: FileLimits
) -> Attachment:
    """The file's bytes, after checking with files.info that we can read it at all."""
    try:
        info = (await client.files_info(file=file_id))["file"]
    except SlackApiError as error:
        raise _unreadable(file_id) from error
    name = str(info.get("name") or file_id)
    if not is_transcript(name):
        check_supported(name)
    if int(info.get("size") or 0) > limits.max_bytes:
        raise _too_large(name, limits)
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    headers = {"Authorization": f"Bearer {client.token}"}
    try:
        async with session.get(url, headers=headers, timeout=DOWNLOAD_TIMEOUT) as response:
            # Without files:read Slack answers 200 with its sign-in page instead of the file.
            if response.status != 200 or response.content_type == "text/html":
                raise _unreadable(name)
            content = await _read_capped(response, name, limits)
    except (aiohttp.ClientError, TimeoutError) as error:
        raise _unreadable(name) from error
    return Attachment(name=name, content=content)


async def _read_capped(response: aiohttp.ClientResponse, name: str, limits: FileLimits) -> bytes:
    """The whole body, refusing to hold more than the limit whatever Slack claimed."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limits.max_bytes:
            raise _too_large(name, limits)
        chunks.append(chunk)
    return b"".join(chunks)


def read_text(attachment: Attachment, limits: FileLimits) -> str:
    """The text of a downloaded proposal, or a CoachingError the rep can act on."""
    return extract_text(
        attachment.name,
        attachment.content,
        max_bytes=limits.max_bytes,
        max_chars=limits.max_chars,
    )


def read_call(attachment: Attachment, limits: FileLimits) -> Transcript:
    """The speaker turns of a downloaded transcript, or a CoachingError the rep can act on."""
    return parse_transcript(
        attachment.name,
        attachment.content,
        max_bytes=limits.max_bytes,
        max_chars=limits.max_chars,
    )


def _too_large(name: str, limits: FileLimits) -> CoachingError:
    return CoachingError(
        "input.too_large",
        f"{name} is larger than the {limits.max_bytes / (1024 * 1024):.1f} MB limit for a file. "
        "Share a shorter version, or paste the part you want reviewed.",
    )


def _unreadable(name: str) -> CoachingError:
    return CoachingError(
        "input.unreadable_file",
        f"I couldn't open {name}. Share it again, or paste the text.",
    )
