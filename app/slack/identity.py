"""Who the bot is: ``auth.test`` once at start-up, retried while Slack can't answer, refused tokens named.

Bolt would otherwise call auth.test on the first request, so the first person after a start waits for
it (and, with Slack slow or unreachable, past Slack's 3-second limit). ``use_verified_identity`` hands
Bolt the answer fetched here, so no request ever waits for auth.test.
"""

from __future__ import annotations

import http.client
import logging
import threading
from collections.abc import Callable

from slack_bolt import App
from slack_bolt.middleware.authorization.single_team_authorization import SingleTeamAuthorization
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

log = logging.getLogger(__name__)

# auth.test's answers that no retry will change: the token is wrong, revoked, or its owner is gone.
REFUSED = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_allowed_token_type",
        "no_permission",
        "ekm_access_denied",
        "team_access_not_granted",
    }
)
FIRST_WAIT_SECONDS = 1.0
MAX_WAIT_SECONDS = 60.0


class TokenRefused(Exception):
    """Slack refused SLACK_BOT_TOKEN; ``error`` is its reason (invalid_auth, token_revoked, …)."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def check_bot_token(
    client: WebClient,
    stopped: threading.Event,
    *,
    first_wait: float = FIRST_WAIT_SECONDS,
    max_wait: float = MAX_WAIT_SECONDS,
    on_retry: Callable[[int, str, float], None] | None = None,
) -> SlackResponse | None:
    """auth.test until Slack answers: its answer, TokenRefused, or None when ``stopped`` was set first.

    A passing failure (no connection, a timeout, 5xx, 429, internal_error) is retried with a doubling
    wait capped at ``max_wait`` (at least Slack's Retry-After), forever: a service manager expects a
    service to wait out an outage rather than exit. ``on_retry(try, reason, wait)`` is told each time.
    """
    bare = _without_retries(client)
    wait, attempt = first_wait, 0
    while not stopped.is_set():
        attempt += 1
        try:
            return bare.auth_test()
        except SlackApiError as exc:
            error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
            if error in REFUSED:
                raise TokenRefused(error) from None
            reason = f"Slack answered {error}"
            retry_after = _retry_after(exc.response)
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, DNS, timeouts, cut short
            reason, retry_after = f"could not reach Slack ({_describe(exc)})", 0.0
        delay = min(max(wait, retry_after), max(max_wait, retry_after))
        (on_retry or _log_retry)(attempt, reason, delay)
        stopped.wait(delay)
        wait = min(wait * 2, max_wait)
    return None


def use_verified_identity(app: App, auth_test: SlackResponse) -> None:
    """Give Bolt's single-workspace authorization the answer fetched at start-up.

    Bolt has no public way to pass it in after construction; if a Bolt upgrade moves this middleware,
    fail at start-up (and in the tests) rather than silently go back to a per-first-request auth.test.
    """
    for middleware in app._middleware_list:  # private: see above
        if isinstance(middleware, SingleTeamAuthorization):
            middleware.auth_test_result = auth_test
            return
    raise RuntimeError("Bolt's SingleTeamAuthorization middleware was not found")


def _without_retries(client: WebClient) -> WebClient:
    """The same Slack, without the SDK's own retries: each try here is one line in the log."""
    quiet = logging.getLogger(f"{__name__}.client")
    quiet.setLevel(logging.CRITICAL)  # the SDK's "Failed to decode…" would be a second line per try
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=dict(client.headers),
        logger=quiet,
        retry_handlers=[],
    )


def _retry_after(response: SlackResponse) -> float:
    values = response.headers.get("Retry-After") or response.headers.get("retry-after") or ["0"]
    value = values[0] if isinstance(values, list) else values
    try:
        return float(value)
    except ValueError:
        return 0.0


def _describe(exc: Exception) -> str:
    reason = getattr(exc, "reason", None)  # URLError wraps the socket's error
    inner = reason if isinstance(reason, BaseException) else exc
    text = str(inner) or type(inner).__name__
    return text.splitlines()[0] if text else type(inner).__name__


def _log_retry(attempt: int, reason: str, delay: float) -> None:
    log.warning("auth.test try %d: %s; trying again in %.0f s", attempt, reason, delay)
