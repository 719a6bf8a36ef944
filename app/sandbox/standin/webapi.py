"""The Web API methods the bot calls (called with the lock held; each returns its answer without ok)."""

from __future__ import annotations

import copy
import time
from typing import Any

from app.sandbox.standin.common import (
    SlackError,
    _decode_cursor,
    _encode_cursor,
    _invalid_arguments,
    _truthy,
)
from app.sandbox.standin.helpers import _Helpers


class _WebApi(_Helpers):
    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        # auth.test "success_with_bot_token" example.
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        # "Generate a temporary Socket Mode WebSocket URL": {"ok": true, "url": "wss://…"}.
        if self.socket_mode_url is None:
            raise SlackError("internal_error")  # no stand-in is listening
        return {"url": self.socket_mode_url()}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = copy.deepcopy(self._user_or(args.get("user"), "user_not_found"))
        if _truthy(args.get("include_locale")):
            user["locale"] = "en-US"
        return {"user": user}

    def _users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        members = list(self.users.values())
        start = 0
        if args.get("cursor"):
            after = _decode_cursor(str(args["cursor"]), "user:")
            ids = [u["id"] for u in members]
            if after is None or after not in ids:
                raise SlackError("invalid_cursor")
            start = ids.index(after)
        try:
            limit = int(args.get("limit") or 0)
        except ValueError:
            limit = 0
        # "Providing no limit value will result in Slack attempting to deliver you the entire result set."
        page = members[start : start + limit] if limit > 0 else members[start:]
        end = start + len(page)
        next_cursor = _encode_cursor("user:" + members[end]["id"]) if end < len(members) else ""
        return {
            "members": copy.deepcopy(page),
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("users"):
            if args.get("channel"):  # "Resume a conversation by supplying an im or mpim's ID"
                channel = self.channels.get(str(args["channel"]))
                if channel is None or not (channel.is_im or channel.is_mpim):
                    raise SlackError("channel_not_found")
                existed = True
            else:
                raise SlackError("users_list_not_supplied")
        else:
            requested = [u.strip() for u in str(args["users"]).split(",") if u.strip()]
            # The caller (the bot) is always in its own DMs; naming it changes nothing. Naming nobody else
            # is "not_enough_users".
            people = list(dict.fromkeys(u for u in requested if u != self.bot_user_id))
            if not people:
                raise SlackError("not_enough_users")
            if len(people) > 8:  # too_many_users: "Needs at most 8 users to open"
                raise SlackError("too_many_users")
            for user_id in people:
                user = self._user_or(user_id, "user_not_found")
                if user["deleted"]:  # user_disabled: "A specified user has been disabled."
                    raise SlackError("user_disabled")
            channel, existed = self._open_dm(people)
        answer: dict[str, Any] = {"channel": {"id": channel.id}}
        if existed:
            answer.update(no_op=True, already_open=True)
        if _truthy(args.get("return_im")):
            # conversations.open "success_with_return_im" example.
            answer["channel"] = {
                "id": channel.id,
                "created": channel.created,
                "is_im": channel.is_im,
                "is_mpim": channel.is_mpim,
                "is_org_shared": False,
                "user": channel.user,
                "last_read": "0000000000.000000",
                "latest": None,
                "unread_count": 0,
                "unread_count_display": 0,
                "is_open": True,
                "priority": 0,
            }
        return answer

    def _conversations_members(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(args.get("channel") or ""))
        if channel is None:
            raise SlackError("channel_not_found")
        try:
            limit = int(args.get("limit") or 100)  # Slack's default page size here is 100
        except ValueError:
            raise SlackError("invalid_limit") from None
        if not 1 <= limit <= 1000:
            raise SlackError("invalid_limit")
        start = 0
        if args.get("cursor"):
            after = _decode_cursor(str(args["cursor"]), "user_id:")
            if after is None or after not in channel.members:
                raise SlackError("invalid_cursor")
            start = channel.members.index(after)
        page = channel.members[start : start + limit]
        end = start + len(page)
        next_cursor = _encode_cursor("user_id:" + channel.members[end]) if end < len(channel.members) else ""
        return {"members": list(page), "response_metadata": {"next_cursor": next_cursor}}

    def _conversations_invite(self, args: dict[str, Any]) -> dict[str, Any]:
        """Adds people to a channel the bot is in (docs: conversations.invite, its documented errors)."""
        channel = self.channels.get(str(args.get("channel") or ""))
        if channel is None:
            raise SlackError("channel_not_found")
        if channel.is_archived:
            raise SlackError("is_archived")
        if not channel.bot_is_member:
            raise SlackError("not_in_channel")
        users = [u for u in str(args.get("users") or "").split(",") if u]
        if not users:
            raise _invalid_arguments("[ERROR] missing required field: users")
        for user_id in users:
            if user_id not in self.users:
                raise SlackError("user_not_found")
        if all(u in channel.members for u in users):
            raise SlackError("already_in_channel")
        channel.members.extend(u for u in users if u not in channel.members)
        return {"channel": {"id": channel.id, "name": channel.name, "is_channel": True}}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first; ``oldest``/``latest`` bound by ts (exclusive unless ``inclusive``); message
        ``metadata`` only with ``include_all_metadata``; cursor pagination (docs: conversations.history)."""
        channel = self._resolve_channel(args.get("channel"))
        if not channel.bot_is_member:
            raise SlackError("not_in_channel")
        try:
            limit = int(args.get("limit") or 100)
            oldest = float(args.get("oldest") or 0)
            latest = float(args["latest"]) if args.get("latest") else float("inf")
        except ValueError:
            raise SlackError("invalid_arguments") from None
        limit = max(1, min(limit, 999))
        inclusive = _truthy(args.get("inclusive"))
        with_metadata = _truthy(args.get("include_all_metadata"))

        def in_range(ts: float) -> bool:
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        newest_first = [m for m in reversed(self._messages.get(channel.id, [])) if in_range(float(m["ts"]))]
        start = 0
        if args.get("cursor"):
            after = _decode_cursor(str(args["cursor"]), "next_ts:")
            positions = [i for i, m in enumerate(newest_first) if m["ts"] == after]
            if not positions:
                raise SlackError("invalid_cursor")
            start = positions[0]
        page = newest_first[start : start + limit]
        more = start + limit < len(newest_first)
        shown = []
        for message in page:
            item = {k: copy.deepcopy(v) for k, v in message.items() if k != "channel"}
            if not with_metadata:
                item.pop("metadata", None)
            shown.append(item)
        return {
            "messages": shown,
            "has_more": more,
            "pin_count": 0,
            "response_metadata": {
                "next_cursor": _encode_cursor("next_ts:" + newest_first[start + limit]["ts"]) if more else ""
            },
        }

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._writable_channel(args.get("channel"))
        content = self._message_content(args)
        if args.get("thread_ts"):
            content["thread_ts"] = str(args["thread_ts"])
        ts = self._new_ts()
        message = self._bot_message(ts, content)
        self._messages[channel.id].append({**message, "channel": channel.id})
        return {"channel": channel.id, "ts": ts, "message": copy.deepcopy(message)}

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._writable_channel(args.get("channel"))
        user_id = str(args.get("user") or "")
        if user_id not in channel.members:  # user_not_in_channel: "Intended recipient is not in the channel."
            raise SlackError("user_not_in_channel")
        content = self._message_content(args)
        ts = self._new_ts()
        self.ephemerals.append({"channel": channel.id, "user": user_id, "ts": ts, **content})
        return {"message_ts": ts}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"))
        message = self._find_message(channel.id, args.get("ts"))
        content = self._message_content(args, required=False)
        if not content:
            raise SlackError("no_text")
        if (
            len(content.get("text", "")) > 4000
        ):  # msg_too_long: "The text field cannot exceed 4,000 characters."
            raise SlackError("msg_too_long")
        message.update(content)
        message["edited"] = {"user": self.bot_user_id, "ts": self._new_ts()}
        public = {k: v for k, v in message.items() if k != "channel"}
        return {
            "channel": channel.id,
            "ts": message["ts"],
            "text": message.get("text", ""),
            "message": public,
        }

    def _chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"))
        message = self._find_message(channel.id, args.get("ts"))
        self._messages[channel.id].remove(message)
        return {"channel": channel.id, "ts": message["ts"]}

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._check_view_arg(args, "modal")
        trigger = self._claim_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
        view_id = self._new_id("V")
        stored = self._stored_view(view, view_id)
        self.views[view_id] = stored
        self._view_users[view_id] = trigger.user_id
        return {"view": copy.deepcopy(stored)}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id = args.get("view_id")
        external_id = args.get("external_id")
        if not view_id and not external_id:
            raise _invalid_arguments("[ERROR] either view_id or external_id is required")
        current = self.views.get(str(view_id)) if view_id else None
        if current is None and external_id:
            current = next((v for v in self.views.values() if v.get("external_id") == external_id), None)
        if current is None:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        view = self._check_view_arg({**args, "view_id": current["id"]}, "modal")
        stored = self._stored_view(view, current["id"], current["root_view_id"])
        self.views[current["id"]] = stored
        return {"view": copy.deepcopy(stored)}

    def answer_view_submission(self, view_id: str, answer: dict[str, Any]) -> str | None:
        """What Slack does with the app's answer to a ``view_submission`` of ``view_id``: ``update``
        replaces that modal (same id, new hash), ``push`` stacks a new modal on it, ``clear`` closes the
        whole stack, anything else (no answer, ``errors``) leaves it as it is. Returns the id of the modal
        the person sees next, None when none. An invalid view in the answer raises SlackError, as Slack
        shows the person an error instead."""
        with self._lock:
            current = self.views.get(view_id)
            if current is None:
                raise SlackError("not_found")
            action = answer.get("response_action")
            if action == "update":
                view = self._check_view_arg({"view": answer.get("view"), "view_id": view_id}, "modal")
                self.views[view_id] = self._stored_view(view, view_id, current["root_view_id"])
                return view_id
            if action == "push":
                view = self._check_view_arg({"view": answer.get("view")}, "modal")
                pushed_id = self._new_id("V")
                stored = self._stored_view(view, pushed_id, current["root_view_id"])
                stored["previous_view_id"] = view_id
                self.views[pushed_id] = stored
                self._view_users[pushed_id] = self._view_users.get(view_id)
                return pushed_id
            if action == "clear":
                return None
            return view_id if action == "errors" else current.get("previous_view_id")

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args.get("user_id") or "")
        if user_id not in self.users:
            raise _invalid_arguments("invalid `user_id`")  # views.publish error example
        view_id = self._home_views.get(user_id)
        if view_id and args.get("hash") and args["hash"] != self.views[view_id]["hash"]:
            raise SlackError("hash_conflict")
        view = self._check_view_arg({**args, "view_id": view_id}, "home")
        view_id = view_id or self._new_id("V")
        stored = self._stored_view(view, view_id)
        self.views[view_id] = stored
        self._home_views[user_id] = view_id
        self._view_users[view_id] = None  # a Home tab is not a modal
        return {"view": copy.deepcopy(stored)}

    def _files_get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        try:
            length = int(args.get("length") or 0)
        except ValueError:
            length = 0
        # missing_argument: "A required argument was not provided. Typically only occurs when length is 0."
        if not args.get("filename") or length <= 0:
            raise SlackError("missing_argument")
        file_id = self._new_id("F")
        self.files[file_id] = {
            "id": file_id,
            "name": str(args["filename"]),
            "length": length,
            "uploaded": False,
            "content": b"",
            "completed": False,
        }
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        items = args.get("files")
        if not isinstance(items, list) or not items:
            raise _invalid_arguments("[ERROR] missing required field: files")
        records = []
        for item in items:
            record = self.files.get(str(item.get("id") if isinstance(item, dict) else ""))
            if record is None or not record["uploaded"]:
                raise SlackError("file_not_found")  # "Could not find the file from the upload ticket."
            records.append((record, item))
        targets = [c for c in str(args.get("channels") or "").split(",") if c]
        if args.get("channel_id"):
            targets.insert(0, str(args["channel_id"]))
        channels = [self._writable_channel(c) for c in targets]
        now = int(time.time())
        shown = []
        for record, item in records:
            record.update(
                completed=True,
                title=item.get("title") or record["name"],
                channels=[c.id for c in channels],
                initial_comment=args.get("initial_comment"),
            )
            shown.append(
                {
                    "id": record["id"],
                    "created": now,
                    "timestamp": now,
                    "name": record["name"],
                    "title": record["title"],
                    "user": self.bot_user_id,
                    "size": len(record["content"]),
                }
            )
        for channel in channels:
            ts = self._new_ts()
            content = {
                "text": str(args.get("initial_comment") or ""),
                "files": copy.deepcopy(shown),
                "upload": True,
            }
            self._messages[channel.id].append({**self._bot_message(ts, content), "channel": channel.id})
        return {"files": shown}
