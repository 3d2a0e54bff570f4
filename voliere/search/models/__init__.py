"""Search's own tables. The full-text tables (`search_post`, `search_account`, ...) are
not Django models: the migration creates them per database (FTS5 virtual tables on SQLite,
tsvector tables with a GIN index on PostgreSQL) and `voliere.search.backends` reads and
writes them."""

from voliere.search.models.hashtag_key import HashtagKey

__all__ = ["HashtagKey"]
