"""The local stand-in for Slack and the web page of ``mentorbot sandbox`` (the tests use the stand-in too)."""
