"""The sandbox's small workspace: a dozen people in several zones, with teams and levels, a coffee
channel, one admin, some mentors on the register. People go into the stand-in's directory; what the bot
holds about them is put there the way Slack users would: by the bot's own services or signed commands.
Three offices (London, Berlin, New York), kept by the admin; most people work from one of them on some
weekdays, the rest are remote."""

from __future__ import annotations

from dataclasses import dataclass

from app.sandbox.standin import FakeSlack

COFFEE_CHANNEL = "C0COFFEE"
GENERAL_CHANNEL = "C0GENERAL"
ADMIN = "U0ADA"


@dataclass(frozen=True)
class SamplePerson:
    user_id: str
    name: str
    tz: str
    team: str
    level: int
    title: str
    mentor_topics: tuple[str, ...] = ()
    office: str | None = None
    office_days: tuple[int, ...] = ()  # Monday is 0


# The admin's list of offices, each with its zone (``/mentor offices add <name> <zone>``).
OFFICES: tuple[tuple[str, str], ...] = (
    ("London", "Europe/London"),
    ("Berlin", "Europe/Berlin"),
    ("New York", "America/New_York"),
)
LONDON, BERLIN, NEW_YORK = (name for name, _ in OFFICES)
TUE_THU, MON_WED, MON_TO_THU = (1, 3), (0, 2), (0, 1, 2, 3)

PEOPLE: tuple[SamplePerson, ...] = (
    SamplePerson(
        "U0ADA",
        "Ada Lovelace",
        "Europe/London",
        "Platform",
        5,
        "Principal engineer",
        ("python", "career"),
        LONDON,
        TUE_THU,
    ),
    SamplePerson(
        "U0GRACE",
        "Grace Hopper",
        "America/New_York",
        "Compilers",
        5,
        "Staff engineer",
        ("compilers", "python"),
        NEW_YORK,
        MON_WED,
    ),
    SamplePerson(
        "U0ALAN",
        "Alan Turing",
        "Europe/London",
        "Research",
        4,
        "Senior researcher",
        ("ml", "career"),
        LONDON,
        MON_TO_THU,
    ),
    SamplePerson(
        "U0KATH", "Katherine Johnson", "America/Chicago", "Data", 4, "Senior analyst", ("sql", "data")
    ),
    SamplePerson(
        "U0LINUS", "Linus Berg", "Europe/Berlin", "Platform", 3, "Engineer", ("sre", "linux"), BERLIN, TUE_THU
    ),
    SamplePerson("U0MARIE", "Marie Dubois", "Europe/Paris", "Design", 3, "Product designer", ("design",)),
    SamplePerson("U0RAJ", "Raj Patel", "Asia/Kolkata", "Data", 2, "Data engineer"),
    SamplePerson("U0YUKI", "Yuki Tanaka", "Asia/Tokyo", "Mobile", 2, "Mobile engineer"),
    SamplePerson("U0SOFIA", "Sofia Rossi", "Europe/Rome", "Design", 1, "Junior designer"),
    SamplePerson("U0LEO", "Leo Costa", "America/Sao_Paulo", "Platform", 1, "Junior engineer"),
    SamplePerson("U0MIA", "Mia Chen", "America/Los_Angeles", "Mobile", 3, "Engineer"),
    SamplePerson(
        "U0OMAR", "Omar Haddad", "Europe/Berlin", "Research", 2, "Research engineer", (), BERLIN, MON_WED
    ),
)


def seed_directory(fake: FakeSlack) -> None:
    """The people and channels as Slack holds them (users.info, conversations.members)."""
    for person in PEOPLE:
        fake.add_user(person.user_id, person.name.split()[0].lower(), real_name=person.name, tz=person.tz)
        fake.users[person.user_id]["profile"]["title"] = person.title
    everyone = [p.user_id for p in PEOPLE]
    fake.add_channel(GENERAL_CHANNEL, everyone, name="general")
    fake.add_channel(COFFEE_CHANNEL, everyone, name="coffee")


def members_rows() -> list[tuple[str, str | None, int | None]]:
    """Team and level per person, as ``mentorbot import-members`` takes them."""
    return [(p.user_id, p.team, p.level) for p in PEOPLE]


def mentor_commands() -> list[tuple[str, str]]:
    """``/mentor join #topic …`` for each sample mentor: they join the register as people would."""
    return [
        (p.user_id, "join " + " ".join(f"#{t}" for t in p.mentor_topics)) for p in PEOPLE if p.mentor_topics
    ]


def office_commands() -> list[tuple[str, str]]:
    """``/mentor offices add <name> <zone>`` by the admin, one per office."""
    return [(ADMIN, f"offices add {name} {tz}") for name, tz in OFFICES]


def people_in_offices() -> list[SamplePerson]:
    """Who works from an office, and on which weekdays (they say so in "About you")."""
    return [p for p in PEOPLE if p.office]
