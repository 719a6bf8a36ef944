"""create_bolt_app: the Bolt App with its middleware, listeners and the one error handler."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient

from app.config import Settings
from app.domain.errors import DomainError, NotAllowed
from app.logs import bind, current_fields
from app.services.container import Services
from app.slack.ack_wait import AckAwaitingExecutor, give_signalling_ack
from app.slack.after_ack import AfterAck, error_text
from app.slack.command_text import subcommand_word
from app.slack.home import HomePublisher
from app.slack.listeners import (
    about,
    actions,
    coffee,
    coffee_pools,
    commands,
    events,
    hosting,
    insight,
    moving,
    program_changes,
    program_check_ins,
    program_endings,
    program_surveys,
    programs,
    seat_offers,
    session_feedback,
    views,
)
from app.slack.people import PeopleDirectory
from app.slack.verification import QuietRequestVerification

log = logging.getLogger(__name__)

# Socket Mode puts the envelope's id in the Bolt context under this name (see socket_mode.py).
ENVELOPE_ID = "socket_mode_envelope_id"


def create_bolt_app(
    settings: Settings,
    services: Services,
    client: WebClient,
    people: PeopleDirectory,
    home: HomePublisher,
    after_ack: AfterAck,
) -> App:
    signing_secret = settings.slack_signing_secret.get_secret_value()
    app = App(
        client=client,
        signing_secret=signing_secret,
        # Start-up checks the token once and hands Bolt the answer (use_verified_identity); tests that
        # skip start-up let Bolt call auth.test on the first request.
        token_verification_enabled=False,
        # Ours checks the same signature without logging a refused request's body (goals, response_url).
        request_verification_enabled=False,
        before_authorize=QuietRequestVerification(signing_secret),
        # Answer Slack's request as soon as a listener calls ack(); the rest runs after.
        process_before_response=False,
        raise_error_for_unhandled_request=False,
        # After-ack work keeps the request's log fields (request id, user, what was asked).
        # The pool also lets a request's thread answer as soon as its listener acks (ack_wait.py).
        listener_executor=AckAwaitingExecutor(
            max_workers=settings.http_threads, thread_name_prefix="listener"
        ),
    )

    @app.middleware
    def describe_request(body: dict[str, Any], context: BoltContext, next: Any) -> BoltResponse | None:
        """Name the request in the log and metrics; run each delivery once, however often it comes."""
        kind, what = request_kind(body)
        bind(kind=kind, what=what, user=_user_id(body))
        key = delivery_key(body, envelope_id=context.get(ENVELOPE_ID))
        if key and not services.operations.first_delivery(key):
            log.info("%s already handled; acknowledging the repeat without running it again", kind)
            return BoltResponse(status=200, body="")
        next()
        return None

    @app.middleware
    def provide_services(context: BoltContext, next: Any) -> None:
        # Listeners take these as keyword arguments, so they never reach for globals.
        context["services"] = services
        context["people"] = people
        context["home"] = home
        context["settings"] = settings
        context["after_ack"] = after_ack
        next()

    # Last of the global middleware, so nothing after it can answer instead of a listener.
    app.middleware(give_signalling_ack)

    @app.error
    def render_error(
        error: Exception, body: dict[str, Any], respond: Any, logger: logging.Logger
    ) -> BoltResponse | None:
        """The one place errors become words: known ones as their message, the rest as an apology."""
        if isinstance(error, NotAllowed):
            # Buttons and commands for admins are only shown to admins: a request that gets here was
            # crafted or is very stale. Worth a line for whoever watches the logs.
            log.warning("refused: %s by %s: %s", current_fields().get("what"), _user_id(body), error.message)
        if not isinstance(error, DomainError):
            logger.exception("unhandled error in a listener", exc_info=error)
        text = error_text(error)
        if body.get("response_url") or body.get("response_urls"):
            try:
                respond(text=text, response_type="ephemeral", replace_original=False)
            except Exception:  # the apology itself failed: nothing more to tell anyone
                logger.warning("could not deliver an error message")
        return BoltResponse(status=200, body="")

    # Bolt tries the listeners one after another in the order they were registered (each try ~20 µs of
    # CPU: it builds the listener's keyword arguments), and no two of ours match the same request, so
    # the order is free: what comes in bursts or most often goes first. The one command, a session's
    # Join and Leave (50 clicks at once on an announced session), seat offers, then Home opens.
    commands.register(app)
    hosting.register(app)
    seat_offers.register(app)
    events.register(app)
    actions.register(app)
    coffee.register(app)
    insight.register(app)
    views.register(app)
    about.register(app)
    programs.register(app)
    coffee_pools.register(app)
    moving.register(app)
    program_endings.register(app)
    program_check_ins.register(app)
    program_surveys.register(app)
    program_changes.register(app)
    session_feedback.register(app)
    return app


def delivery_key(body: dict[str, Any], *, envelope_id: str | None) -> str | None:
    """The key under which a delivery is recorded so it runs once (across replicas: it is a row).

    An event keeps its ``event_id`` over Slack's retries, in either mode. Socket Mode also re-delivers
    commands and interactions: an envelope whose ack was lost comes again with its ``envelope_id``, and a
    retry (``retry_attempt`` > 0) may come in a new envelope with the same ``trigger_id``, which Slack
    issues once per click or command. Over HTTP Slack does not resend those, so they get no key.
    """
    if body.get("type") == "event_callback":
        return str(body["event_id"]) if body.get("event_id") else None
    if envelope_id is None:
        return None
    trigger_id = body.get("trigger_id")
    return f"trigger:{trigger_id}" if trigger_id else f"envelope:{envelope_id}"


def request_kind(body: dict[str, Any]) -> tuple[str, str | None]:
    """(kind, what) of a Slack request: ("command", "/mentor ask"), ("action", action_id), …"""
    if body.get("command"):
        text = str(body.get("text") or "")
        if not text.strip():
            return "command", str(body["command"])
        return "command", f"{body['command']} {subcommand_word(text) or '(unknown)'}"
    kind = body.get("type")
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        return "action", str(actions[0].get("action_id") or "")
    if kind in ("view_submission", "view_closed"):
        return "view", str((body.get("view") or {}).get("callback_id") or "")
    if kind == "event_callback":
        return "event", str((body.get("event") or {}).get("type") or "")
    if kind == "url_verification":
        return "url_verification", None
    return str(kind or "other"), None


def _user_id(body: dict[str, Any]) -> str | None:
    user = body.get("user")
    if isinstance(user, dict):
        return user.get("id")
    return body.get("user_id") or (body.get("event") or {}).get("user")
