"""A program's whole wave played through signed requests: the clock moves a day at a time, every job the
scheduler runs is run (``app.jobs.scheduler.periodic_jobs``), and after each tick the people answer
what reached them, each following a script (per session number: a rating, "skip", or nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from e2e_support import ADMIN, button, buttons, text_of
from program_steps import open_modal_via, typed

from app.jobs.scheduler import periodic_jobs

Plan = dict[int, int | str]  # session number -> the mentee's rating after holding it, or "skip"


def said(reply: Any) -> str:
    return text_of(reply.blocks, reply.text)


def tick(h: Any) -> None:
    """What the scheduler does at this instant: every periodic job once, then the notices delivered."""
    for _name, job, _every in periodic_jobs(h.bot.services, h.bot.delivery):
        job()
    h.wait_idle()


@dataclass
class Pair:
    mentor: str
    mentee: str
    plan: Plan
    mentor_plan: Plan = field(default_factory=dict)  # the mentor's ratings, where the mentor gives one
    note: str = ""  # the mentor's private note on session 1
    done: set[str] = field(default_factory=set)  # the ts of messages already acted on

    def group(self, h: Any) -> list[dict[str, Any]]:
        return h.fake.messages_in(h.fake.dm_channel_for(self.mentor, self.mentee))

    def play(self, h: Any) -> None:
        """Answer the proposals and check-ins that arrived since the last tick, as the plan says."""
        for m in self.group(h):
            picks = [b for b in buttons(m.get("blocks") or []) if b["action_id"] == "program_pick_0"]
            if not picks or m["ts"] in self.done:
                continue
            self.done.add(m["ts"])
            number = int(m["text"].split("session ")[1].split(" of")[0])
            step = self.plan.get(number)
            if step == "skip":
                skip = button(m["blocks"], "program_skip")
                assert "skipped" in said(h.click(self.mentee, "program_skip", skip["value"]))
            elif step is not None:  # the mentee picks the first time, the mentor confirms it
                assert "Picked" in said(h.click(self.mentee, "program_pick_0", picks[0]["value"]))
                h.wait_idle()
                ask = [d for d in h.fake.dms_to(self.mentor) if "Confirm it" in d.get("text", "")][-1]
                confirm = button(ask["blocks"], "program_confirm")
                assert "Confirmed" in said(h.click(self.mentor, "program_confirm", confirm["value"]))
            h.wait_idle()
        for m in h.fake.dms_to(self.mentor):  # two days before, the mentor sets the agenda
            if "Set its agenda" not in m.get("text", "") or m["ts"] in self.done:
                continue
            self.done.add(m["ts"])
            value = button(m["blocks"], "program_agenda")["value"]
            modal = open_modal_via(
                h, self.mentor, lambda v=value: h.sender.action(self.mentor, "program_agenda", v)
            )
            values = {"program_agenda_text": {"program_agenda_text": typed("Where the work gets stuck.")}}
            assert h.sender.submit(self.mentor, view=modal, values=values).status == 200
            h.wait_idle()
        self._check_ins(h, self.mentee, self.mentor, self.plan)
        self._check_ins(h, self.mentor, self.mentee, self.mentor_plan)
        h.wait_idle()

    def _check_ins(self, h: Any, who: str, partner: str, plan: Plan) -> None:
        """After a session: rate it as the plan says (if it says), and add the private note to the first."""
        for m in h.fake.dms_to(who):
            words = m.get("text", "")
            if "How was session" not in words or f"with <@{partner}>" not in words or m["ts"] in self.done:
                continue
            self.done.add(m["ts"])
            number = int(words.split("How was session ")[1].split(" of")[0])
            rating = plan.get(number)
            if rating is None:
                continue
            rate = button(m["blocks"], f"program_rate_{rating}")
            assert f"rated it {rating}" in said(h.click(who, rate["action_id"], rate["value"]))
            if number == 1 and self.note and who == self.mentor:
                value = button(m["blocks"], "program_note")["value"]
                modal = open_modal_via(h, who, lambda v=value: h.sender.action(who, "program_note", v))
                values = {"program_note_text": {"program_note_text": typed(self.note)}}
                assert h.sender.submit(who, view=modal, values=values).status == 200


def end_without_blame(h: Any, pair: Pair, reason: str) -> dict[str, Any]:
    """The mentee ends the pairing from its introduction; the admin re-pairs from the offer (the first)."""
    intro = pair.group(h)[0]
    end = button(intro["blocks"], "program_end")
    modal = open_modal_via(h, pair.mentee, lambda: h.sender.action(pair.mentee, "program_end", end["value"]))
    values = {"program_end_reason": {"program_end_reason": typed(reason)}}
    assert h.sender.submit(pair.mentee, view=modal, values=values).status == 200
    h.wait_idle()
    note = [m for m in h.fake.dms_to(ADMIN) if "without blame" in m.get("text", "")][-1]
    assert reason in text_of(note["blocks"])  # only the admin reads the reason
    assert not [m for m in h.fake.all_messages() if reason in str(m) and m.get("ts") != note.get("ts")]
    told = h.fake.dms_to(pair.mentor)[-1]["text"]
    assert "has ended" in told and "nobody's fault" in told
    repair = next(b for b in buttons(note["blocks"]) if b["action_id"].startswith("program_repair"))
    assert "Re-paired" in said(h.click(ADMIN, repair["action_id"], repair["value"]))
    h.wait_idle()
    return repair


def live_through(h: Any, start: datetime, days: range, pairs: list[Pair], on_day: Any = None) -> None:
    """Each day at 10:00 UTC from the program's ``start``: tick, let everyone play, then ``on_day(day)``."""
    for day in days:
        h.clock.set(start + timedelta(days=day, hours=10))
        tick(h)
        for pair in list(pairs):
            pair.play(h)
        if on_day is not None:
            on_day(day)
