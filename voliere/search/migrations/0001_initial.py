"""Search tables: the hashtag keys (a model), and one full-text table per kind, created
per database: FTS5 virtual tables on SQLite, tsvector tables with a GIN index on
PostgreSQL (see voliere/search/backends)."""

from django.db import migrations, models

TABLES = ("post", "account", "community", "article", "thread")


def create_index_tables(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE TABLE search_{table} (id bigint PRIMARY KEY, doc tsvector NOT NULL)"
                )
                cursor.execute(f"CREATE INDEX search_{table}_doc ON search_{table} USING gin (doc)")
            else:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE search_{table} USING fts5("
                    "title, body, meta, tokenize = 'unicode61 remove_diacritics 2')"
                )


def drop_index_tables(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS search_{table}")


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="HashtagKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, unique=True)),
                ("key", models.CharField(db_index=True, max_length=100)),
            ],
        ),
        migrations.RunPython(create_index_tables, drop_index_tables),
    ]
