"""Scheduled work: a metronome that calls services."""
