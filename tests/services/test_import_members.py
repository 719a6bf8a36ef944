"""`mentorbot import-members people.csv` on files as Excel and Google Sheets save them, through the real
CLI with only DATABASE_URL set (no Slack tokens), on SQLite and PostgreSQL."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from cli_runs import mentorbot
from sqlalchemy import select

from app.db.models import Member
from app.members_import import decode, parse_members


def imported(engine) -> dict[str, tuple[str | None, int | None]]:
    with engine.connect() as connection:
        rows = connection.execute(select(Member.user_id, Member.team, Member.level)).all()
    return {user_id: (team, level) for user_id, team, level in rows}


def run_import(tmp_path: Path, database_url: str, name: str, content: bytes):
    (tmp_path / name).write_bytes(content)
    return mentorbot(tmp_path, "import-members", name, DATABASE_URL=database_url)


def test_excel_csv_utf8_with_a_bom_a_header_and_ids_in_any_case(tmp_path, database_url, engine):
    text = "Slack user ID,Team,Level\r\nu012abcdef,Platform,senior\r\nU034DEFGHI,Design Ops,2\r\n"
    done = run_import(tmp_path, database_url, "people.csv", codecs.BOM_UTF8 + text.encode())
    assert done.returncode == 0, done.stderr
    assert (
        "Imported team and level for 2 people (UTF-8 with BOM, comma-separated, a header row)" in done.stdout
    )
    assert imported(engine) == {"U012ABCDEF": ("Platform", 3), "U034DEFGHI": ("Design Ops", 2)}


def test_excel_unicode_text_is_utf16_tab_separated_without_a_header(tmp_path, database_url, engine):
    text = "U012ABCDEF\tPlattform Zürich\tstaff\r\nW0EXTERNAL\t\t\r\n"
    done = run_import(tmp_path, database_url, "people.txt", text.encode("utf-16"))  # with its BOM
    assert done.returncode == 0, done.stderr
    assert "2 people (UTF-16, tab-separated, no header row)" in done.stdout
    assert imported(engine) == {"U012ABCDEF": ("Plattform Zürich", 4), "W0EXTERNAL": (None, None)}


def test_european_excel_csv_is_windows_1252_with_semicolons_and_columns_in_any_order(
    tmp_path, database_url, engine
):
    text = (
        "Team;Level;Slack ID\r\nVentes, Île-de-France;junior;U012ABCDEF\r\nCafé – Opérations;5;U034DEFGHI\r\n"
    )
    done = run_import(tmp_path, database_url, "people.csv", text.encode("cp1252"))
    assert done.returncode == 0, done.stderr
    assert "(Windows-1252, semicolon-separated, a header row)" in done.stdout
    assert imported(engine) == {
        "U012ABCDEF": ("Ventes, Île-de-France", 1),
        "U034DEFGHI": ("Café – Opérations", 5),
    }


def test_bad_rows_are_listed_by_number_the_rest_imported_and_a_repeat_counted_once(
    tmp_path, database_url, engine
):
    text = "\n".join(
        [
            "id,team,level",  # row 1
            "U012ABCDEF,Platform,3",  # 2
            "nobody,Platform,3",  # 3: not an id
            "U034DEFGHI,Data,eleven",  # 4: bad level
            "",  # 5: blank, skipped
            ",Data,2",  # 6: no id
            f"U056GHIJKL,{'x' * 101},1",  # 7: team too long
            "u012abcdef,Infra,4",  # 8: U012ABCDEF again: the later row counts
        ]
    )
    done = run_import(tmp_path, database_url, "people.csv", text.encode())
    assert done.returncode == 1
    problems = done.stderr.strip().splitlines()
    assert [line.split(":")[1].strip() for line in problems] == ["row 3", "row 4", "row 6", "row 7"]
    assert "'nobody' is not a Slack user ID" in problems[0]
    assert "'eleven' should be 1-5" in problems[1]
    assert "no Slack user ID" in problems[2] and "longer than 100 characters" in problems[3]
    assert all(line.startswith("people.csv: row ") for line in problems) and "Traceback" not in done.stderr
    assert "Imported team and level for 1 person" in done.stdout
    assert "1 row listed someone again" in done.stdout and "4 rows skipped" in done.stdout
    assert imported(engine) == {"U012ABCDEF": ("Infra", 4)}


def test_a_missing_file_is_one_line_naming_it_and_touches_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'mentorbot.sqlite3'}"
    done = mentorbot(tmp_path, "import-members", "people.csv", DATABASE_URL=url)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "mentorbot: cannot read people.csv: No such file or directory"
    ]
    assert not (tmp_path / "mentorbot.sqlite3").exists()


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ("U1,Zürich".encode(), "UTF-8"),
        (codecs.BOM_UTF8 + "U1,Zürich".encode(), "UTF-8 with BOM"),
        ("U1,Zürich".encode("utf-16-le"), "UTF-16"),  # no BOM: told by the NUL bytes
        ("U1,Zürich".encode("utf-16-be"), "UTF-16"),
        ("U1,Zürich".encode("cp1252"), "Windows-1252"),
        (b"U1,Z\xfcrich \x81", "Latin-1"),  # 0x81 is no character in Windows-1252
    ],
)
def test_the_encoding_rule(raw, encoding):
    text, name = decode(raw)
    assert name == encoding and text.startswith("U1,Zürich")


def test_the_separator_is_the_one_that_splits_rows_and_a_lone_column_is_ids():
    assert parse_members("U1;Sales, EMEA;3\nU2;Ops;2\n").separator == ";"
    assert parse_members("U1\tA, B\t3\n").separator == "\t"
    ids_only = parse_members("U012ABCDEF\nu034defghi\n")
    assert ids_only.rows == [("U012ABCDEF", None, None), ("U034DEFGHI", None, None)] and not ids_only.header
