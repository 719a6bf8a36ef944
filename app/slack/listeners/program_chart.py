"""The chart of a program's sessions held per week, uploaded to the admin's DM beside the stats."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from app.services.programs.outcomes import Stats

log = logging.getLogger(__name__)


def upload_chart(client: WebClient, user_id: str, s: Stats) -> bool:
    """Upload the PNG (nothing when no session was held yet); a failed upload is logged, the figures
    are answered anyway."""
    if not s.weekly:
        return False
    # matplotlib takes over half a second to import: only the first chart pays it, not every start
    from app.slack.charts import sessions_per_week_png

    scope = f"wave {s.wave}" if s.wave is not None else "all waves"
    title = f"{s.program}, {scope}: sessions held per week"
    try:
        channel = client.conversations_open(users=user_id)["channel"]["id"]
        client.files_upload_v2(
            channel=channel,
            content=sessions_per_week_png(title, s.weekly),
            filename="program-sessions-per-week.png",
            title=title,
            initial_comment=f"Sessions held per week in *{s.program}* ({scope}), as the stats count them.",
        )
    except SlackApiError as exc:
        log.warning("the program chart was not uploaded: %s", exc.response.get("error"))
        return False
    return True
