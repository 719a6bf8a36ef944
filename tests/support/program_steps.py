"""Steps of a program's story through signed requests, shared by the programs' end-to-end tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from e2e_support import button, text_of


def said(reply: Any) -> str:
    return text_of(reply.blocks, reply.text)


def pick(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


def typed(value: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def new_program_values(name: str, day: str, coach: str, kind: str = "reverse") -> dict[str, Any]:
    return {
        "program_name": {"program_name": typed(name)},
        "program_purpose": {"program_purpose": typed("Leaders learn from the people closest to the work.")},
        "program_kind": {"program_kind": pick(kind)},
        "program_gap": {"program_gap": pick("2")},
        "program_other_team": {
            "program_other_team": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}
        },
        "program_sessions": {"program_sessions": pick("7")},
        "program_every": {"program_every": pick("4")},
        "program_minutes": {"program_minutes": pick("60")},
        "program_start": {"program_start": {"type": "datepicker", "selected_date": day}},
        "program_coaches": {"program_coaches": {"type": "multi_users_select", "selected_users": [coach]}},
        "program_capacity": {"program_capacity": pick("1")},
    }


def application_values(role: str, team: str, level: str, interests: str = "", intro: str = "") -> dict:
    return {
        "program_role": {"program_role": pick(role)},
        "program_team": {"program_team": typed(team)},
        "program_level": {"program_level": pick(level)},
        "program_interests": {"program_interests": typed(interests)},
        "program_goals": {"program_goals": typed("")},
        "program_intro": {"program_intro": typed(intro)},
        "program_consent": {"program_consent": {"type": "checkboxes", "selected_options": []}},
    }


def open_modal_via(h: Any, user_id: str, run: Any) -> dict[str, Any]:
    before = len(h.fake.modals_for(user_id))
    run()
    return h.fake.wait_for(lambda: h.fake.modals_for(user_id)[before:])[-1]


def create_program(h: Any, admin: str, name: str, coach: str, kind: str = "reverse", days: int = 14) -> None:
    modal = open_modal_via(h, admin, lambda: h.command(admin, "program new"))
    day = (h.clock.now() + timedelta(days=days)).date().isoformat()
    assert h.sender.submit(admin, view=modal, values=new_program_values(name, day, coach, kind)).status == 200
    h.wait_idle()


def application_modal(h: Any, user_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The Apply button of the person's latest invitation, and the modal it opens."""
    invites = h.fake.wait_for(
        lambda: [m for m in h.fake.dms_to(user_id) if "program_apply" in str(m.get("blocks"))]
    )
    apply = button(invites[-1]["blocks"], "program_apply")
    modal = open_modal_via(h, user_id, lambda: h.sender.action(user_id, "program_apply", apply["value"]))
    assert modal["callback_id"] == "program_apply"
    return apply, modal


def apply_from_dm(h: Any, user_id: str, values: dict[str, Any]) -> Any:
    _, modal = application_modal(h, user_id)
    reply = h.sender.submit(user_id, view=modal, values=values)
    assert reply.status == 200
    return reply
