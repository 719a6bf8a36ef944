"""Delivering the outbox's due notices: the scheduler's use case, sent through the Slack port."""

from __future__ import annotations

from app.services.ports import NoticeCourier


class NoticeDelivery:
    def __init__(self, courier: NoticeCourier) -> None:
        self._courier = courier

    def deliver_due_notices(self) -> int:
        return self._courier.drain()
