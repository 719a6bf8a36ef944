"""A fake Slack Web API served over real HTTP on 127.0.0.1, for tests.

The bot under test talks to it exactly as it talks to Slack: give its ``WebClient`` the
``base_url=fake.api_url`` and the fake's ``bot_token``. Every call is recorded, answered in the shape
Slack documents, and can be made to fail (errors, HTTP 429/500, dropped connections, delays, a rate
limiter), so reliability code can be tested without patching anything.

Facts come from Slack's method reference (docs.slack.dev/reference/methods, as captured in
slack-ruby/slack-api-ref, commit f4837c0): argument names, error codes, rate-limit tiers and answer
shapes. Where a behaviour is not in that reference, the comment next to it says where it comes from.
Nothing here reads files at run time.

Routes served:
    /api/<method>        the Web API (GET query string, POST form or JSON body)
    /response/<key>      response_url captures (see ``response_url()``)
    /upload/<file_id>    upload targets handed out by files.getUploadURLExternal
"""

from app.sandbox.standin.checks import check_blocks, check_view
from app.sandbox.standin.common import (
    APP_TOKEN_METHODS,
    MAX_MESSAGE_BLOCKS,
    MAX_VIEW_BLOCKS,
    METHOD_TIERS,
    RATE_LIMIT_SHAPES,
    RESPONSE_URL_MAX_USES,
    TIER_PER_MINUTE,
    TRIGGER_TTL_SECONDS,
    Call,
    ResponsePost,
    SlackError,
    _Answer,
    _RateLimit,
)
from app.sandbox.standin.fake import FakeSlack
from app.sandbox.standin.routing import _Server

__all__ = [
    "APP_TOKEN_METHODS",
    "MAX_MESSAGE_BLOCKS",
    "MAX_VIEW_BLOCKS",
    "METHOD_TIERS",
    "RATE_LIMIT_SHAPES",
    "RESPONSE_URL_MAX_USES",
    "TIER_PER_MINUTE",
    "TRIGGER_TTL_SECONDS",
    "Call",
    "FakeSlack",
    "ResponsePost",
    "SlackError",
    "_Answer",
    "_RateLimit",
    "_Server",
    "check_blocks",
    "check_view",
]
