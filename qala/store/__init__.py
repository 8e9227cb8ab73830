"""The store: documents and what they say, on SQLite (embedded default) or PostgreSQL (teams)."""
