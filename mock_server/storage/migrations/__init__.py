"""Alembic migrations of the sandbox's schema (env.py, and one module per revision in versions/)."""
