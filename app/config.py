"""Settings from the environment (and a ``.env`` file), validated once at start-up."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import annotated_types
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///mentorbot.sqlite3"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class DatabaseSettings(BaseSettings):
    """What ``migrate`` and ``import-members`` need: the database, the default zone, logging. No tokens."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="a database URL such as sqlite:///mentorbot.sqlite3 or postgresql://user:password@host/db",
    )
    default_timezone: str = Field(default="UTC", description="an IANA time zone such as Europe/Berlin")
    log_format: Literal["json", "text"] | None = Field(
        default=None,
        description="json (one JSON object per line, for log shippers) or text (for a terminal)",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="DEBUG, INFO, WARNING or ERROR"
    )

    @field_validator("database_url")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        from app.db.engine import normalise_url

        try:
            make_url(normalise_url(value)).get_dialect()
        except NoSuchModuleError:  # a subclass of ArgumentError: first
            scheme = value.partition(":")[0]
            raise ValueError(f"sqlite:///… or postgresql://… (no database driver for {scheme}://)") from None
        except ArgumentError:
            raise ValueError(
                "a database URL such as sqlite:///mentorbot.sqlite3 or postgresql://user:password@host/db"
            ) from None
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a directory
            raise ValueError("an IANA time zone such as Europe/Berlin") from None
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _log_format_any_case(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip().lower() or None  # empty: choose by whether stderr is a terminal
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level_any_case(cls, value: object) -> object:
        if isinstance(value, str):
            level = value.strip().upper()
            return "WARNING" if level == "WARN" else level
        return value


class Settings(DatabaseSettings):
    """Everything the bot reads from its environment. Tokens are secrets: never logged or echoed."""

    slack_bot_token: SecretStr = Field(description="the bot token, xoxb-…")
    slack_signing_secret: SecretStr = Field(description="the app's signing secret")
    slack_app_token: SecretStr | None = Field(
        default=None, description="an app-level token, xapp-…; when set the bot runs in Socket Mode"
    )
    slack_api_url: str = Field(default="https://slack.com/api/", description="the Web API base URL")
    port: int = Field(default=3000, ge=1, le=65535, description="the HTTP port")
    host: str = Field(default="0.0.0.0", description="the HTTP bind address")
    mentorbot_admins: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(), description="comma-separated Slack user IDs, e.g. U012ABC,U034DEF"
    )
    request_expiry_hours: float = Field(
        default=24, gt=0, description="hours a mentor has to answer a request before it expires"
    )
    reverse_min_level_gap: int = Field(
        default=2, ge=1, le=4, description="levels a reverse mentor is at least below the asker (1-4)"
    )
    waitlist_confirm_hours: float = Field(
        default=4, gt=0, description="hours the first on a waitlist has to take a seat that came free"
    )
    feedback_reminder_days: float = Field(
        default=2, gt=0, description="days after the feedback question to send the one reminder"
    )
    coffee_repeat_window: int = Field(
        default=6, ge=0, le=52, description="rounds within which the same pair is not matched again"
    )
    coffee_grace_hours: float = Field(
        default=12, ge=0, description="how late a round that came due while the bot was down still runs"
    )
    coffee_followup_days: float = Field(
        default=3, gt=0, description="days after a round to ask 'Did you meet?'"
    )
    coffee_mix_levels: bool = Field(default=False, description="prefer pairing people of different levels")
    slack_history_check: bool = Field(
        default=False,
        description="before resending a notice, look for it in the conversation (needs the im:history and "
        "mpim:history scopes)",
    )
    scheduler_enabled: bool = Field(default=True, description="run the background jobs in this process")
    http_threads: int = Field(default=16, ge=1, le=256, description="HTTP worker threads")
    after_ack_threads: int = Field(
        default=4,
        ge=1,
        le=64,
        description="threads for work a listener hands off after its ack (a Join's seat); few, so a burst "
        "of that work leaves the CPU to the acks",
    )
    web_concurrency: int = Field(
        default=1,
        ge=1,
        le=64,
        description="HTTP worker processes sharing the port (pre-forked); the scheduler runs in the first",
    )

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("a bot token starting with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value():
            return None
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("an app-level token starting with xapp-")
        return value

    @field_validator("slack_signing_secret")
    @classmethod
    def _signing_secret_present(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("the signing secret from the app's Basic Information page")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("mentorbot_admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        if isinstance(value, str):
            ids = [part.strip() for part in value.split(",") if part.strip()]
            for user_id in ids:
                if user_id[:1] not in ("U", "W") or not user_id.isalnum():
                    raise ValueError(f"Slack user IDs such as U012ABC, separated by commas (got {user_id!r})")
            return frozenset(ids)
        return value

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None


class SettingsError(Exception):
    """Start-up cannot go on: one line naming the variable and what it wants."""


AnySettings = TypeVar("AnySettings", bound=DatabaseSettings)


@overload
def load_settings(**overrides: Any) -> Settings: ...
@overload
def load_settings(model: type[AnySettings], **overrides: Any) -> AnySettings: ...
def load_settings(model: type[DatabaseSettings] = Settings, **overrides: Any) -> DatabaseSettings:
    """Build settings, turning pydantic's report into one readable line per bad variable."""
    try:
        return model(**overrides)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(exc, model)) from None


def describe_validation_error(exc: ValidationError, model: type[BaseSettings] = Settings) -> str:
    """``PORT is malformed: it wants a whole number from 1 to 65535 (the HTTP port); got '70000'.``"""
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        field = model.model_fields.get(name.lower())
        description = field.description if field is not None and field.description else "a valid value"
        if error["type"] == "missing":
            lines.append(f"{name} is not set: it wants {description}.")
            continue
        wants = _wants(error, field, description)
        got = error.get("input")
        secret = name in _NEVER_ECHOED or (field is not None and "SecretStr" in str(field.annotation))
        shown = isinstance(got, str) and not secret and "got " not in wants
        lines.append(f"{name} is malformed: it wants {wants}" + (f"; got {got[:40]!r}." if shown else "."))
    return "\n".join(lines)


_NEVER_ECHOED = {"DATABASE_URL"}  # it may hold a password

_KINDS = {
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
}


def _wants(error: Any, field: FieldInfo | None, description: str) -> str:
    """What the variable wants, from the kind of mistake: pydantic's own words are for programmers."""
    kind = str(error["type"])
    if kind == "value_error":  # our validators say what they want
        return str(error.get("msg", "")).removeprefix("Value error, ")
    what = _KINDS.get(kind)
    if what is None and kind.startswith(("greater_than", "less_than")):
        what = "a whole number" if field is not None and field.annotation is int else "a number"
    if what is None:
        return description
    return f"{what}{_bounds(field)} ({description})"


def _bounds(field: FieldInfo | None) -> str:
    """ " from 1 to 65535", " above 0", …: the limits declared on the field."""
    rules: dict[str, Any] = {}
    for rule in field.metadata if field is not None else ():
        for key in ("ge", "gt", "le", "lt"):
            if isinstance(rule, getattr(annotated_types, key.capitalize())):
                rules[key] = getattr(rule, key)
    if "ge" in rules and "le" in rules:
        return f" from {rules['ge']} to {rules['le']}"
    words = {"ge": "of at least", "gt": "above", "le": "of at most", "lt": "below"}
    return "".join(f" {words[key]} {value}" for key, value in rules.items())
