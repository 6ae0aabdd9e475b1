"""`coach teams manifest`: the app package Teams accepts for upload."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path
from zipfile import ZipFile

import pytest

from bot.teams.manifest import build_icon, write_app_package
from coaching.errors import CoachingError
from tests.teams.conftest import APP_ID
from tests.test_cli import run_coach


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the raw RGBA rows of a PNG written by `build_icon`."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, color = struct.unpack(">IIBB", data[16:26])
    assert (depth, color) == (8, 6)
    length = struct.unpack(">I", data[33:37])[0]
    raw = zlib.decompress(data[41 : 41 + length])
    stride = 1 + 4 * width
    return width, height, [raw[y * stride + 1 : (y + 1) * stride] for y in range(height)]


def test_the_package_holds_a_manifest_for_the_app_id_and_two_icons(tmp_path: Path) -> None:
    path = write_app_package(
        tmp_path / "app.zip", app_id=APP_ID, website="https://coach.example.com", developer="Acme"
    )

    with ZipFile(path) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
        color = png_pixels(package.read("color.png"))
        outline = png_pixels(package.read("outline.png"))

    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["bots"][0]["supportsFiles"] is True
    assert manifest["developer"]["privacyUrl"] == "https://coach.example.com"
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["description"]["short"]) <= 80
    commands = manifest["bots"][0]["commandLists"][0]["commands"]
    assert [c["title"] for c in commands] == [
        "proposal review",
        "commitments",
        "trust check",
        "forget me",
        "help",
    ]
    assert color[:2] == (192, 192)
    assert outline[:2] == (32, 32)


def test_the_outline_icon_is_white_on_transparent() -> None:
    _, _, rows = png_pixels(build_icon(32, outline=True))
    pixels = {bytes(row[i : i + 4]) for row in rows for i in range(0, len(row), 4)}

    assert pixels == {b"\x00\x00\x00\x00", b"\xff\xff\xff\xff"}


@pytest.mark.parametrize(
    ("app_id", "website", "code"),
    [
        (None, "https://coach.example.com", "config.teams_app_id"),
        ("not-a-guid", "https://coach.example.com", "config.teams_app_id"),
        (APP_ID, "http://coach.example.com", "input.bad_url"),
    ],
)
def test_bad_configuration_is_explained(
    tmp_path: Path, app_id: str | None, website: str, code: str
) -> None:
    with pytest.raises(CoachingError) as raised:
        write_app_package(tmp_path / "app.zip", app_id=app_id, website=website, developer="x")

    assert raised.value.code == code
    assert not (tmp_path / "app.zip").exists()


def test_the_command_writes_the_package(tmp_path: Path) -> None:
    env = {"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": APP_ID}

    done = run_coach(
        "teams", "manifest", "--website", "https://coach.example.com", env=env, cwd=tmp_path
    )

    assert done.returncode == 0, done.stderr
    assert (tmp_path / "salescoach-teams.zip").is_file()


def test_the_command_without_an_app_id_fails_with_one_line(tmp_path: Path) -> None:
    env = {"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": ""}

    done = run_coach("teams", "manifest", "--website", "https://x.example", env=env, cwd=tmp_path)

    assert done.returncode == 2
    assert done.stderr.startswith("coach: Set CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID")
    assert done.stderr.count("\n") == 1


def test_the_manifest_offers_the_message_action_and_the_compose_command(tmp_path: Path) -> None:
    path = write_app_package(
        tmp_path / "app.zip", app_id=APP_ID, website="https://coach.example.com", developer="Acme"
    )

    with ZipFile(path) as package:
        manifest = json.loads(package.read("manifest.json"))

    [extension] = manifest["composeExtensions"]
    assert extension["botId"] == APP_ID
    draft, proposal = extension["commands"]
    assert (draft["title"], draft["type"], draft["context"]) == (
        "Coach this draft",
        "action",
        ["message"],
    )
    assert draft["fetchTask"] is True
    assert proposal["context"] == ["compose", "commandBox"]
    assert proposal["fetchTask"] is False
    assert [p["name"] for p in proposal["parameters"]] == ["proposal"]
