"""manifest.yml is a valid Slack app manifest that asks for exactly the scopes the bot uses."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from app.slack.blocks.help import usage_hint

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = Path(__file__).resolve().parent / "data" / "manifest.schema.1.0.0.json"  # see tests/data/README.md

EXPECTED_BOT_SCOPES = {
    "commands",
    "chat:write",
    "im:write",
    "mpim:write",
    "users:read",
    "channels:read",
    "groups:read",
    "files:write",
}

# The Web API methods the bot calls and the bot scopes Slack accepts for each (any one will do; an empty set
# means none is needed). From Slack's method reference as kept by slack-ruby/slack-api-ref (MIT), f4837c0.
METHOD_SCOPES: dict[str, set[str]] = {
    "auth.test": set(),
    "apps.connections.open": set(),  # uses the app-level token, not a bot scope
    "chat.postMessage": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "chat.update": {"chat:write"},
    "chat.delete": {"chat:write"},
    "conversations.open": {"channels:manage", "groups:write", "im:write", "mpim:write"},
    "conversations.members": {"groups:read", "im:read", "mpim:read", "channels:read"},
    "users.info": {"users:read"},
    "views.open": set(),
    "views.update": set(),
    "views.publish": set(),
    "files.getUploadURLExternal": {"files:write"},
    "files.completeUploadExternal": {"files:write"},
}

# Methods the bot tries only when an operator added an optional scope (commented in manifest.yml); without
# it Slack answers missing_scope and the bot does the plain thing instead.
OPTIONAL_METHOD_SCOPES: dict[str, set[str]] = {
    "conversations.invite": {"channels:manage", "groups:write"},  # the alumni channel (else told its link)
}

# Why each scope is there; a scope nobody can name a use for should go.
SCOPE_USES = {
    "commands": "the /mentor slash command",
    "chat:write": "chat.postMessage and friends",
    "im:write": "conversations.open with one person",
    "mpim:write": "conversations.open with a coffee group",
    "users:read": "users.info for time zones",
    "channels:read": "conversations.members of a public coffee channel",
    "groups:read": "conversations.members of a private coffee channel",
    "files:write": "the CSV export upload",
}


@cache
def _manifest() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))


def _bot_scopes() -> set[str]:
    return set(_manifest()["oauth_config"]["scopes"]["bot"])


def test_manifest_matches_slacks_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    errors = sorted(Draft7Validator(schema).iter_errors(_manifest()), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors)


def test_display_information_is_presentable() -> None:
    display = _manifest()["display_information"]
    assert display["name"] == "Mentorbot"
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", display["background_color"])  # the schema can't check this
    assert _manifest()["features"]["bot_user"] == {"display_name": "mentorbot", "always_online": True}


def test_the_mentor_command_is_declared_with_the_parsers_usage_hint() -> None:
    commands = {command["command"]: command for command in _manifest()["features"]["slash_commands"]}
    assert set(commands) == {"/mentor"}
    mentor = commands["/mentor"]
    assert mentor["usage_hint"] == usage_hint()  # an unquoted `#` in YAML would cut it short
    assert mentor["description"]
    # Picked users and channels must arrive as <@U…> / <#C…> ids for `coffee avoid` and `coffee channel`.
    assert mentor["should_escape"] is True


def test_home_tab_and_read_only_messages_tab() -> None:
    assert _manifest()["features"]["app_home"] == {
        "home_tab_enabled": True,
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": True,
    }


def test_app_home_opened_is_the_only_event() -> None:
    assert _manifest()["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]


def test_interactivity_and_socket_mode_are_on() -> None:
    settings = _manifest()["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert settings["org_deploy_enabled"] is False
    assert settings["token_rotation_enabled"] is False


def test_scopes_are_exactly_the_minimal_set() -> None:
    bot = _manifest()["oauth_config"]["scopes"]["bot"]
    assert len(bot) == len(set(bot))
    assert set(bot) == EXPECTED_BOT_SCOPES
    assert set(SCOPE_USES) == EXPECTED_BOT_SCOPES
    assert "user" not in _manifest()["oauth_config"]["scopes"]  # the bot never acts as a person


def test_no_history_scope_so_the_bot_cannot_read_what_people_write() -> None:
    # Private by default: conversations.history (the optional resend check) needs a scope an operator adds.
    assert {scope for scope in _bot_scopes() if scope.endswith(":history")} == set()
    text = (ROOT / "manifest.yml").read_text(encoding="utf-8")
    assert "#   - im:history" in text and "#   - mpim:history" in text and "SLACK_HISTORY_CHECK" in text


@pytest.mark.parametrize("method", sorted(OPTIONAL_METHOD_SCOPES))
def test_an_optional_methods_scope_is_documented_but_not_asked_for(method: str) -> None:
    accepted = OPTIONAL_METHOD_SCOPES[method]
    assert not accepted & _bot_scopes()
    text = (ROOT / "manifest.yml").read_text(encoding="utf-8")
    assert any(f"#   - {scope}" in text for scope in accepted)


@pytest.mark.parametrize("method", sorted(METHOD_SCOPES))
def test_every_method_the_bot_calls_is_allowed(method: str) -> None:
    accepted = METHOD_SCOPES[method]
    assert not accepted or accepted & _bot_scopes(), f"{method} needs one of {sorted(accepted)}"


def test_request_urls_are_placeholders_or_https() -> None:
    settings = _manifest()["settings"]
    urls = [
        _manifest()["features"]["slash_commands"][0].get("url"),
        settings["event_subscriptions"].get("request_url"),
        settings["interactivity"].get("request_url"),
    ]
    for url in filter(None, urls):
        assert url.startswith("https://") and url.endswith("/slack/events")
