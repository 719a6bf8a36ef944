"""The outbox (notices and whom they name) and Slack deliveries already handled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class Notice(Base):
    """The outbox: a message that must reach someone, written in the transaction that caused it.

    ``key`` makes enqueueing idempotent; ``status`` moves queued -> sending -> sent | failed, and a
    claim (``claimed_until``) lets one dispatcher among several replicas send it.
    """

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_status_priority_due_at", "status", "priority", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Higher goes first (each notice type's ``priority``): what a person waits for before bulk.
    priority: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    due_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class NoticePerson(Base):
    """Who a notice concerns (``notices.Notice.recipients``): whom it is sent to (``addressee``) and
    whom it names. Erasure and "what did we send to whom" read this, never the payload's text."""

    __tablename__ = "notice_people"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    addressee: Mapped[bool] = mapped_column(Boolean, default=False)


class SlackEvent(Base):
    """A delivery already handled, by key: an Events API ``event_id``, or in Socket Mode
    ``trigger:<trigger_id>`` / ``envelope:<envelope_id>`` for commands and interactions. Slack's retries
    and a replica that sees the same delivery twice then do nothing. Rows older than a day are pruned."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
