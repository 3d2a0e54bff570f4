"""Guards for the PostgreSQL lane: it must really run on PostgreSQL, never silently on SQLite."""

from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_lane_runs_on_postgresql() -> None:
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), version()")
        database, version = cursor.fetchone()
    assert database.startswith("test_")
    assert version.startswith("PostgreSQL ")


@pytest.mark.django_db
def test_lane_matches_the_requested_database() -> None:
    """A postgres:// VOLIERE_DATABASE_URL gives PostgreSQL; anything else gives SQLite."""
    url = os.environ.get("VOLIERE_DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
