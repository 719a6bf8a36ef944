"""mentorbot: micro-mentoring and coffee roulette for Slack."""
