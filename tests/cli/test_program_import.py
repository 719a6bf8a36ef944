"""`mentorbot program-import <program> file.csv`: rows for people Slack doesn't know are reported and
skipped (users.info user_not_found), the rest join the program's current wave."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from cli_runs import MENTOR, REPO, clean_env, good_tokens, sqlite_url
from clocks import TestClock
from sqlalchemy import select

from app.bootstrap import create_services
from app.config import load_settings
from app.db.engine import create_db_engine
from app.db.migrate import upgrade_to_head
from app.db.models import ProgramApplication
from app.domain.cohorts import ProgramKind
from app.services.people import Person
from app.services.programs import ProgramSettings


def test_program_import_adds_known_people_and_reports_the_rest(tmp_path, fake):
    url = sqlite_url(tmp_path)
    upgrade_to_head(url)
    engine = create_db_engine(url)
    clock = TestClock()
    settings = load_settings(
        _env_file=None,
        slack_bot_token="xoxb-test",
        slack_signing_secret="s",
        database_url=url,
        mentorbot_admins="UA",
    )
    create_services(engine, settings, clock).programs.create(
        Person("UA", "Ada", "UTC"),
        ProgramSettings(
            "Reverse 2027", "Learn", ProgramKind.REVERSE, start_date=clock.now().date() + timedelta(1)
        ),
    )
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(
        f"slack_id,role,team,level,interests\n{MENTOR},mentor,eng,1,chess\nUNOBODY99,mentee,sales,5,\n"
    )
    env = clean_env(**good_tokens(fake), SLACK_API_URL=fake.api_url, DATABASE_URL=url)
    run = subprocess.run(
        [sys.executable, "-m", "app", "program-import", "Reverse 2027", str(csv_file)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1, run.stderr
    assert "added 1 applicant; skipped 1 row" in run.stdout
    assert "row 3: UNOBODY99 is not in this workspace" in run.stderr
    with engine.connect() as c:
        assert c.execute(select(ProgramApplication.user_id, ProgramApplication.role)).all() == [
            (MENTOR, "mentor")
        ]
    engine.dispose()
