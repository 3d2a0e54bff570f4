"""The functions `ingest_pipelined` runs in its enrichment processes.

Kept apart from `ingest.py`: a spawned process unpickles these by importing this module,
which must not import models before `setup()` has run `django.setup()`."""

from __future__ import annotations


def setup() -> None:
    import django

    django.setup()


def enrich_batch(texts: list[str], langs: list[str]) -> tuple[list[tuple], float]:
    """The batch's enrichments as `ingest.enrichment_values` tuples (cheaper to pickle
    across processes than the dataclasses), and the CPU seconds they took here."""
    import time

    from voliere.listening.ingest import enrichment_values
    from voliere.listening.pipeline.enrich import enrich

    started = time.process_time()
    values = [enrichment_values(found) for found in enrich(texts, langs)]
    return values, time.process_time() - started
