"""Alembic migrations, shipped inside the package so ``mentorbot migrate`` works from any install."""
