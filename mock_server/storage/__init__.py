"""Persistence: SQLAlchemy 2 over SQLite (default) or PostgreSQL, behind repositories."""

from mock_server.storage.database import Database
from mock_server.storage.models import Base

__all__ = ["Base", "Database"]
