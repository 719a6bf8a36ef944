"""What the page does, as Slack would do it: signed commands and interactions to the bot, and what each
person sees, read back from the stand-in (ephemeral answers, DMs, group DMs, the Home, modals, files)."""

from __future__ import annotations

import itertools
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from app.sandbox.clock import SandboxClock
from app.sandbox.signing import BotLink, Reply
from app.sandbox.standin import FakeSlack, SlackError

COMMAND_CHANNEL = "C0GENERAL"  # where people type /mentor in the sandbox


@dataclass
class _Slot:
    """One ephemeral message shown to a person through a response_url (replaced in place, or deleted)."""

    user: str
    seq: int
    body: dict[str, Any] | None = None


@dataclass
class Sandbox:
    fake: FakeSlack
    bot: BotLink
    clock: SandboxClock
    due_work: list[tuple[str, Callable[[], object]]]
    team_id: str = "T1"
    wait_idle: Callable[..., bool] = lambda timeout=10.0: True
    next_coffee_round: Callable[[], datetime | None] = lambda: None  # the soonest of every pool's rounds
    actions_sent: list[dict[str, Any]] = field(
        default_factory=list
    )  # each click or pick, and the bot's status
    _keys: dict[str, _Slot] = field(default_factory=dict)
    _seen: dict[str, int] = field(default_factory=dict)  # response key -> posts already applied
    _on_messages: set[str] = field(default_factory=set)  # keys of clicks on a conversation's message
    _closed: set[str] = field(default_factory=set)  # modal view ids closed or submitted
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.RLock = field(default_factory=threading.RLock)

    # ---- what the page sends ---------------------------------------------------------------------------

    def command(self, user: str, text: str) -> Reply:
        """``/mentor <text>`` typed by ``user``, as a signed form-encoded slash command."""
        slot = _Slot(user, next(self._seq))
        key = self._new_key(slot)
        return self.bot.command(
            {
                "token": "sandbox",
                "team_id": self.team_id,
                "team_domain": self.fake.team_domain,
                "channel_id": COMMAND_CHANNEL,
                "channel_name": "general",
                "user_id": user,
                "user_name": self._name(user),
                "command": "/mentor",
                "text": text,
                "api_app_id": self.fake.app_id,
                "is_enterprise_install": "false",
                "response_url": self.fake.response_url(key),
                "trigger_id": self.fake.new_trigger_id(user),
            }
        )

    def action(self, user: str, where: dict[str, Any], action: dict[str, Any]) -> Reply:
        """A click or a pick on a message, the Home or a modal: a signed ``block_actions`` payload.

        ``where`` names the surface: {"kind": "message", "channel", "ts"}, {"kind": "response", "slot"},
        or {"kind": "view", "view_id", "values"}. ``action`` is the element's action as Slack sends it.
        """
        action = {**action, "action_ts": f"{time.time():.6f}"}
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user(user),
            "api_app_id": self.fake.app_id,
            "token": "sandbox",
            "trigger_id": self.fake.new_trigger_id(user),
            "team": {"id": self.team_id, "domain": self.fake.team_domain},
            "enterprise": None,
            "is_enterprise_install": False,
            "actions": [action],
        }
        kind = where.get("kind")
        if kind == "view":
            view = self._view(str(where.get("view_id")))
            if view is None:
                return Reply(404, "no such view")
            view["state"] = {"values": where.get("values") or {}}
            payload.update(container={"type": "view", "view_id": view["id"]}, view=view, state=view["state"])
        elif kind == "ephemeral":  # one posted with chat.postEphemeral: Slack sends no message body for it
            shown = self.fake.ephemerals_for(user)
            index = int(where.get("index", -1))
            if not 0 <= index < len(shown):
                return Reply(404, "no such message")
            channel = str(shown[index]["channel"])
            payload.update(
                container={
                    "type": "message",
                    "message_ts": str(shown[index].get("ts", f"{time.time():.6f}")),
                    "channel_id": channel,
                    "is_ephemeral": True,
                },
                channel={"id": channel, "name": channel.lower()},
                state={"values": where.get("values") or {}},
                response_url=self.fake.response_url(self._new_key(_Slot(user, next(self._seq)))),
            )
        elif kind == "response":
            slot = self._slot(user, int(where.get("slot", 0)))
            if slot is None or slot.body is None:
                return Reply(404, "no such message")
            message = {"type": "message", "ts": f"{slot.seq}.000000", **slot.body}
            payload.update(
                container={
                    "type": "message",
                    "message_ts": message["ts"],
                    "channel_id": COMMAND_CHANNEL,
                    "is_ephemeral": True,
                },
                channel={"id": COMMAND_CHANNEL, "name": "general"},
                message=message,
                state={"values": where.get("values") or {}},
                response_url=self.fake.response_url(self._new_key(slot)),
            )
        else:
            channel, ts = str(where.get("channel")), str(where.get("ts"))
            found = [m for m in self.fake.messages_in(channel) if m.get("ts") == ts]
            if not found:
                return Reply(404, "no such message")
            message = {k: v for k, v in found[0].items() if k != "channel"}
            payload.update(
                container={
                    "type": "message",
                    "message_ts": ts,
                    "channel_id": channel,
                    "is_ephemeral": False,
                },
                channel={"id": channel, "name": channel.lower()},
                message=message,
                state={"values": where.get("values") or {}},
                # replace_original / delete_original act on this message, as in Slack; any other answer
                # is a new message only the clicker sees.
                response_url=self.fake.response_url(
                    self._new_key(_Slot(user, next(self._seq)), acts_on_message=True), original=(channel, ts)
                ),
            )
        reply = self.bot.interaction(payload)
        with self._lock:
            self.actions_sent.append({"user": user, "actions": payload["actions"], "status": reply.status})
        return reply

    def open_home(self, user: str) -> Reply:
        """The person opens the bot's Home tab: a signed ``app_home_opened`` event (Events API)."""
        now = time.time()
        return self.bot.event(
            {
                "token": "sandbox",
                "team_id": self.team_id,
                "api_app_id": self.fake.app_id,
                "type": "event_callback",
                "event_id": f"Ev{secrets.token_hex(8).upper()}",
                "event_time": int(now),
                "event": {
                    "type": "app_home_opened",
                    "user": user,
                    "channel": self.fake.dm_channel_for(user),
                    "tab": "home",
                    "event_ts": f"{now:.6f}",
                },
            }
        )

    def submit(self, user: str, view_id: str, values: dict[str, Any]) -> Reply:
        """Submit a modal: a signed ``view_submission``; the bot's answer (e.g. field errors) is returned."""
        view = self._view(view_id)
        if view is None:
            return Reply(404, "no such view")
        view["state"] = {"values": values}
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": self.fake.team_domain},
            "user": self._user(user),
            "api_app_id": self.fake.app_id,
            "token": "sandbox",
            "trigger_id": self.fake.new_trigger_id(user),
            "view": view,
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        reply = self.bot.interaction(payload)
        if reply.status == 200:
            self._after_submission(view_id, _answer(reply))
        return reply

    def _after_submission(self, view_id: str, answer: dict[str, Any]) -> None:
        """Show what Slack would: the same modal with errors, an updated or pushed one, or none."""
        try:
            showing = self.fake.answer_view_submission(view_id, answer)
        except SlackError:  # an invalid view in the answer: Slack keeps the modal and shows an error
            return
        with self._lock:
            if answer.get("response_action") == "clear":
                root = (self.fake.views.get(view_id) or {}).get("root_view_id")
                self._closed.update(v for v, m in self.fake.views.items() if m.get("root_view_id") == root)
            elif showing != view_id:
                self._closed.add(view_id)
            if showing is not None:
                self._closed.discard(showing)

    def close(self, view_id: str) -> None:
        with self._lock:
            self._closed.add(view_id)

    def move_clock(self, by: timedelta) -> None:
        self.clock.advance(by)
        self.run_due_work()

    def run_due_work(self) -> list[str]:
        """Each scheduler job once, now (the sandbox's clock), as the scheduler would run it."""
        failed = []
        for name, job in self.due_work:
            try:
                job()
            except Exception:  # shown on the page; the next tick tries again, as the scheduler would
                failed.append(name)
        return failed

    # ---- what the page shows ---------------------------------------------------------------------------

    def people(self) -> list[dict[str, Any]]:
        return [
            {"id": u["id"], "name": u["real_name"], "tz": u["tz"], "title": u["profile"].get("title", "")}
            for u in self.fake.users.values()
            if not u.get("is_bot")
        ]

    def seen_by(self, user: str) -> dict[str, Any]:
        """Everything ``user`` can see now, newest last."""
        self._apply_responses()
        with self._lock:
            answers = [
                {"slot": s.seq, **(s.body or {})}
                for s in sorted({id(s): s for s in self._keys.values()}.values(), key=lambda s: s.seq)
                if s.user == user and s.body is not None
            ]
        ephemerals = [
            {"channel": e["channel"], "text": e.get("text"), "blocks": e.get("blocks")}
            for e in self.fake.ephemerals_for(user)
        ]
        conversations = []
        for channel in list(self.fake.channels.values()):
            if (channel.is_im or channel.is_mpim) and user in channel.members:
                others = [self._name(m) for m in channel.members if m not in (user, self.fake.bot_user_id)]
                conversations.append(
                    {
                        "id": channel.id,
                        "group": channel.is_mpim,
                        "with": others or ["mentorbot"],
                        "messages": self.fake.messages_in(channel.id),
                    }
                )
        modals = [m for m in self.fake.modals_for(user) if m["id"] not in self._closed]
        return {
            "user": user,
            "now": self.clock().isoformat(),
            "answers": answers,
            "ephemerals": ephemerals,
            "conversations": conversations,
            "home": self.fake.home_view(user),
            "modal": modals[-1] if modals else None,
        }

    def calls(self, since: int = 0) -> list[dict[str, Any]]:
        return [
            {"n": n, "method": c.method, "args": c.args, "status": c.status, "response": c.response}
            for n, c in enumerate(list(self.fake.calls)[since:], start=since)
        ]

    def file(self, file_id: str) -> tuple[str, bytes] | None:
        record = self.fake.files.get(file_id)
        if record is None:
            return None
        content = record.get("content", b"")
        return str(record["name"]), content if isinstance(content, bytes) else str(content).encode()

    def forget_answers(self) -> None:
        """Drop the ephemeral answers shown so far (the seeding's commands), so a person's view starts
        clean; messages, Homes and the Web API log stay."""
        with self._lock:
            self._keys.clear()
            self._seen.clear()
            self._on_messages.clear()

    # ---- helpers ---------------------------------------------------------------------------------------

    def _new_key(self, slot: _Slot, *, acts_on_message: bool = False) -> str:
        key = f"sb{secrets.token_hex(6)}"
        with self._lock:
            self._keys[key] = slot
            if acts_on_message:
                self._on_messages.add(key)
        return key

    def _slot(self, user: str, seq: int) -> _Slot | None:
        with self._lock:
            return next((s for s in self._keys.values() if s.user == user and s.seq == seq), None)

    def _apply_responses(self) -> None:
        """Fold response_url posts into the messages they make: a new one, a replacement, a deletion."""
        with self._lock:
            for key, slot in list(self._keys.items()):
                posts = self.fake.responses_for(key)
                for post in posts[self._seen.get(key, 0) :]:
                    if post.status != 200:
                        continue
                    if key in self._on_messages and (post.replace_original or post.delete_original):
                        continue  # the stand-in changed the message in its conversation
                    if post.delete_original:
                        slot.body = None
                    elif post.replace_original or slot.body is None:
                        slot.body = {"text": post.text, "blocks": post.blocks}
                    else:  # a new ephemeral message after the one clicked
                        fresh = _Slot(slot.user, next(self._seq), {"text": post.text, "blocks": post.blocks})
                        self._keys[f"{key}+{fresh.seq}"] = fresh
                self._seen[key] = len(posts)

    def _view(self, view_id: str) -> dict[str, Any] | None:
        with self.fake._lock:
            view = self.fake.views.get(view_id)
            return json.loads(json.dumps(view)) if view else None

    def _name(self, user: str) -> str:
        return str(self.fake.users.get(user, {}).get("real_name") or user)

    def _user(self, user: str) -> dict[str, str]:
        name = self._name(user)
        return {"id": user, "username": name, "name": name, "team_id": self.team_id}


def _answer(reply: Reply) -> dict[str, Any]:
    """The JSON the bot answered a view_submission with ({} for an empty 200)."""
    try:
        answer = json.loads(reply.body) if reply.body.strip() else {}
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}
