"""Persistence: typed models, engine and session factories, query functions. Nothing here commits."""
