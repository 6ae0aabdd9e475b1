"""The app manifest in the repository matches what the code listens for and asks for."""

from __future__ import annotations

import re
from pathlib import Path

from bot.slack.assistant import REP_PROMPTS
from bot.slack.listeners import COMMAND_KIND, SHORTCUT_CALLBACK_ID
from bot.slack.privacy import FORGET_COMMAND
from config.settings import SlackSettings

MANIFEST = (Path(__file__).parents[2] / "bot" / "slack" / "manifest.yml").read_text("utf-8")


def listed(key: str) -> set[str]:
    return set(re.findall(rf"^\s*-?\s*{key}:\s*(\S+)\s*$", MANIFEST, re.MULTILINE))


def section_items(header: str) -> set[str]:
    """The `- item` lines right under `header:` (a YAML list of plain strings)."""
    block = re.search(rf"^(\s*){header}:\n((?:\1\s+- .+\n)+)", MANIFEST, re.MULTILINE)
    assert block is not None, header
    return {line.strip()[2:] for line in block[2].splitlines()}


def test_manifest_declares_every_command_and_the_shortcut() -> None:
    assert listed("command") == {*COMMAND_KIND, "/commitments", FORGET_COMMAND}
    assert listed("callback_id") == {SHORTCUT_CALLBACK_ID}


def test_manifest_scopes_are_the_default_install_scopes() -> None:
    default = SlackSettings().scopes
    assert section_items("bot") == set(default.split(","))


# The bot scope each Web API method the adapter calls needs (https://api.slack.com/methods).
METHOD_SCOPES = {
    "assistant_threads_setStatus": "assistant:write",
    "assistant_threads_setSuggestedPrompts": "assistant:write",
    "assistant_threads_setTitle": "assistant:write",
    "chat_appendStream": "chat:write",
    "chat_postEphemeral": "chat:write",
    "chat_postMessage": "chat:write",
    "chat_startStream": "chat:write",
    "chat_stopStream": "chat:write",
    "chat_update": "chat:write",
    "chat_delete": "chat:write",
    "conversations_open": "im:write",
    "files_info": "files:read",
    "users_info": "users:read",
    "views_open": None,
    "views_publish": None,
}


def test_manifest_grants_every_web_api_method_the_code_calls() -> None:
    sources = "\n".join(
        p.read_text("utf-8") for p in (Path(__file__).parents[2] / "bot" / "slack").rglob("*.py")
    )
    called = set(re.findall(r"client\.([a-z]+_[A-Za-z]+)\(", sources))
    assert called <= set(METHOD_SCOPES), f"add the scope of {called - set(METHOD_SCOPES)} here"
    needed = {METHOD_SCOPES[method] for method in called} - {None}
    assert needed <= section_items("bot")


def test_manifest_subscribes_to_the_events_the_adapter_handles() -> None:
    events = section_items("bot_events")
    assert events == {
        "app_home_opened",
        "app_mention",
        "app_uninstalled",
        "assistant_thread_context_changed",
        "assistant_thread_started",
        "message.im",
        "tokens_revoked",
    }


def test_manifest_offers_the_assistant_view_with_the_coachs_prompts() -> None:
    assert re.search(r"^  assistant_view:$", MANIFEST, re.MULTILINE)
    messages = re.findall(r"^\s+message: (.+)$", MANIFEST, re.MULTILINE)
    assert messages == [prompt.value for prompt in REP_PROMPTS]


def test_every_url_points_at_the_one_events_endpoint_or_the_oauth_redirect() -> None:
    urls = set(re.findall(r"https://coach\.example\.com(/\S+)", MANIFEST))
    assert urls == {"/slack/events", "/slack/oauth_redirect"}
