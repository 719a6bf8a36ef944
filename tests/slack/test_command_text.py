"""``/mentor …`` text -> typed sub-commands: every sub-command, every refusal, Slack's escaping."""

from __future__ import annotations

import contextlib
import re
from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import InvalidInput
from app.domain.goal import validate_goal
from app.domain.model import MAX_GOAL_LENGTH, MAX_TOPICS
from app.slack.command_text import parse
from app.slack.subcommands import (
    Ask,
    Away,
    CoffeeAvoid,
    CoffeeChannel,
    CoffeeHelp,
    CoffeeJoin,
    CoffeeLeave,
    CoffeePause,
    CoffeePoolNew,
    CoffeePools,
    CoffeePreview,
    CoffeeResume,
    CoffeeRun,
    CoffeeSchedule,
    CoffeeScheduleShow,
    CoffeeStatus,
    Export,
    ForgetMe,
    Help,
    Host,
    Join,
    Leave,
    ListMine,
    Profile,
    Sessions,
    SetAvailable,
    Stats,
    Unknown,
)

PARSES = [
    # help
    ("", Help()),
    ("   ", Help()),
    ("help", Help()),
    ("HELP", Help()),
    ("-h", Help()),
    ("--help", Help()),
    ("?", Help()),
    ("help me please", Help()),
    ("help coffee", CoffeeHelp()),
    # unknown first words are not errors
    ("hello there", Unknown("hello")),
    ("Hello", Unknown("Hello")),
    ("#sre how do I", Unknown("#sre")),
    ("x" * 100, Unknown("x" * 40)),
    # ask
    ("ask How do I prepare for on-call? #sre", Ask("How do I prepare for on-call?", ("sre",))),
    ("ASK  How do I\n prepare   for on-call?\t#SRE ", Ask("How do I prepare for on-call?", ("sre",))),
    ("ask #sre #k8s how do I page someone", Ask("how do I page someone", ("sre", "k8s"))),
    ("ask how do I #sre page someone", Ask("how do I page someone", ("sre",))),
    ("ask on-call tips #sre #SRE #sre.", Ask("on-call tips", ("sre",))),
    ("ask lunch careers over lunch #career", Ask("careers over lunch", ("career",), lunch=True)),
    ("ask lunch #career", Ask("lunch", ("career",))),  # one word: the goal itself
    (
        "ask what's next? #c++ #node.js #on-call #ml_ops",
        Ask("what's next?", ("c++", "node.js", "on-call", "ml_ops")),
    ),
    ("ask rust help (#rust,", Ask("rust help (#rust,", ())),
    ("ask C# or F# # ?", Ask("C# or F# ?", ())),
    ("ask ##sre help", Ask("help", ("sre",))),
    ("ask Talk: 1 #a #b #c #d #e", Ask("Talk: 1", ("a", "b", "c", "d", "e"))),
    # unicode goals
    (
        "ask Wie bereite ich mich auf Rufbereitschaft vor? 🚒 #sre",
        Ask("Wie bereite ich mich auf Rufbereitschaft vor? 🚒", ("sre",)),
    ),
    ("ask 如何准备值班？ #sre", Ask("如何准备值班？", ("sre",))),
    ("ask café\u00a0crème", Ask("café crème", ())),
    # Slack's escaping of & < >
    ("ask R&amp;D &lt;3 a &gt; b", Ask("R&D <3 a > b", ())),
    ("ask literally &amp;lt; please", Ask("literally &lt; please", ())),
    ("ask &lt;#C123|sre&gt; is text", Ask("<#C123|sre> is text", ())),
    # Slack's channel, user and link markup
    ("ask on-call prep <#C123ABC|sre>", Ask("on-call prep", ("sre",))),
    ("ask on-call prep <#C123ABC>", Ask("on-call prep", ())),
    ("ask on-call prep <#C123ABC|>", Ask("on-call prep", ())),
    ("ask on-call <#C1|sre> and <#C2|SRE> #k8s", Ask("on-call and", ("sre", "k8s"))),
    ("ask working with <@U123|ana> better", Ask("working with @ana better", ())),
    ("ask working with <@U123> better", Ask("working with @U123 better", ())),
    (
        "ask read <https://example.com/a?b=1&amp;c=2|example.com> first",
        Ask("read https://example.com/a?b=1&c=2 first", ()),
    ),
    ("ask mail <mailto:ana@example.com|ana@example.com>", Ask("mail ana@example.com", ())),
    ("ask ping <!here> and <!subteam^S1|@sre-team>", Ask("ping @here and @sre-team", ())),
    # join, profile, leave, list
    ("join", Join(())),
    ("join #SRE #python #sre", Join(("sre", "python"))),
    ("join <#C1|sre> #k8s", Join(("sre", "k8s"))),
    ("JOIN   ", Join(())),
    ("profile", Profile()),
    ("leave", Leave()),
    ("list", ListMine()),
    ("LIST ", ListMine()),
    # available
    ("available on", SetAvailable(True)),
    ("available ON", SetAvailable(True)),
    ("available yes", SetAvailable(True)),
    ("available true", SetAvailable(True)),
    ("available off", SetAvailable(False)),
    ("available no", SetAvailable(False)),
    ("available False", SetAvailable(False)),
    # away
    ("away 10d", Away(duration=timedelta(days=10))),
    ("away 2w", Away(duration=timedelta(days=14))),
    ("away 2 weeks", Away(duration=timedelta(days=14))),
    ("away 1 day", Away(duration=timedelta(days=1))),
    ("away 365d", Away(duration=timedelta(days=365))),
    ("away 52W", Away(duration=timedelta(days=364))),
    ("away 2025-09-01", Away(until=date(2025, 9, 1))),
    ("away 2028-02-29", Away(until=date(2028, 2, 29))),
    ("away off", Away()),
    ("away back", Away()),
    # coffee
    ("coffee", CoffeeHelp()),
    ("coffee help", CoffeeHelp()),
    ("coffee dance", CoffeeHelp(unknown="dance")),
    ("coffee join", CoffeeJoin()),
    ("Coffee JOIN", CoffeeJoin()),
    ("coffee leave", CoffeeLeave()),
    ("coffee resume", CoffeeResume()),
    ("coffee status", CoffeeStatus()),
    ("coffee run", CoffeeRun()),
    ("coffee preview", CoffeePreview()),
    ("coffee preview mentors", CoffeePreview(pool="mentors")),
    ("coffee run ceo", CoffeeRun(pool="ceo")),
    ("coffee pools", CoffeePools()),
    ("coffee pool new", CoffeePoolNew()),
    ("Coffee Pool NEW", CoffeePoolNew()),
    ("coffee pause 2w", CoffeePause(duration=timedelta(days=14))),
    ("coffee pause 3d", CoffeePause(duration=timedelta(days=3))),
    ("coffee pause 2025-12-31", CoffeePause(until=date(2025, 12, 31))),
    ("coffee channel <#C0123ABC|coffee-roulette>", CoffeeChannel("C0123ABC", "coffee-roulette")),
    ("coffee channel <#C0123ABC>", CoffeeChannel("C0123ABC", "")),
    ("coffee channel <#G0123ABC|>", CoffeeChannel("G0123ABC", "")),
    ("coffee channel #Coffee-Roulette", CoffeeChannel(None, "coffee-roulette")),
    ("coffee channel coffee_time", CoffeeChannel(None, "coffee_time")),
    ("coffee avoid <@U0123ABC|ana>", CoffeeAvoid("U0123ABC", remove=False)),
    ("coffee avoid <@W0123ABC>", CoffeeAvoid("W0123ABC", remove=False)),
    ("coffee unavoid <@U0123ABC|ana>", CoffeeAvoid("U0123ABC", remove=True)),
    ("coffee schedule", CoffeeScheduleShow()),
    ("coffee schedule show", CoffeeScheduleShow()),
    ("coffee schedule mentors", CoffeeScheduleShow(pool="mentors")),
    ("coffee schedule mentors weekly wed 10:00", CoffeeSchedule(1, 2, time(10, 0), None, pool="mentors")),
    ("coffee schedule weekly mon 10:00", CoffeeSchedule(1, 0, time(10, 0), None)),
    ("coffee schedule weekly mon 10:00 Europe/Berlin", CoffeeSchedule(1, 0, time(10, 0), "Europe/Berlin")),
    ("coffee schedule every week on Friday at 9am", CoffeeSchedule(1, 4, time(9, 0), None)),
    ("coffee schedule biweekly tue 14:30 utc", CoffeeSchedule(2, 1, time(14, 30), "UTC")),
    ("coffee schedule fortnightly Thurs 2:30pm", CoffeeSchedule(2, 3, time(14, 30), None)),
    ("coffee schedule every 2 weeks wed 9.15", CoffeeSchedule(2, 2, time(9, 15), None)),
    ("coffee schedule every other week sat 12am", CoffeeSchedule(2, 5, time(0, 0), None)),
    (
        "coffee schedule every 4 weeks sundays 12pm america/new_york",
        CoffeeSchedule(4, 6, time(12, 0), "America/New_York"),
    ),
    ("coffee schedule monthly 08:05 mon", CoffeeSchedule(4, 0, time(8, 5), None)),
    (
        "coffee schedule every 1 week Europe/London mon 23:59",
        CoffeeSchedule(1, 0, time(23, 59), "Europe/London"),
    ),
    # stats, export, forget-me
    ("stats", Stats(30)),
    ("stats 30d", Stats(30)),
    ("stats 90d", Stats(90)),
    ("stats 7d", Stats(7)),
    ("stats 4w", Stats(28)),
    ("stats all", Stats(None)),
    ("STATS ALL", Stats(None)),
    ("export", Export()),
    ("forget-me", ForgetMe()),
    ("Forget-Me", ForgetMe()),
    ("forget me", ForgetMe()),
    # hosted sessions
    ("host", Host()),
    ("sessions", Sessions()),
    ("sessions #python", Sessions(("python",))),
    ("sessions #Python online", Sessions(("python",), "online")),
    ("sessions in person #sre", Sessions(("sre",), "in person")),
    ("sessions New  York", Sessions((), "New York")),
    ("sessions Z&amp;rich", Sessions((), "Z&rich")),
]


@pytest.mark.parametrize(("text", "expected"), PARSES, ids=[text or "<empty>" for text, _ in PARSES])
def test_parses(text: str, expected: object) -> None:
    assert parse(text) == expected


EXAMPLE_ASK = "`/mentor ask How do I prepare for on-call? #sre`"

REFUSALS = [
    ("host now", ["`/mentor host` doesn't take anything after it"]),
    ("sessions " + "x" * 61, ["`online`, `in person` or an office", "/mentor sessions Berlin"]),
    # ask: goal required, limited, topics limited and well-formed
    ("ask", ["what you'd like to get out of the conversation", EXAMPLE_ASK]),
    ("ask   ", ["what you'd like to get out of the conversation"]),
    ("ask #sre #k8s", ["what you'd like to get out of the conversation", EXAMPLE_ASK]),
    ("ask <#C123> <#C9|sre>", ["what you'd like to get out of the conversation"]),
    ("ask " + "x" * (MAX_GOAL_LENGTH + 1), [str(MAX_GOAL_LENGTH), str(MAX_GOAL_LENGTH + 1), EXAMPLE_ASK]),
    ("ask " + "é" * 250 + " " + "ü" * 250, [str(MAX_GOAL_LENGTH), "501"]),
    ("ask " + "a &amp; " * 80, [str(MAX_GOAL_LENGTH), "319 characters"]),  # counted as meant, not as sent
    ("ask x #a #b #c #d #e #f", [f"at most {MAX_TOPICS}", "6 topics"]),
    ("ask x #" + "k" * 31, ["at most 30", "31 characters"]),
    ("ask x #sre/ops", ["`#sre/ops`", "letters a-z"]),
    ("ask x #café", ["`#café`", "letters a-z"]),
    ("ask x <#C1|r&amp;d>", ["`#r&d`"]),
    # join
    ("join sre python", ["`sre` isn't a topic", "`/mentor join #sre #python`"]),
    ("join #sre and #python", ["`and` isn't a topic"]),
    ("join #a #b #c #d #e #f", [f"at most {MAX_TOPICS}"]),
    # available
    ("available", ["`/mentor available on`", "`/mentor available off`"]),
    ("available maybe", ["`/mentor available on`"]),
    # away
    ("away", ["For how long?", "`/mentor away 2w`"]),
    ("away 0d", ["between 1 and 365 days", "that was 0"]),
    ("away 366d", ["between 1 and 365 days", "that was 366"]),
    ("away 53w", ["that was 371"]),
    ("away 99999999999999999999d", ["between 1 and 365 days"]),
    ("away soon", ["I didn't understand `soon`", "until a date written YYYY-MM-DD"]),
    ("away 2025-02-30", ["`2025-02-30` isn't a date", "`/mentor away 2w`"]),
    ("away 2025-13-01", ["isn't a date"]),
    ("away 0000-01-01", ["isn't a date"]),
    ("away 2025/09/01", ["I didn't understand"]),
    ("away 1.5w", ["I didn't understand"]),
    ("away -3d", ["I didn't understand"]),
    # commands that take no arguments refuse extra words (leave coffee is not coffee leave)
    ("leave coffee", ["doesn't take anything", "Did you mean `/mentor coffee leave`?"]),
    ("list all", ["`/mentor list` doesn't take anything"]),
    ("profile edit", ["`/mentor profile` doesn't take anything"]),
    ("export now", ["`/mentor export` doesn't take anything"]),
    ("forget-me now", ["`/mentor forget-me` doesn't take anything"]),
    ("coffee join now", ["`/mentor coffee join` doesn't take anything"]),
    ("coffee run ceo now", ["`/mentor coffee run` takes at most a pool's name"]),
    # coffee pause
    ("coffee pause", ["For how long?", "`/mentor coffee pause 2w`"]),
    ("coffee pause off", ["`/mentor coffee resume`"]),
    ("coffee pause 400d", ["between 1 and 365 days"]),
    ("coffee pause forever", ["I didn't understand `forever`"]),
    # coffee channel
    ("coffee channel", ["Which channel", "`/mentor coffee channel #coffee-roulette`"]),
    ("coffee channel #a #b", ["doesn't look like one channel"]),
    ("coffee channel <@U123|ana>", ["doesn't look like one channel"]),
    # coffee avoid / unavoid
    ("coffee avoid", ["Who?", "`/mentor coffee avoid @Ana`"]),
    ("coffee avoid @ana", ["`@ana`", "Slack's suggestions", "mention"]),
    ("coffee unavoid @ana", ["`/mentor coffee unavoid @Ana`"]),
    ("coffee avoid ana", ["Mention one person"]),
    ("coffee avoid <@U1|ana> <@U2|bo>", ["Mention one person"]),
    ("coffee avoid <#C1|sre>", ["Mention one person"]),
    # coffee schedule
    ("coffee schedule mon 10:00", ["Start with how often", "`weekly`"]),
    ("coffee schedule daily mon 10:00", ["Start with how often"]),
    ("coffee schedule every 3 weeks mon 10:00", ["every 1, 2 or 4 weeks", "not 3"]),
    ("coffee schedule weekly mon", ["needs a time"]),
    ("coffee schedule weekly 10:00", ["needs a weekday"]),
    ("coffee schedule weekly mon 10", ["I didn't understand `10`"]),
    ("coffee schedule weekly mon 25:00", ["I didn't understand `25:00`"]),
    ("coffee schedule weekly mon 10:60", ["I didn't understand `10:60`"]),
    ("coffee schedule weekly mon 13pm", ["I didn't understand `13pm`"]),
    ("coffee schedule weekly mon tue 10:00", ["I didn't understand `tue`"]),
    ("coffee schedule weekly mon 10:00 11:00", ["I didn't understand `11:00`"]),
    ("coffee schedule weekly mon 10:00 Mars/Olympus", ["time zone `Mars/Olympus`", "`Europe/Berlin`"]),
    ("coffee schedule weekly mon 10:00 ../../etc/passwd", ["time zone"]),
    ("coffee schedule weekly mon 10:00 Europe/", ["time zone"]),
    ("coffee schedule weekly mon 10:00 CET", ["I didn't understand `CET`"]),
    # stats
    ("stats 0d", ["between 1 and 365 days"]),
    ("stats lately", ["`/mentor stats 30d`", "`/mentor stats all`"]),
]


@pytest.mark.parametrize(("text", "fragments"), REFUSALS, ids=[text[:50] for text, _ in REFUSALS])
def test_refuses_with_a_readable_message(text: str, fragments: list[str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(text)
    for fragment in fragments:
        assert fragment in caught.value.message
    for example in re.findall(r"`/mentor ([^`@]+)`", caught.value.message):  # examples must work
        assert not isinstance(parse(example), (Unknown, CoffeeHelp)), example


def test_goal_at_the_limit_is_accepted_and_one_more_character_is_not() -> None:
    goal = "y" * MAX_GOAL_LENGTH
    assert parse(f"ask {goal} #sre") == Ask(goal, ("sre",))
    with pytest.raises(InvalidInput, match=f"{MAX_GOAL_LENGTH + 1} characters"):
        parse(f"ask {goal}y #sre")


@pytest.mark.parametrize("goal", ["", "   ", "x" * (MAX_GOAL_LENGTH + 1)])
def test_a_refused_goal_gets_the_domains_one_message_then_an_example(goal: str) -> None:
    with pytest.raises(InvalidInput) as domain:
        validate_goal(goal)
    with pytest.raises(InvalidInput) as caught:
        parse(f"ask {goal} #sre")
    assert caught.value.message == f"{domain.value.message} For example: {EXAMPLE_ASK}"


def test_goal_length_is_counted_after_unescaping_and_collapsing() -> None:
    goal = "&amp;" * MAX_GOAL_LENGTH  # 1,500 characters as sent, 300 as meant
    assert parse(f"ask   {goal}   ") == Ask("&" * MAX_GOAL_LENGTH)


def test_max_topics_counts_distinct_topics() -> None:
    topics = " ".join(f"#t{i} #T{i}" for i in range(MAX_TOPICS))
    assert parse(f"ask x {topics}") == Ask("x", tuple(f"t{i}" for i in range(MAX_TOPICS)))


# ---------------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------------

_pieces = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "#sre", "#SRE", "#c++", "##x", "#", "#.", "#a,", "#K8s!", "<#C1|sre>", "<#C1>", "<#C1|>",
            "<#C1|a b>", "<@U1|ana>", "<@U1>", "<!here>", "<https://x.io|x>", "&amp;", "&lt;", "&gt;",
            "&amp;lt;", "\u00a0", "\n", "\t", "🚒", "é", "<", ">", "|", "@ana", "x" * 40,
        ]
    ),
)  # fmt: skip
_slack_like_text = st.lists(_pieces, max_size=40).map(" ".join)


_sub_commands = st.sampled_from(
    ["ask", "join", "away", "available", "stats", "coffee schedule", "coffee schedule weekly",
     "coffee channel", "coffee avoid", "coffee pause", "coffee", "help", "leave", "sessions", "host"]
)  # fmt: skip


@given(st.one_of(st.text(), _slack_like_text))
def test_parse_raises_nothing_but_invalid_input(text: str) -> None:
    with contextlib.suppress(InvalidInput):
        parse(text)


@given(_sub_commands, _slack_like_text)
def test_every_sub_command_raises_nothing_but_invalid_input(word: str, rest: str) -> None:
    with contextlib.suppress(InvalidInput):
        parse(f"{word} {rest}")


@given(_slack_like_text)
def test_an_ask_goal_is_clean(rest: str) -> None:
    try:
        command = parse(f"ask {rest}")
    except InvalidInput:
        return
    assert isinstance(command, Ask)
    assert 0 < len(command.goal) <= MAX_GOAL_LENGTH
    assert command.goal == " ".join(command.goal.split())
    assert not any(word.startswith("#") for word in command.goal.split())
    assert "<#C1" not in command.goal and "<@U1" not in command.goal
    assert len(command.topics) <= MAX_TOPICS
    assert len(set(command.topics)) == len(command.topics)
    assert all(re.fullmatch(r"[a-z0-9+._-]{1,30}", topic) for topic in command.topics)


@pytest.mark.parametrize("text", ["coffee pool", "coffee pool make", "coffee pools now"])
def test_coffee_pool_without_new_says_how(text):
    with pytest.raises(InvalidInput, match="coffee pool"):
        parse(text)
