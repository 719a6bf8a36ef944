"""Programs: `/mentor program …` sub-commands (admins), the new-program modal, Apply and the
application modal. Each acks, reads, makes one service call and answers privately."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from app.domain.cohorts import ProgramKind, Role
from app.domain.errors import DomainError
from app.services.container import Services
from app.services.people import Person
from app.services.programs import EXCLUDE, LOCK, SPLIT, Application, ProgramSettings, RoleRefused
from app.services.programs.common import parse_interests
from app.slack import subcommands as sc
from app.slack.blocks import program_coaching, program_stats
from app.slack.blocks import program_forms as forms
from app.slack.blocks import programs as blocks
from app.slack.blocks.format import counted
from app.slack.blocks.messages import Message
from app.slack.ids import PROGRAM_ADJUST_PATTERN, Action, View
from app.slack.ids import ProgramField as F
from app.slack.listeners import program_adjust, program_home
from app.slack.listeners.modal import form_ref, open_modal
from app.slack.listeners.program_chart import upload_chart
from app.slack.listeners.views import confirm_privately
from app.slack.mrkdwn import escape
from app.slack.payloads import BadPayload, ProfileForm, ProgramAdjustRef, WaveRef
from app.slack.people import PeopleDirectory

_ADJUST = {"lock": LOCK, "split": SPLIT, "exclude": EXCLUDE}


def register(app: App) -> None:
    app.view(View.PROGRAM_NEW)(save_new_program)
    app.view(View.PROGRAM_APPLY)(save_application)
    app.action(Action.PROGRAM_APPLY)(open_application)
    app.action(PROGRAM_ADJUST_PATTERN)(adjust_click)
    app.view(View.PROGRAM_ADD)(save_added_people)
    program_adjust.register(app)  # the preview's adjust modal
    program_home.register(app)  # Apply on the App Home


def save_added_people(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    """Acked at once (each row is a users.info look-up, longer than a modal may wait); the report, or
    the refusal, comes in the DM."""
    person = people.get(body["user"]["id"])
    ref = form_ref(view, ProgramAdjustRef.decode, ack, field=F.CSV, again="run it again")
    if ref is None:
        return
    ack()
    try:
        report = services.programs.import_csv(person, ref.program, _typed(_values(view), F.CSV))
    except DomainError as exc:
        client.chat_postMessage(channel=person.user_id, text=f"Nothing was added: {escape(exc.message)}")
        return
    skipped = "".join(f"\n• {escape(line)}" for line in report.skipped[:20])
    program = escape(ref.program)
    text = (
        f"Added {counted(report.added, 'applicant')} to *{program}*; skipped {len(report.skipped)}.{skipped}"
    )
    client.chat_postMessage(channel=person.user_id, text=text)


def adjust_click(
    ack: Ack, body: dict[str, Any], respond: Respond, services: Services, people: PeopleDirectory
) -> None:
    """A preview's Lock / Split / Exclude / Preview again: the adjusted preview replaces the old one."""
    ack()
    ref = ProgramAdjustRef.decode(str((body.get("actions") or [{}])[0].get("value") or ""))
    person = people.get(body["user"]["id"])
    if ref.action == "preview":
        shown = services.programs.preview(person, ref.program)
    else:
        action, wave = _ADJUST[ref.action], ref.wave or None  # a stale button names an earlier wave
        shown = services.programs.adjust(person, ref.program, action, ref.user_id, ref.mentee_id, wave=wave)
    respond(response_type="ephemeral", replace_original=True, **blocks.preview(shown).as_kwargs())


def serve_program(
    cmd: sc.ProgramCommand, person: Person, services: Services, client: WebClient, command: dict[str, Any]
) -> Message | None:
    programs = services.programs
    match cmd.action:
        case "list":
            return blocks.program_list(programs.programs(person))
        case "new":
            programs.require_admin(person)
            modal = forms.new_program_modal(ProfileForm(command.get("channel_id") or None).encode())
            open_modal(client, command["trigger_id"], modal, None, again="run `/mentor program new` again")
            return None
        case "add":
            programs.require_admin(person)
            modal = forms.add_people_modal(cmd.name, ProgramAdjustRef(cmd.name[:80], "preview").encode())
            open_modal(client, command["trigger_id"], modal, None, again="run `/mentor program add` again")
            return None
        case "invite":
            name, new = programs.invite(person, cmd.name, cmd.users, cmd.channels)
            return Message(
                text=f"Invited {counted(new, 'new person', 'new people')} to *{escape(name)}*; "
                "each gets a DM with Apply."
            )
        case "preview":
            return blocks.preview(programs.preview(person, cmd.name))
        case "lock" | "split":
            mentor, mentee = cmd.users
            return blocks.preview(programs.adjust(person, cmd.name, _ADJUST[cmd.action], mentor, mentee))
        case "exclude":
            return blocks.preview(programs.adjust(person, cmd.name, EXCLUDE, cmd.users[0]))
        case "publish":
            return blocks.published(programs.publish(person, cmd.name))
        case "stats":
            figures = programs.stats(person, cmd.name, cmd.wave)
            upload_chart(client, person.user_id, figures)
            return program_stats.stats(figures)
        case "board":
            return program_coaching.board(programs.board(person, cmd.name))
        case "alumni":
            name = programs.set_alumni(person, cmd.name, cmd.channels[0])
            return Message(
                text=f"*{escape(name)}*'s alumni group is <#{cmd.channels[0]}>: whoever says yes in the "
                "end-of-wave survey is invited (or, if I may not invite, told to join)."
            )
        case "wave":
            view = programs.start_wave(person, cmd.name)
            return Message(
                text=f"Wave {view.waves[-1].number} of *{escape(view.name)}* is open: invite its cohort with "
                f"`/mentor program invite {escape(view.name)} @people`. "
                "Earlier partners won't be paired again."
            )
    return Message(text="Unknown program command.")


def _values(view: dict[str, Any]) -> dict[str, Any]:
    return view.get("state", {}).get("values", {}) or {}


def _get(values: dict[str, Any], field: F) -> dict[str, Any]:
    return values.get(field, {}).get(field, {}) or {}


def _chosen(values: dict[str, Any], field: F) -> str:
    return str((_get(values, field).get("selected_option") or {}).get("value") or "")


def _typed(values: dict[str, Any], field: F) -> str:
    return str(_get(values, field).get("value") or "")


def _checked(values: dict[str, Any], field: F) -> bool:
    return bool(_get(values, field).get("selected_options"))


def _number(values: dict[str, Any], field: F, errors: dict[str, str], default: int) -> int:
    raw = _chosen(values, field)
    if not raw.isdigit() or len(raw) > 3:
        errors[field] = "Pick one."
        return default
    return int(raw)


def save_new_program(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    person = people.get(body["user"]["id"])
    values = _values(view)
    errors: dict[str, str] = {}
    try:
        kind = ProgramKind(_chosen(values, F.KIND))
    except ValueError:
        errors[F.KIND] = "Pick a kind."
        kind = ProgramKind.REVERSE
    try:
        start = date.fromisoformat(str(_get(values, F.START).get("selected_date")))
    except ValueError:
        errors[F.START] = "Pick the start date."
        start = date(2000, 1, 1)
    settings = ProgramSettings(
        name=_typed(values, F.NAME),
        purpose=_typed(values, F.PURPOSE),
        kind=kind,
        min_level_gap=_number(values, F.GAP, errors, 2),
        other_team=_checked(values, F.OTHER_TEAM),
        sessions=_number(values, F.SESSIONS, errors, 7),
        every_weeks=_number(values, F.EVERY, errors, 4),
        minutes=_number(values, F.MINUTES, errors, 60),
        start_date=start,
        coaches=tuple(str(u) for u in _get(values, F.COACHES).get("selected_users") or ()),
        capacity=_number(values, F.CAPACITY, errors, 1),
    )
    if errors:
        ack(response_action="errors", errors=errors)
        return
    try:
        created = services.programs.create(person, settings)
    except DomainError as exc:
        ack(response_action="errors", errors={F.NAME: exc.message})
        return
    ack()
    text = (
        f"Created the program *{escape(created.name)}*. Invite people with "
        f"`/mentor program invite {escape(created.name)} @people #channel`."
    )
    confirm_privately(client, person.user_id, _channel(view), Message(text=text))


def _channel(view: dict[str, Any]) -> str | None:
    try:
        return ProfileForm.decode(view.get("private_metadata") or "").channel_id
    except BadPayload:
        return None


def open_application(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    people: PeopleDirectory,
) -> None:
    ack()
    ref = WaveRef.decode(str((body.get("actions") or [{}])[0].get("value") or ""))
    person = people.get(body["user"]["id"])
    form = services.programs.application_form(person, ref.wave_id)  # refuses late or second applications
    open_modal(
        client,
        body["trigger_id"],
        forms.application_modal(form, ref.encode()),
        respond,
        again="click Apply again",
    )


def save_application(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    people: PeopleDirectory,
) -> None:
    person = people.get(body["user"]["id"])
    values = _values(view)
    errors: dict[str, str] = {}
    try:
        ref = WaveRef.decode(view.get("private_metadata") or "")
        role = Role(_chosen(values, F.ROLE))
    except (BadPayload, ValueError):
        ack(response_action="errors", errors={F.ROLE: "Mentor or mentee?"})
        return
    level_text = _chosen(values, F.LEVEL)
    if not level_text.lstrip("-").isdigit() or len(level_text) > 3:
        errors[F.LEVEL] = "Pick your level, 1 to 5."
    try:
        interests = parse_interests(_typed(values, F.INTERESTS))
    except DomainError as exc:
        errors[F.INTERESTS] = exc.message
        interests = ()
    if errors:
        ack(response_action="errors", errors=errors)
        return
    form = Application(
        role=role,
        team=_typed(values, F.TEAM) or None,
        level=int(level_text),
        interests=interests,
        goals=_typed(values, F.GOALS),
        intro=_typed(values, F.INTRO),
        name_shown=_checked(values, F.CONSENT),
    )
    try:
        name = services.programs.apply(person, ref.wave_id, form)
    except RoleRefused as exc:
        ack(response_action="errors", errors={F.ROLE: exc.message})
        return
    except DomainError as exc:
        field = F.LEVEL if "level" in exc.message.lower() else F.ROLE
        ack(response_action="errors", errors={field: exc.message})
        return
    ack()
    text = f"Thanks: you've applied to *{escape(name)}* as a {role.value}. You'll hear when you're matched."
    if interests:
        text += f"\nYour interests: {blocks.tags(interests)}"
    client.chat_postMessage(channel=person.user_id, text=text)
