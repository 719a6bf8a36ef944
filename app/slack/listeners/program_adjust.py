"""The preview's adjust modal (admins): opened from the preview's "Adjust in a form…" or the App Home's
Preview; each submission is one service call (lock, split or exclude), answered in the modal itself:
a field error, or the preview again with what changed. A second submission of the same change, or a
form left open while the next wave began or the wave was published, says so and changes nothing."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from app.domain.errors import Conflict, DomainError, InvalidInput
from app.services.container import Services
from app.services.programs import EXCLUDE, LOCK, SPLIT
from app.slack.blocks import program_adjust as forms
from app.slack.blocks.format import mention
from app.slack.blocks.programs import ALREADY
from app.slack.ids import Action, View
from app.slack.ids import ProgramField as F
from app.slack.listeners.modal import form_ref, open_modal
from app.slack.payloads import PreviewFormRef, ProgramAdjustRef
from app.slack.people import PeopleDirectory

_ACTIONS = {"lock": LOCK, "split": SPLIT, "exclude": EXCLUDE}


def register(app: App) -> None:
    app.action(Action.PROGRAM_ADJUST_FORM)(open_adjust_form)
    app.view(View.PROGRAM_ADJUST)(save_adjustment)


def open_adjust_form(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
) -> None:
    ack()
    ref = ProgramAdjustRef.decode(str((body.get("actions") or [{}])[0].get("value") or ""))
    shown = services.programs.preview(people.get(body["user"]["id"]), ref.program)
    answer = respond if body.get("response_url") else None  # a click on the App Home has no response_url
    open_modal(client, body["trigger_id"], forms.adjust_modal(shown), answer, again="click Adjust again")


def _state(view: dict[str, Any], field: F) -> dict[str, Any]:
    values = view.get("state", {}).get("values", {}) or {}
    return values.get(field, {}).get(field, {}) or {}


def _user(view: dict[str, Any], field: F) -> str:
    return str(_state(view, field).get("selected_user") or "")


def save_adjustment(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services, people: PeopleDirectory
) -> None:
    ref = form_ref(view, PreviewFormRef.decode, ack, field=F.ADJUST_WHAT, again="open it again")
    if ref is None:
        return
    what = str((_state(view, F.ADJUST_WHAT).get("selected_option") or {}).get("value") or "")
    mentor, mentee, person = (_user(view, f) for f in (F.ADJUST_MENTOR, F.ADJUST_MENTEE, F.ADJUST_PERSON))
    errors: dict[str, str] = {}
    if what not in _ACTIONS:
        errors[F.ADJUST_WHAT] = "Pick a change."
    elif what == "exclude" and not person:
        errors[F.ADJUST_PERSON] = "Pick the person to exclude."
    elif what != "exclude":
        if not mentor:
            errors[F.ADJUST_MENTOR] = f"Pick the mentor of the pair to {what}."
        if not mentee:
            errors[F.ADJUST_MENTEE] = f"Pick the mentee of the pair to {what}."
        if mentor and mentor == mentee:
            errors[F.ADJUST_MENTEE] = "A pair is two different people."
    if errors:
        ack(response_action="errors", errors=errors)
        return
    user, other = (person, "") if what == "exclude" else (mentor, mentee)
    admin = people.get(body["user"]["id"])
    try:
        shown = services.programs.adjust(admin, ref.program, _ACTIONS[what], user, other, wave=ref.wave)
    except Conflict as exc:
        ack(response_action="errors", errors={F.ADJUST_WHAT: exc.message})
        return
    except InvalidInput as exc:
        field = F.ADJUST_PERSON if what == "exclude" else F.ADJUST_MENTEE
        ack(response_action="errors", errors={field: exc.message})
        return
    except DomainError as exc:
        ack(response_action="errors", errors={F.ADJUST_WHAT: exc.message})
        return
    if not shown.changed:
        note = ALREADY
    elif what == "exclude":
        note = f"Excluded {mention(user)} from wave {shown.wave}."
    else:
        note = f"{'Locked' if what == 'lock' else 'Split'} {mention(user)} → {mention(other)}."
    ack(response_action="update", view=forms.adjust_modal(shown, note))
