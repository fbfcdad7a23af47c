"""Storage: SQLModel tables over SQLite (default, WAL) or PostgreSQL (``--db postgresql://...``)."""
