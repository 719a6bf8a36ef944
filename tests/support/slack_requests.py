"""Requests exactly as Slack sends them to an app, signed with the app's signing secret.

Bodies follow Slack's documented payloads (docs.slack.dev): slash commands (form fields, "Slash
commands" guide), interaction payloads (``payload=<json>``: block_actions, view_submission reference),
and the Events API envelope (event_callback / url_verification). Signatures are v0 HMAC-SHA256 over
``v0:<timestamp>:<body>``, made with slack_sdk's own SignatureVerifier.

Use the builders with ``app.dispatch(BoltRequest(body=..., headers=signed_headers(...)))``, or send them
over HTTP with ``SlackSender``. Given a ``FakeSlack``, the sender fills response_url and trigger_id from
it, so what the app does with them lands in the fake.
"""

from __future__ import annotations

import http.client
import itertools
import json
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlencode, urlsplit

from slack_sdk.signature import SignatureVerifier

if TYPE_CHECKING:
    from app.sandbox.standin import FakeSlack

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

DEFAULT_TEAM_ID = "T1"
DEFAULT_TEAM_DOMAIN = "mentorbot-test"
DEFAULT_APP_ID = "A0MENTOR"
# The deprecated verification token Slack still puts in payloads; Bolt ignores it when signatures are used.
VERIFICATION_TOKEN = "legacy-verification-token"

_counter = itertools.count(1)


def _ts() -> str:
    """A Slack-style timestamp string ("1503435956.000247")."""
    return f"{time.time():.6f}"


def make_trigger_id() -> str:
    """A well-formed trigger_id ("132456.7890123.abcdef") that no FakeSlack has issued."""
    return f"{next(_counter) + 1_000_000_000}.{int(time.time())}.{secrets.token_hex(16)}"


def make_response_url(team_id: str = DEFAULT_TEAM_ID) -> str:
    """A response_url shaped like Slack's; it points at Slack, so use FakeSlack.response_url() in tests."""
    return f"https://hooks.slack.com/commands/{team_id}/{next(_counter)}/{secrets.token_hex(12)}"


def _default_channel_name(channel_id: str) -> str:
    # What Slack puts in channel_name for DMs and private groups.
    if channel_id.startswith("D"):
        return "directmessage"
    if channel_id.startswith("G"):
        return "privategroup"
    return channel_id.lower()


def _user(user_id: str, user_name: str | None, team_id: str) -> dict[str, str]:
    name = user_name or user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


# ---- slash commands ----------------------------------------------------------------------------------------


def slash_command_body(
    command: str = "/mentor",
    text: str = "",
    user_id: str = "U1",
    user_name: str | None = None,
    team_id: str = DEFAULT_TEAM_ID,
    channel_id: str = "C1",
    trigger_id: str | None = None,
    response_url: str | None = None,
    *,
    channel_name: str | None = None,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    api_app_id: str = DEFAULT_APP_ID,
    token: str = VERIFICATION_TOKEN,
) -> str:
    """The form-encoded body Slack POSTs for a slash command."""
    return urlencode(
        {
            "token": token,
            "team_id": team_id,
            "team_domain": team_domain,
            "channel_id": channel_id,
            "channel_name": channel_name or _default_channel_name(channel_id),
            "user_id": user_id,
            "user_name": user_name or user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": api_app_id,
            "is_enterprise_install": "false",
            "response_url": response_url or make_response_url(team_id),
            "trigger_id": trigger_id or make_trigger_id(),
        }
    )


# ---- interactivity -----------------------------------------------------------------------------------------


def _payload_body(payload: dict[str, Any]) -> str:
    # Interaction payloads arrive form-encoded, as one "payload" field holding JSON.
    return urlencode({"payload": json.dumps(payload)})


def block_actions_payload(
    user_id: str,
    action_id: str,
    value: str | None = "",
    block_id: str | None = None,
    response_url: str | None = None,
    trigger_id: str | None = None,
    container: dict[str, Any] | None = None,
    channel_id: str | None = None,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    *,
    user_name: str | None = None,
    team_id: str = DEFAULT_TEAM_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    api_app_id: str = DEFAULT_APP_ID,
    action_type: str = "button",
    action_text: str = "Button",
    action_extra: dict[str, Any] | None = None,
    token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    """A block_actions payload (as a dict) for one action on a message, a modal or the Home tab.

    - On a message (the default): pass ``message`` (e.g. one of ``FakeSlack.messages_in(...)``; its
      "channel" key, if any, is used as channel_id) and/or ``channel_id``. Includes response_url.
    - On a view: pass ``view`` (e.g. ``fake.home_view(user)`` or a modal); container becomes
      ``{"type": "view", "view_id": ...}``, with no channel, message or response_url, as Slack sends it.
    ``action_extra`` is merged into the action, e.g. ``{"selected_option": {...}}`` for a static_select.
    ``block_id`` defaults to the block in ``message``/``view`` that holds ``action_id``, if found.
    """
    source_blocks = (view or {}).get("blocks") or (message or {}).get("blocks") or []
    if block_id is None:
        block_id = _find_block_id(source_blocks, action_id) or "actions"
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "type": action_type,
        "action_ts": _ts(),
    }
    if action_type == "button":
        action["text"] = {"type": "plain_text", "text": action_text, "emoji": True}
        if value is not None:
            action["value"] = value
    action.update(action_extra or {})
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": token,
        "trigger_id": trigger_id or make_trigger_id(),
        "team": {"id": team_id, "domain": team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [action],
    }
    if view is not None:
        payload["container"] = container or {"type": "view", "view_id": view.get("id", "V0VIEW")}
        payload["view"] = view
        payload["state"] = view.get("state", {"values": {}})
        return payload
    message = dict(message) if message is not None else None
    if message is not None and "channel" in message:
        channel_id = channel_id or message.pop("channel")
        message.pop("channel", None)
    channel_id = channel_id or "C1"
    if message is None:
        message = {"type": "message", "user": "U0BOT", "text": "", "ts": _ts(), "blocks": []}
    payload["container"] = container or {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": channel_id,
        "is_ephemeral": False,
    }
    payload["channel"] = {"id": channel_id, "name": _default_channel_name(channel_id)}
    payload["message"] = message
    payload["state"] = {"values": {}}
    payload["response_url"] = response_url or make_response_url(team_id)
    return payload


def _find_block_id(blocks: list[dict[str, Any]], action_id: str) -> str | None:
    for block in blocks:
        elements = list(block.get("elements") or [])
        for key in ("accessory", "element"):
            if key in block:
                elements.append(block[key])
        if any(isinstance(e, dict) and e.get("action_id") == action_id for e in elements):
            return block.get("block_id")
    return None


def block_actions_body(user_id: str, action_id: str, value: str | None = "", **kwargs: Any) -> str:
    """``payload=<urlencoded json>`` of ``block_actions_payload(...)`` (same arguments)."""
    return _payload_body(block_actions_payload(user_id, action_id, value, **kwargs))


# View state values: block_id -> action_id -> one of these (view_submission reference, "state.values").


def plain_text_input(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def _option(value: str, text: str | None = None) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text or value, "emoji": True}, "value": value}


def static_select(value: str | None, text: str | None = None) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": _option(value, text) if value is not None else None}


def multi_static_select(values: list[str]) -> dict[str, Any]:
    return {"type": "multi_static_select", "selected_options": [_option(v) for v in values]}


def checkboxes(values: list[str]) -> dict[str, Any]:
    return {"type": "checkboxes", "selected_options": [_option(v) for v in values]}


def radio_buttons(value: str | None, text: str | None = None) -> dict[str, Any]:
    return {"type": "radio_buttons", "selected_option": _option(value, text) if value is not None else None}


def users_select(user_id: str | None) -> dict[str, Any]:
    return {"type": "users_select", "selected_user": user_id}


def multi_users_select(user_ids: list[str]) -> dict[str, Any]:
    return {"type": "multi_users_select", "selected_users": list(user_ids)}


def conversations_select(channel_id: str | None) -> dict[str, Any]:
    return {"type": "conversations_select", "selected_conversation": channel_id}


def datepicker(date: str | None) -> dict[str, Any]:
    """date as "YYYY-MM-DD"."""
    return {"type": "datepicker", "selected_date": date}


def timepicker(hhmm: str | None) -> dict[str, Any]:
    """time as "HH:MM" (the user's local time)."""
    return {"type": "timepicker", "selected_time": hhmm}


def number_input(value: str | None) -> dict[str, Any]:
    return {"type": "number_input", "value": value}


def state_values(values: dict[str, dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Normalise block_id -> action_id -> value; a bare string (or None) means a plain_text_input."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for block_id, actions in values.items():
        out[block_id] = {
            action_id: (v if isinstance(v, dict) else plain_text_input(v)) for action_id, v in actions.items()
        }
    return out


def view_submission_payload(
    user_id: str,
    callback_id: str | None = None,
    values: dict[str, dict[str, Any]] | None = None,
    private_metadata: str | None = None,
    view_id: str | None = None,
    *,
    view: dict[str, Any] | None = None,
    user_name: str | None = None,
    trigger_id: str | None = None,
    team_id: str = DEFAULT_TEAM_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    api_app_id: str = DEFAULT_APP_ID,
    token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    """A view_submission payload. Pass ``view`` (e.g. from ``fake.modals_for(user)[-1]``) to submit that
    modal: its id, callback_id, private_metadata and blocks are used unless overridden here."""
    base = dict(view or {})
    vid = view_id or base.get("id") or f"V{next(_counter):09d}"
    submitted = {
        "id": vid,
        "team_id": team_id,
        "type": "modal",
        "blocks": base.get("blocks", []),
        "private_metadata": private_metadata
        if private_metadata is not None
        else base.get("private_metadata", ""),
        "callback_id": callback_id if callback_id is not None else base.get("callback_id", ""),
        "state": {"values": state_values(values or {})},
        "hash": base.get("hash") or f"{int(time.time())}.{secrets.token_hex(4)}",
        "title": base.get("title") or {"type": "plain_text", "text": "Modal", "emoji": True},
        "clear_on_close": base.get("clear_on_close", False),
        "notify_on_close": base.get("notify_on_close", False),
        "close": base.get("close"),
        "submit": base.get("submit") or {"type": "plain_text", "text": "Submit", "emoji": True},
        "previous_view_id": base.get("previous_view_id"),
        "root_view_id": base.get("root_view_id") or vid,
        "app_id": api_app_id,
        "external_id": base.get("external_id", ""),
        "app_installed_team_id": team_id,
        "bot_id": base.get("bot_id", "B0BOT"),
    }
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": team_domain},
        "user": _user(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": token,
        "trigger_id": trigger_id or make_trigger_id(),
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def view_submission_body(
    user_id: str,
    callback_id: str | None = None,
    values: dict[str, dict[str, Any]] | None = None,
    private_metadata: str | None = None,
    view_id: str | None = None,
    **kwargs: Any,
) -> str:
    """``payload=<urlencoded json>`` of ``view_submission_payload(...)`` (same arguments)."""
    return _payload_body(
        view_submission_payload(user_id, callback_id, values, private_metadata, view_id, **kwargs)
    )


# ---- Events API --------------------------------------------------------------------------------------------


def event_payload(
    event: dict[str, Any],
    team_id: str = DEFAULT_TEAM_ID,
    *,
    api_app_id: str = DEFAULT_APP_ID,
    event_id: str | None = None,
    event_time: int | None = None,
    bot_user_id: str = "U0BOT",
    token: str = VERIFICATION_TOKEN,
) -> dict[str, Any]:
    """The event_callback envelope around an inner event (event_ts added when missing)."""
    event = dict(event)
    event.setdefault("event_ts", _ts())
    return {
        "token": token,
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_counter):010d}",
        "event_time": event_time if event_time is not None else int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": secrets.token_hex(16),
    }


def event_body(event: dict[str, Any], team_id: str = DEFAULT_TEAM_ID, **kwargs: Any) -> str:
    """JSON text of ``event_payload(...)``."""
    return json.dumps(event_payload(event, team_id, **kwargs))


def url_verification_body(challenge: str, token: str = VERIFICATION_TOKEN) -> str:
    return json.dumps({"token": token, "challenge": challenge, "type": "url_verification"})


def app_home_opened_event(
    user_id: str, tab: str = "home", view: dict[str, Any] | None = None
) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "app_home_opened", "user": user_id, "channel": "D0HOME", "tab": tab}
    if view is not None:
        event["view"] = view
    return event


def member_joined_channel_event(user_id: str, channel_id: str, inviter: str | None = None) -> dict[str, Any]:
    event = {"type": "member_joined_channel", "user": user_id, "channel": channel_id, "channel_type": "C"}
    if inviter:
        event["inviter"] = inviter
    return event


def message_event(user_id: str, channel_id: str, text: str, channel_type: str = "im") -> dict[str, Any]:
    return {
        "type": "message",
        "user": user_id,
        "channel": channel_id,
        "channel_type": channel_type,
        "text": text,
        "ts": _ts(),
    }


# ---- signing and sending -----------------------------------------------------------------------------------


def signed_headers(
    secret: str, body: str, timestamp: int | None = None, content_type: str = FORM
) -> dict[str, str]:
    """Content-Type, X-Slack-Request-Timestamp and X-Slack-Signature for ``body``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    assert signature is not None
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


class Reply(NamedTuple):
    """What the app answered: unpacks as (status, headers, body). Header names are lower-case."""

    status: int
    headers: dict[str, str]
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class SlackSender:
    """Sends signed requests to an app at ``base_url + path`` (Bolt's default "/slack/events").

    With ``fake``, response_url and trigger_id come from it (trigger ids for the acting user), and
    team/app ids match it. The last ones used are kept in ``last_response_key``, ``last_response_url``
    and ``last_trigger_id``, so a test can read ``fake.responses_for(sender.last_response_key)``.
    """

    def __init__(
        self,
        base_url: str,
        signing_secret: str,
        fake: FakeSlack | None = None,
        *,
        path: str = "/slack/events",
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # Slack's clock, for the signature's timestamp: the bot checks it against its own clock.
        self.clock = clock
        self.signing_secret = signing_secret
        self.fake = fake
        self.path = path
        self.timeout = timeout
        self.team_id = fake.team_id if fake else DEFAULT_TEAM_ID
        self.team_domain = fake.team_domain if fake else DEFAULT_TEAM_DOMAIN
        self.api_app_id = fake.app_id if fake else DEFAULT_APP_ID
        self.last_response_key: str | None = None
        self.last_response_url: str | None = None
        self.last_trigger_id: str | None = None

    def _ids(self) -> dict[str, str]:
        return {"team_id": self.team_id, "team_domain": self.team_domain, "api_app_id": self.api_app_id}

    def _fill(self, user_id: str, kw: dict[str, Any], *, wants_response_url: bool = True) -> None:
        if self.fake is not None:
            if wants_response_url and not kw.get("response_url"):
                self.last_response_key = f"{user_id}-{next(_counter)}"
                kw["response_url"] = self.fake.response_url(self.last_response_key)
            if not kw.get("trigger_id"):
                kw["trigger_id"] = self.fake.new_trigger_id(user_id)
        self.last_response_url = kw.get("response_url")
        self.last_trigger_id = kw.get("trigger_id")

    def command(self, text: str = "", user_id: str = "U1", *, command: str = "/mentor", **kw: Any) -> Reply:
        self._fill(user_id, kw)
        if kw.get("response_url") is None:
            kw["response_url"] = self.last_response_url = make_response_url(self.team_id)
        kw = {**self._ids(), **kw}
        return self.post(slash_command_body(command, text, user_id, **kw), FORM)

    def action(self, user_id: str, action_id: str, value: str | None = "", **kw: Any) -> Reply:
        self._fill(user_id, kw, wants_response_url=kw.get("view") is None)
        kw = {**self._ids(), **kw}
        return self.post(block_actions_body(user_id, action_id, value, **kw), FORM)

    def submit(
        self, user_id: str, callback_id: str | None = None, values: dict[str, Any] | None = None, **kw: Any
    ) -> Reply:
        self._fill(user_id, kw, wants_response_url=False)
        kw.pop("response_url", None)
        kw = {**self._ids(), **kw}
        return self.post(view_submission_body(user_id, callback_id, values, **kw), FORM)

    def event(self, event: dict[str, Any], **kw: Any) -> Reply:
        kw.setdefault("api_app_id", self.api_app_id)
        if self.fake is not None:
            kw.setdefault("bot_user_id", self.fake.bot_user_id)
        return self.post(event_body(event, kw.pop("team_id", self.team_id), **kw), JSON)

    def url_verification(self, challenge: str) -> Reply:
        return self.post(url_verification_body(challenge), JSON)

    def post(self, body: str, content_type: str = FORM, timestamp: int | None = None) -> Reply:
        """Sign ``body`` and send it."""
        if timestamp is None:
            timestamp = int(self.clock())
        return self.post_raw(body, signed_headers(self.signing_secret, body, timestamp, content_type))

    def post_raw(self, body: str, headers: dict[str, str]) -> Reply:
        """Send ``body`` with exactly these headers (for bad-signature and stale-timestamp tests)."""
        parts = urlsplit(self.base_url)
        conn = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port or 80, timeout=self.timeout
        )
        try:
            conn.request("POST", parts.path + self.path, body=body.encode("utf-8"), headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", errors="replace")
            return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, text)
        finally:
            conn.close()
