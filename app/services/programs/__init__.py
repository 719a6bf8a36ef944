"""Mentoring programs (cohorts): one service, each method one transaction over one use-case module
(setup, applying, matching). Admin-only use cases ask the one admin policy (services/admins.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence, Set
from dataclasses import replace
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import Conflict, DomainError, InvalidInput
from app.domain.program_survey import SurveyAnswer
from app.services.admins import is_admin, require_admin
from app.services.clock import Clock, utc_now
from app.services.notices import CoachDigest
from app.services.people import Person
from app.services.ports import ChannelMembers, WorkspacePeople
from app.services.programs import (
    agenda,
    applying,
    behind,
    board,
    cadence,
    check_ins,
    coaching,
    endings,
    export,
    leaving,
    matching,
    moving,
    outcomes,
    setup,
    survey,
)
from app.services.programs import home as program_home
from app.services.programs.agenda import AgendaForm
from app.services.programs.applying import ImportReport, RoleRefused
from app.services.programs.board import Board
from app.services.programs.common import Application, ApplicationForm, ProgramSettings, ProgramView
from app.services.programs.endings import Ended, Repaired
from app.services.programs.home import ProgramHome
from app.services.programs.matching import EXCLUDE, LOCK, SPLIT, Preview, Published
from app.services.programs.moving import MoveForm, Skipped
from app.services.programs.survey import Answered

__all__ = [
    "EXCLUDE",
    "LOCK",
    "SPLIT",
    "AgendaForm",
    "Answered",
    "Application",
    "ApplicationForm",
    "Board",
    "Ended",
    "ImportReport",
    "MoveForm",
    "Preview",
    "ProgramHome",
    "ProgramSettings",
    "ProgramView",
    "ProgramsService",
    "Published",
    "Repaired",
    "RoleRefused",
    "Skipped",
]


log = logging.getLogger(__name__)


class ProgramsService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        admins: Set[str],
        channels: ChannelMembers | None = None,
        workspace: WorkspacePeople | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self._sessions = sessions
        self._admins = admins
        self._channels = channels
        self._workspace = workspace
        self._clock = clock

    def require_admin(self, person: Person) -> None:
        require_admin(self._admins, person)

    def create(self, admin: Person, settings: ProgramSettings) -> ProgramView:
        require_admin(self._admins, admin)
        with self._sessions.begin() as session:
            return setup.create(session, admin.user_id, settings, now=self._clock())

    def home(self, person: Person) -> ProgramHome:
        """What the person's App Home shows of programs (invitations, their pair, admins' figures)."""
        admin = is_admin(self._admins, person)
        with self._sessions() as session:
            return program_home.home(session, person.user_id, admin=admin, now=self._clock())

    def programs(self, admin: Person) -> list[ProgramView]:
        require_admin(self._admins, admin)
        with self._sessions() as session:
            return setup.listing(session)

    def start_wave(self, admin: Person, name: str) -> ProgramView:
        require_admin(self._admins, admin)
        with self._sessions.begin() as session:
            return setup.start_wave(session, name, now=self._clock())

    def invite(
        self, admin: Person, name: str, user_ids: Sequence[str], channel_ids: Sequence[str] = ()
    ) -> tuple[str, int]:
        """Invite people and each named channel's members; the program's name and how many were new."""
        require_admin(self._admins, admin)
        people = list(user_ids)
        for channel in channel_ids:
            members = self._channels.humans_in(channel) if self._channels else None
            if members is None:
                raise InvalidInput(f"I can't read the members of <#{channel}>: invite me to it first.")
            people += [p.user_id for p in members]
        if not people:
            raise InvalidInput("Name people (@someone) or a channel (#channel) to invite.")
        with self._sessions.begin() as session:
            return applying.invite(session, name, people, now=self._clock())

    def application_form(self, person: Person, wave_id: int) -> ApplicationForm:
        with self._sessions() as session:
            return applying.application_form(session, wave_id, person, now=self._clock())

    def apply(self, person: Person, wave_id: int, form: Application) -> str:
        with self._sessions.begin() as session:
            return applying.apply(session, wave_id, person, form, now=self._clock())

    def import_csv(self, admin: Person | None, name: str, text: str) -> ImportReport:
        """``admin`` None: the command line (whoever runs it runs the bot)."""
        if admin is not None:
            require_admin(self._admins, admin)
        workspace = self._workspace
        if workspace is None:
            raise InvalidInput("Importing needs Slack to look people up.")
        with self._sessions.begin() as session:
            return applying.import_csv(session, name, text, workspace.find, now=self._clock())

    def preview(self, admin: Person, name: str) -> Preview:
        require_admin(self._admins, admin)
        with self._sessions() as session:
            return matching.preview(session, name)

    def adjust(
        self,
        admin: Person,
        name: str,
        action: str,
        user_id: str,
        mentee_id: str = "",
        *,
        wave: int | None = None,
    ) -> Preview:
        require_admin(self._admins, admin)
        try:
            with self._sessions.begin() as session:
                return matching.adjust(
                    session, name, action, user_id, mentee_id, now=self._clock(), wave_number=wave
                )
        except IntegrityError:  # the same adjustment, from a second click a moment ago
            with self._sessions() as session:
                return replace(matching.preview(session, name), changed=False)

    def publish(self, admin: Person, name: str) -> Published:
        require_admin(self._admins, admin)
        with self._sessions.begin() as session:
            return matching.publish(session, name, now=self._clock())

    def end_form(self, person: Person, pair_id: int) -> str:
        """The program's name, when ``person`` may end the pairing (else a friendly refusal)."""
        with self._sessions() as session:
            return endings.end_form(session, pair_id, person.user_id)

    def end_pair(self, person: Person, pair_id: int, reason: str) -> Ended:
        try:
            with self._sessions.begin() as session:
                return endings.end(session, pair_id, person.user_id, reason, now=self._clock())
        except IntegrityError:  # ended by the other click a moment ago
            raise Conflict("This pairing has already ended: nothing more to do.") from None

    def repair(self, admin: Person, pair_id: int, for_user: str, candidate: str) -> Repaired:
        require_admin(self._admins, admin)
        try:
            with self._sessions.begin() as session:
                return endings.repair(session, pair_id, for_user, candidate, now=self._clock())
        except IntegrityError:
            raise Conflict("That re-match was made a moment ago: nothing changed.") from None

    def propose_due_sessions(self) -> int:
        """The scheduler's job: propose each pair's session that came due, once (see cadence.py)."""
        now = self._clock()
        with self._sessions() as session:
            due = cadence.due_sessions(session, now)
        proposed = 0
        for pair_id, number in due:
            try:
                with self._sessions.begin() as session:
                    cadence.propose(session, pair_id, number, now=now)
                proposed += 1
            except IntegrityError:  # another replica (or an earlier run) claimed it
                continue
        return proposed

    def pick_session(self, person: Person, session_id: int, index: int) -> datetime:
        with self._sessions.begin() as session:
            return cadence.pick(session, session_id, index, person.user_id, now=self._clock())

    def confirm_session(self, person: Person, session_id: int) -> datetime:
        with self._sessions.begin() as session:
            return cadence.confirm(session, session_id, person.user_id, now=self._clock())

    def remind_sessions(self) -> int:
        """The scheduler's job: the day-before reminders, each claimed once."""
        with self._sessions.begin() as session:
            return cadence.remind_due(session, self._clock())

    def ask_after_sessions(self) -> int:
        """The scheduler's job: after each confirmed session, ask both how it went (once)."""
        with self._sessions.begin() as session:
            return check_ins.ask_due(session, self._clock())

    def answer_session(self, person: Person, session_id: int, happened: bool, rating: int | None) -> None:
        try:
            with self._sessions.begin() as session:
                check_ins.answer(session, session_id, person.user_id, happened, rating, now=self._clock())
        except IntegrityError:
            raise Conflict("You've already answered for this session: nothing changed.") from None

    def note_session(self, person: Person, session_id: int, text: str) -> None:
        with self._sessions.begin() as session:
            check_ins.note(session, session_id, person.user_id, text, now=self._clock())

    def stats(self, admin: Person, name: str, wave: int | None = None) -> outcomes.Stats:
        require_admin(self._admins, admin)
        with self._sessions() as session:
            return outcomes.stats(session, name, wave)

    # Coaches, the board and the end of a wave (#14).

    def send_coach_digests(self) -> int:
        """The scheduler's job: each coach's weekly digest and the check-in prompts due, each once."""
        now = self._clock()
        with self._sessions() as session:
            due = coaching.due_sends(session, now)
        due = self._in_coaches_zones(due)  # Slack asked after the read, not inside it
        sent = 0
        for item in due:
            try:
                with self._sessions.begin() as session:
                    coaching.send(session, item, now=now)
                sent += 1
            except IntegrityError:  # another replica (or an earlier run) claimed it
                continue
        return sent

    def _in_coaches_zones(self, due: list[coaching.Send]) -> list[coaching.Send]:
        """Digests for coaches we know by id only get their Slack zone (once each), else UTC."""
        zones: dict[str, str] = {}
        placed = []
        for item in due:
            notice = item.notice
            if isinstance(notice, CoachDigest) and notice.tz == coaching.UNKNOWN_ZONE:
                if notice.to not in zones:
                    zones[notice.to] = self._slack_zone(notice.to) or "UTC"
                item = replace(item, notice=replace(notice, tz=zones[notice.to]))
            placed.append(item)
        return placed

    def _slack_zone(self, user_id: str) -> str | None:
        """A coach who never used the bot is known to us by id only: their zone as Slack has it."""
        if self._workspace is None:
            return None
        try:
            found = self._workspace.find(user_id)
        except Exception:  # Slack unreachable: a digest in UTC beats no digest this week
            log.warning("could not look up a coach's time zone; their digest is in UTC")
            return None
        return found.tz if found is not None else None

    def coach_nudge(self, coach: Person, pair_id: int, k: int) -> str:
        try:
            with self._sessions.begin() as session:
                return coaching.nudge(session, pair_id, k, coach.user_id, now=self._clock())
        except IntegrityError:
            raise Conflict(
                "You've already checked in with them for this prompt: nothing more sent."
            ) from None

    def send_wave_surveys(self) -> int:
        """The scheduler's job: the survey at each wave's end (once per wave), then its one reminder."""
        now = self._clock()
        with self._sessions() as session:
            due = survey.due_waves(session, now)
        asked = 0
        for wave_id in due:
            try:
                with self._sessions.begin() as session:
                    asked += survey.ask(session, wave_id, now=now)
            except IntegrityError:  # another replica asked this wave a moment ago
                continue
        with self._sessions.begin() as session:
            return asked + survey.remind_due(session, now)

    def survey_form(self, person: Person, wave_id: int) -> str:
        with self._sessions() as session:
            return survey.form(session, wave_id, person.user_id, now=self._clock())

    def answer_survey(self, person: Person, wave_id: int, given: SurveyAnswer) -> Answered:
        with self._sessions.begin() as session:
            return survey.answer(session, wave_id, person.user_id, given, now=self._clock())

    def set_alumni(self, admin: Person, name: str, channel_id: str) -> str:
        require_admin(self._admins, admin)
        with self._sessions.begin() as session:
            return survey.set_alumni(session, name, channel_id, admin.user_id, now=self._clock())

    def board(self, person: Person, name: str) -> Board:
        """The program's people see it by department, and by pair only where both agreed; an admin sees
        every pair; anyone else is refused (without confirming the program exists)."""
        everyone = self.is_admin(person)
        with self._sessions() as session:
            return board.board(session, name, person.user_id, everyone=everyone, now=self._clock())

    def home_boards(self, person: Person) -> list[Board]:
        everyone = self.is_admin(person)
        with self._sessions() as session:
            return board.boards_for(session, person.user_id, everyone=everyone, now=self._clock())

    def is_admin(self, person: Person) -> bool:
        return is_admin(self._admins, person)

    def export_csv(self, admin: Person) -> str:
        """The programs' table of `/mentor export` (the header alone when no program has figures)."""
        return export.export_csv(self.all_stats(admin))

    def all_stats(self, admin: Person) -> list[outcomes.Stats]:
        """Every program's figures that can be shown (the export); a program under five pairs is left out."""
        require_admin(self._admins, admin)
        found = []
        with self._sessions() as session:
            for view in setup.listing(session):
                try:
                    found.append(outcomes.stats(session, view.name, None))
                except DomainError:
                    continue
        return found

    # --- a booked session: move, skip, the agenda; pairs behind; people who left ---------------------

    def move_form(self, person: Person, session_id: int) -> MoveForm:
        with self._sessions() as session:
            return moving.move_form(session, session_id, person.user_id, now=self._clock())

    def move_session(self, person: Person, session_id: int, start: datetime, moves_seen: int) -> datetime:
        with self._sessions.begin() as session:
            return moving.move(session, session_id, person.user_id, start, moves_seen, now=self._clock())

    def skip_session(self, person: Person, session_id: int) -> Skipped:
        with self._sessions.begin() as session:
            return moving.skip(session, session_id, person.user_id, now=self._clock())

    def ask_for_agendas(self) -> int:
        """The scheduler's job: two days before each booked session, ask its mentor (once)."""
        with self._sessions.begin() as session:
            return agenda.ask_due(session, self._clock())

    def agenda_form(self, person: Person, session_id: int) -> AgendaForm:
        with self._sessions() as session:
            return agenda.agenda_form(session, session_id, person.user_id, now=self._clock())

    def set_agenda(self, person: Person, session_id: int, text: str) -> bool:
        with self._sessions.begin() as session:
            return agenda.set_agenda(session, session_id, person.user_id, text, now=self._clock())

    def judge_behind(self) -> int:
        """The scheduler's job: sessions not held in their window; one nudge, then the coach."""
        with self._sessions.begin() as session:
            return behind.judge_due(session, self._clock())

    def people_left(self, user_ids: Iterable[str]) -> int:
        """Delivery found these people gone from the workspace: end their live pairings kindly and
        offer the admin re-matches for the partners (see leaving.py). How many pairings ended."""
        gone = set(user_ids)
        if not gone:
            return 0
        with self._sessions() as session:
            pair_ids = leaving.pairs_of(session, gone, now=self._clock())
        ended = 0
        for pair_id in pair_ids:
            try:
                with self._sessions.begin() as session:
                    ended += leaving.end_for_leaving(session, pair_id, gone, now=self._clock())
            except IntegrityError:  # another sender thread (or replica) ended it a moment ago
                continue
        return ended
