"""A form whose reference can't be read (from an older bot, or tampered with) is refused beside the field
it names, saying the form is out of date, and changes nothing: for every form that carries one."""

from __future__ import annotations

import pytest
from e2e_support import ASKER
from sqlalchemy import func, select

from app.db.models import Notice
from app.slack.ids import Block, View
from app.slack.ids import ProgramField as F

# callback_id -> the block the refusal is shown beside
FORMS = {
    View.MOVE: Block.SESSION_DATE,
    View.PROGRAM_ADJUST: F.ADJUST_WHAT,
    View.PROGRAM_MOVE: F.MOVE_TO,
    View.PROGRAM_AGENDA: F.AGENDA,
    View.PROGRAM_NOTE: F.NOTE,
    View.PROGRAM_END: F.END_REASON,
    View.PROGRAM_SURVEY: F.SURVEY_GOAL,
    View.PROGRAM_ADD: F.CSV,
}


def notices(engine) -> int:
    with engine.connect() as c:
        return int(c.scalar(select(func.count()).select_from(Notice)) or 0)


@pytest.mark.parametrize("metadata", ["", "not json", '{"unexpected": 1}'])
@pytest.mark.parametrize("callback_id", list(FORMS))
def test_an_unreadable_form_is_refused_as_out_of_date(harness, engine, callback_id, metadata):
    h = harness
    before = notices(engine)
    reply = h.sender.submit(ASKER, callback_id, values={}, private_metadata=metadata)
    assert reply.status == 200
    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert "This form is out of date" in answer["errors"][FORMS[callback_id]]
    h.wait_idle()
    assert notices(engine) == before
    assert h.fake.dms_to(ASKER) == []
