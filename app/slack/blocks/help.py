"""The help copy of ``/mentor``, Slack mrkdwn: every sub-command with a one-line description."""

from __future__ import annotations

# The help is shown as mrkdwn: a literal "<" or ">" is written &lt; / &gt;, or Slack reads it as markup.
_MENTORING_HELP = """\
*Mentoring*
• `/mentor ask &lt;goal&gt; #topic` — Ask for a 15-minute chat: \
`/mentor ask How do I prepare for on-call? #sre`
• `/mentor ask reverse &lt;goal&gt; #topic` — Reverse mentoring: a colleague two or more levels junior, \
in another team, mentors you (needs your team and level: `/mentor about`)
• `/mentor ask lunch &lt;goal&gt; #topic` — An hour's lunch in person with a mentor of your office, \
on a day they're in (set your office in `/mentor about`)
• `/mentor mentors #topic` — Browse the mentors (all of them without a topic) and ask one by name
• `/mentor sessions #topic online|in person|office` — Upcoming group sessions, lunches and coworking \
with seats left, to join (afterwards you're asked once how it went)
• `/mentor list` — Your asks and upcoming conversations
• `/mentor about` — Your working hours (slots offered to you fall inside them), team and level
• `/mentor forget-me` — Erase everything Mentorbot holds about you"""

_MENTORS_HELP = """\
*Mentors*
• `/mentor join #topic …` — Offer to mentor on a few topics (no topics opens your profile)
• `/mentor profile` — Edit your topics, hours and how many conversations a week you take
• `/mentor available on|off` — Take new requests, or pause them
• `/mentor away 2w|10d|off` — Step away for a while, or until a date (YYYY-MM-DD); `off` when you're back
• `/mentor host` — Host a group session, a group lunch or coworking, online or at an office; \
move or cancel it from `/mentor sessions` or your Home; after it, you hear its average rating once three \
people rated
• `/mentor leave` — Leave the mentor list"""

_COFFEE_HELP = """\
*Coffee roulette*
• `/mentor coffee join` · `coffee leave` — Meet a colleague or two for coffee every round, or stop
• `/mentor coffee pause 2w` · `coffee resume` — Sit out a few rounds, or until a date (YYYY-MM-DD)
• `/mentor coffee avoid @someone` · `coffee unavoid @someone` — Never be paired with someone (only you know)
• `/mentor coffee status` — Whether you're in, and when the next round is
• `/mentor coffee pools` — Every coffee pool, its schedule, how many take part and its next round"""

_ADMINS_HELP = """\
*Admins*
• `/mentor coffee channel #channel` — Members of this channel take part in coffee roulette
• `/mentor coffee schedule [pool] weekly mon 10:00 Europe/Berlin` — When a pool's rounds run (alone: shows it)
• `/mentor coffee preview [pool]` · `coffee run [pool]` — A pool's next round, quietly, or run it now
• `/mentor coffee pool new` — Another pool: channel or opt-in, schedule, group size, mode
• `/mentor offices add Berlin Europe/Berlin` · `offices remove Berlin` — The offices people work from \
(`/mentor offices` lists them for everyone)
• `/mentor stats 30d|90d|all` — How the program is doing, in aggregate (and per format)
• `/mentor export` — Download program activity as a CSV"""

_PROGRAMS_HELP = """\
*Programs (admins)*
• `/mentor program new` · `/mentor programs` — Create a mentoring program (reverse, classic or peer) \
in a form; list them with applicants and matched per wave; `program add &lt;name&gt;` pastes a CSV \
of applicants
• `/mentor program invite &lt;name&gt; @someone #channel` — Each gets a DM with the purpose and Apply
• `/mentor program preview &lt;name&gt;` — The optimal pairs with why, who is left out and the rule why; \
`program lock|split &lt;name&gt; @mentor @mentee`, `program exclude &lt;name&gt; @person` adjust it \
(or its *Adjust in a form…*, also the App Home's Preview)
• `/mentor program publish &lt;name&gt;` — A group DM per pair, a private list per coach; \
`program wave &lt;name&gt;` starts the next wave; `program stats &lt;name&gt; [wave N]` shows its outcomes
• `/mentor program board &lt;name&gt;` — Sessions up to date by department (for the program's people); \
`program alumni &lt;name&gt; #channel` names the alumni group of the end-of-wave survey"""

HELP_TEXT = (
    ":wave: *Mentorbot* finds you a colleague for a short, focused conversation, "
    "and pairs people up for coffee.\n\n"
    + "\n\n".join((_MENTORING_HELP, _MENTORS_HELP, _COFFEE_HELP, _ADMINS_HELP, _PROGRAMS_HELP))
)
"""The full help, Slack mrkdwn: every sub-command with a one-line description."""

COFFEE_HELP_TEXT = _COFFEE_HELP + "\n\n" + _ADMINS_HELP
"""The coffee roulette part of the help, for ``/mentor coffee`` alone."""


def usage_hint() -> str:
    """The slash command's usage hint, as in manifest.yml (a test keeps the two equal)."""
    return "ask <goal> #topic | join | list | help"
