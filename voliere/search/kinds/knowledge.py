"""Articles and forum threads: title, Markdown text, tags; by author(s), community,
language and validation. Who may read which is `voliere.knowledge.access` (drafts for
their authors, secret communities for members, blocks, suspended authors)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from voliere.search import text
from voliere.search.documents import (
    META_VALIDATED,
    Document,
    meta_author,
    meta_community,
    meta_language,
    meta_tag,
)
from voliere.search.kinds import TIME_FILTERS, Dependent, SearchKind

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from voliere.accounts.models import Account

FILTERS = frozenset({"from", "in", "lang", "tag", "is"}) | TIME_FILTERS
_ITEM_FIELDS = ("id", "title", "body", "community_id", "review_state")


def _document(item: Any, authors: list[int], tags: list[str]) -> Document:
    language = text.index_language("", f"{item.title}\n{item.body[:2000]}")
    meta = [meta_author(a) for a in authors] + [meta_tag(t) for t in tags]
    meta.append(meta_language(language))
    if item.community_id:
        meta.append(meta_community(item.community_id))
    if item.review_state == "validated":
        meta.append(META_VALIDATED)
    return Document(
        object_id=item.id,
        title=text.tokens(item.title, language),
        body=text.tokens(item.body, language),
        meta=meta,
    )


def _tags(through: Any, field: str, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for item_id, name in through.objects.filter(**{f"{field}__in": ids}).values_list(
        field, "tag__name"
    ):
        found[item_id].append(name)
    return found


def article_extras(ids: list[int]) -> dict[int, dict]:
    from voliere.knowledge.models import Article, ArticleAuthor

    tags = _tags(Article.tags.through, "article_id", ids)
    authors: dict[int, list[int]] = defaultdict(list)
    for article_id, account_id in ArticleAuthor.objects.filter(article_id__in=ids).values_list(
        "article_id", "account_id"
    ):
        authors[article_id].append(account_id)
    return {i: {"tags": tags.get(i, []), "authors": authors.get(i, [])} for i in ids}


def thread_extras(ids: list[int]) -> dict[int, dict]:
    from voliere.knowledge.models import Thread

    tags = _tags(Thread.tags.through, "thread_id", ids)
    return {i: {"tags": tags.get(i, [])} for i in ids}


def build_article(article: Any, extra: dict) -> Document:
    authors = sorted({article.created_by_id, *extra.get("authors", [])})
    return _document(article, authors, extra.get("tags", []))


def build_thread(thread: Any, extra: dict) -> Document:
    return _document(thread, [thread.author_id], extra.get("tags", []))


def visible_articles(viewer: Account | None) -> QuerySet:
    from voliere.knowledge.access import visible_articles as readable

    return readable(viewer).select_related("created_by", "community")


def visible_threads(viewer: Account | None) -> QuerySet:
    from voliere.knowledge.access import visible_threads as readable

    return readable(viewer).select_related("author", "community")


def _text(item: Any) -> tuple[str, str]:
    return item.title, item.excerpt or item.body


ARTICLES = SearchKind(
    name="articles",
    table="article",
    model="knowledge.Article",
    fields=(*_ITEM_FIELDS, "created_by_id"),
    build=build_article,
    visible=visible_articles,
    text_of=_text,
    date_of=lambda article: article.published_at or article.created_at,
    filters=FILTERS,
    time_ordered=True,
    extras=article_extras,
    dependents=(
        Dependent("knowledge.Article", lambda article: [article.pk], m2m_field="tags"),
        Dependent("knowledge.ArticleAuthor", lambda link: [link.article_id]),
    ),
)

THREADS = SearchKind(
    name="threads",
    table="thread",
    model="knowledge.Thread",
    fields=(*_ITEM_FIELDS, "author_id"),
    build=build_thread,
    visible=visible_threads,
    text_of=_text,
    date_of=lambda thread: thread.created_at,
    filters=FILTERS,
    time_ordered=True,
    extras=thread_extras,
    dependents=(Dependent("knowledge.Thread", lambda thread: [thread.pk], m2m_field="tags"),),
)
