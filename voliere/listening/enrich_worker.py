"""The functions `ingest_pipelined` runs in its enrichment processes.

Kept apart from `ingest.py`: a spawned process unpickles these by importing this module,
which must not import models before `setup()` has run `django.setup()`."""

from __future__ import annotations


def setup() -> None:
    import django

    django.setup()


def enrich_batch(texts: list[str], langs: list[str]) -> list:
    from voliere.listening.pipeline.enrich import enrich

    return enrich(texts, langs)
