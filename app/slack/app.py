"""create_bolt_app: the Bolt App with its middleware, listeners and the one error handler."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient

from app.config import Settings
from app.domain.errors import DomainError
from app.services.container import Services
from app.slack.home import HomePublisher
from app.slack.listeners import actions, coffee, commands, events, insight, views
from app.slack.people import PeopleDirectory

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


def create_bolt_app(
    settings: Settings, services: Services, client: WebClient, people: PeopleDirectory, home: HomePublisher
) -> App:
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        # Bolt checks the token with auth.test on the first request rather than at import/start-up.
        token_verification_enabled=False,
        # Answer Slack's request as soon as a listener calls ack(); the rest runs after.
        process_before_response=False,
        raise_error_for_unhandled_request=False,
    )

    @app.middleware
    def provide_services(context: BoltContext, next: Any) -> None:
        # Listeners take these as keyword arguments, so they never reach for globals.
        context["services"] = services
        context["people"] = people
        context["home"] = home
        context["settings"] = settings
        next()

    @app.error
    def render_error(
        error: Exception, body: dict[str, Any], respond: Any, logger: logging.Logger
    ) -> BoltResponse | None:
        """The one place errors become words: known ones as their message, the rest as an apology."""
        if isinstance(error, DomainError):
            text = error.message
        else:
            logger.exception("unhandled error in a listener", exc_info=error)
            text = SORRY
        if body.get("response_url") or body.get("response_urls"):
            try:
                respond(text=text, response_type="ephemeral", replace_original=False)
            except Exception:  # the apology itself failed: nothing more to tell anyone
                logger.warning("could not deliver an error message")
        return BoltResponse(status=200, body="")

    commands.register(app)
    actions.register(app)
    coffee.register(app)
    insight.register(app)
    views.register(app)
    events.register(app)
    return app
