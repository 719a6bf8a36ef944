"""The pure domain: standard library only. No I/O, no clock, no global random, no environment."""
