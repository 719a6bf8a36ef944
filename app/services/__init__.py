"""Use cases: each owns its transaction, calls the domain, persists, and enqueues notices in it."""
