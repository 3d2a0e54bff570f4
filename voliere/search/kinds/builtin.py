"""Registers the kinds search knows: posts, people, communities, and articles and forum
threads when the knowledge app provides its permission module."""

from __future__ import annotations

import importlib.util

from voliere.search.kinds import communities, people, posts, register


def register_all() -> None:
    register(posts.KIND)
    register(people.KIND)
    register(communities.KIND)
    if importlib.util.find_spec("voliere.knowledge.access") is not None:
        from voliere.search.kinds import knowledge

        register(knowledge.ARTICLES)
        register(knowledge.THREADS)
