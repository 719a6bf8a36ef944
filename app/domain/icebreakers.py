"""Opening questions for coffee-roulette introductions (one is picked per group, by the round's rng)."""

ICEBREAKERS: tuple[str, ...] = (
    "What's something you learned recently that surprised you?",
    "What does a good day at work look like for you?",
    "What's a tool or habit that made your work easier this year?",
    "If you could swap jobs with anyone here for a week, who would it be?",
    "What are you looking forward to in the next few months?",
    "What's the best piece of advice you've been given?",
    "What's a project you're quietly proud of?",
    "What did you want to be when you were a kid?",
    "What's something you'd like to get better at?",
    "What's a book, podcast or talk you'd recommend?",
)
