"""Settings from the environment (and a ``.env`` file), validated once at start-up."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///mentorbot.sqlite3"


class Settings(BaseSettings):
    """Everything the bot reads from its environment. Tokens are secrets: never logged or echoed."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr = Field(description="the bot token, xoxb-…")
    slack_signing_secret: SecretStr = Field(description="the app's signing secret")
    slack_app_token: SecretStr | None = Field(
        default=None, description="an app-level token, xapp-…; when set the bot runs in Socket Mode"
    )
    slack_api_url: str = Field(default="https://slack.com/api/", description="the Web API base URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, description="a SQLAlchemy database URL")
    port: int = Field(default=3000, ge=1, le=65535, description="the HTTP port")
    host: str = Field(default="0.0.0.0", description="the HTTP bind address")
    mentorbot_admins: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(), description="comma-separated Slack user IDs, e.g. U012ABC,U034DEF"
    )
    default_timezone: str = Field(default="UTC", description="an IANA time zone such as Europe/Berlin")
    request_expiry_hours: float = Field(
        default=24, gt=0, description="hours a mentor has to answer a request before it expires"
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
    log_format: Literal["json", "text"] = Field(
        default="json", description="json: one JSON object per line (for log shippers); text: for a terminal"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO", description="log level")

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

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a directory
            raise ValueError("an IANA time zone such as Europe/Berlin") from None
        return value

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.mentorbot_admins


class SettingsError(Exception):
    """Start-up cannot go on: one line naming the variable and what it wants."""


def load_settings(**overrides: object) -> Settings:
    """Build Settings, turning pydantic's report into one readable line per bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(exc)) from None


def describe_validation_error(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        field = Settings.model_fields.get(name.lower())
        wants = field.description if field is not None and field.description else "a valid value"
        if error["type"] == "missing":
            lines.append(f"{name} is not set: it wants {wants}.")
        else:
            reason = str(error.get("msg", "")).removeprefix("Value error, ")
            lines.append(
                f"{name} is malformed: it wants {reason if error['type'] == 'value_error' else wants}."
            )
    return "\n".join(lines)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
