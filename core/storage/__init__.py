"""The database: SQLAlchemy models, column types and Alembic migrations (SQLite and PostgreSQL)."""
