"""The Teams app package `coach teams manifest` writes: manifest.json plus two icons.

A package is a zip of `manifest.json`, a 192x192 colour icon and a 32x32 white-on-
transparent outline icon
(https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package).
The icons are drawn here, pixel by pixel, so the repository holds no binary files.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from coaching.errors import CoachingError

MANIFEST_VERSION = "1.17"
SCHEMA = (
    "https://developer.microsoft.com/json-schemas/teams/"
    f"v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
)
APP_VERSION = "1.0.0"
ACCENT = (0x2E, 0x6F, 0xDB)
WHITE = (0xFF, 0xFF, 0xFF)
COLOR_SIZE, OUTLINE_SIZE = 192, 32
SCOPES = ["personal", "team", "groupChat"]
COMMANDS = [
    ("proposal review", "Review a proposal or outline: paste it after the words, or attach it"),
    ("commitments", "Your open next steps, with Done and Snooze buttons"),
    ("trust check", "Rate yourself on twelve statements and see your trust equation"),
    ("forget me", "Delete everything the coach keeps about you (it asks you first)"),
    ("help", "What the coach can do"),
]
# The message extension (`bot.teams.message_extension`): two action commands, whose ids
# route the invokes; "Coach this draft" asks for no input, so Teams fetches its dialog.
COACH_DRAFT_COMMAND, PROPOSAL_REVIEW_COMMAND, PROPOSAL_PARAMETER = (
    "coachDraft",
    "proposalReview",
    "proposal",
)
EXTENSION_COMMANDS: list[dict[str, Any]] = [
    {
        "id": COACH_DRAFT_COMMAND,
        "type": "action",
        "title": "Coach this draft",
        "description": "Coaching on this message against the sales playbooks, just for you",
        "context": ["message"],
        "fetchTask": True,
    },
    {
        "id": PROPOSAL_REVIEW_COMMAND,
        "type": "action",
        "title": "Proposal review",
        "description": "Paste a proposal or outline and get it reviewed, just for you",
        "context": ["compose", "commandBox"],
        "fetchTask": False,
        "parameters": [
            {
                "name": PROPOSAL_PARAMETER,
                "title": "Proposal",
                "description": "Paste the proposal or outline",
                "inputType": "textarea",
            }
        ],
    },
]
DESCRIPTION_SHORT = "Deal coaching grounded in sales playbooks, where you already work."
DESCRIPTION_FULL = (
    "Tell the coach about a deal, paste a draft email or a call plan, or attach a proposal: "
    "it coaches you against named playbooks (the trust equation, the post-proposal "
    "presentation, don't be creepy, customer actions over seller activity, deal interest "
    "decay), quotes your own words as evidence, and keeps track of the next steps you promise."
)
# Three rising bars, in fractions of the icon: (left, right, top); all end at BARS_BOTTOM.
BARS = ((0.20, 0.36, 0.56), (0.42, 0.58, 0.40), (0.64, 0.80, 0.22))
BARS_BOTTOM = 0.80
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)

Pixel = tuple[int, int, int, int]


def build_manifest(*, app_id: str, website: str, developer: str) -> dict[str, Any]:
    """manifest.json for a bot whose Teams app id is its Microsoft app id."""
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": APP_VERSION,
        "id": app_id,
        "developer": {
            "name": developer,
            "websiteUrl": website,
            "privacyUrl": website,
            "termsOfUseUrl": website,
        },
        "name": {"short": "salescoach", "full": "salescoach: a sales coach for your team"},
        "description": {"short": DESCRIPTION_SHORT, "full": DESCRIPTION_FULL},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": app_id,
                "scopes": SCOPES,
                "supportsFiles": True,
                "isNotificationOnly": False,
                "commandLists": [
                    {
                        "scopes": SCOPES,
                        "commands": [{"title": t, "description": d} for t, d in COMMANDS],
                    }
                ],
            }
        ],
        "composeExtensions": [{"botId": app_id, "commands": EXTENSION_COMMANDS}],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }


def build_icon(size: int, *, outline: bool) -> bytes:
    """The coach's rising bars as a PNG: white on the accent colour, or on transparency."""
    background: Pixel = (0, 0, 0, 0) if outline else (*ACCENT, 255)
    bar: Pixel = (*WHITE, 255)

    def pixel(x: int, y: int) -> Pixel:
        u, v = (x + 0.5) / size, (y + 0.5) / size
        inside = any(left <= u < right and top <= v < BARS_BOTTOM for left, right, top in BARS)
        return bar if inside else background

    return _png(size, pixel)


def write_app_package(path: Path, *, app_id: str | None, website: str, developer: str) -> Path:
    """Write the zip; `CoachingError` for a missing or malformed app id or website."""
    if not app_id or not _GUID.match(app_id):
        raise CoachingError(
            "config.teams_app_id",
            "Set CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID to your bot's "
            "Microsoft app id (a GUID) first.",
        )
    if not website.startswith("https://"):
        raise CoachingError("input.bad_url", "--website must be an https:// address.")
    manifest = build_manifest(app_id=app_id, website=website, developer=developer)
    path.parent.mkdir(parents=True, exist_ok=True)
    with ZipFile(path, "w", ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, indent=2))
        package.writestr("color.png", build_icon(COLOR_SIZE, outline=False))
        package.writestr("outline.png", build_icon(OUTLINE_SIZE, outline=True))
    return path


def _png(size: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """A square RGBA PNG (http://www.libpng.org/pub/png/spec/1.2/PNG-Chunks.html)."""
    rows = b"".join(
        b"\x00" + bytes(channel for x in range(size) for channel in pixel(x, y))
        for y in range(size)
    )
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
