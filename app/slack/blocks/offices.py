"""The offices list (`/mentor offices`) and the words of adding or removing one."""

from __future__ import annotations

from app.services.offices import OfficeView
from app.slack.blocks.messages import Message, plain
from app.slack.mrkdwn import escape


def offices_message(offices: list[OfficeView], *, lead: str = "") -> Message:
    if not offices:
        body = "No offices yet. Admins add them: `/mentor offices add Berlin Europe/Berlin`."
    else:
        lines = [
            f"• *{escape(o.name)}* ({escape(o.tz)}), {o.people} {'person' if o.people == 1 else 'people'}"
            for o in offices
        ]
        body = "*Offices*\n" + "\n".join(lines) + "\nSay which one is yours with `/mentor about`."
    return plain(f"{lead}\n{body}" if lead else body)
