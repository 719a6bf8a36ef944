"""The mentor register's answers: the lead line of each change, and the words of leaving."""

from __future__ import annotations

from app.services.register import ProfileView
from app.slack.blocks.messages import Message, profile_summary

LEFT_REGISTER = (
    "You've left the mentor register. Thank you for mentoring! Come back any time with `/mentor join #topic`."
)
STAYED_ON_REGISTER = "Great, you stay on the register. :relieved:"


def joined_lead(created: bool) -> str:
    if created:
        return "Welcome to the mentor register! :tada: People can now ask you for 15-minute conversations."
    return "Your topics are updated."


def availability_lead(available: bool) -> str:
    if available:
        return "You're available for new requests again."
    return "You won't be offered for new requests. Your booked conversations stay as they are."


def away_lead(*, back: bool) -> str:
    if back:
        return "Welcome back! You're offered for new requests again."
    return (
        "Enjoy the break. You won't be offered for new requests until you're back; booked conversations stay."
    )


def profile_saved(view: ProfileView) -> Message:
    return profile_summary(view, lead="Your mentor profile is saved. :white_check_mark:")
