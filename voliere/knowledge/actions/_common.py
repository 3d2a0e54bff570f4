"""Input checks and writes shared by the article and forum actions (not public API)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput
from voliere.knowledge import markdown
from voliere.knowledge.models import KnowledgeVisibility, Revision, Tag
from voliere.knowledge.models.base import BODY_MAX, EXCERPT_MAX, TITLE_MAX, KnowledgeItem
from voliere.knowledge.tags import parse_tags


def clean_title(title: str) -> str:
    title = " ".join((title or "").replace("\x00", "").split())
    if not title:
        raise InvalidInput(_("A title is required."), field="title")
    if len(title) > TITLE_MAX:
        raise InvalidInput(
            _("A title has at most %(max)s characters (this one has %(count)s).")
            % {"max": TITLE_MAX, "count": len(title)},
            field="title",
        )
    return title


def clean_body(body: str, *, limit: int = BODY_MAX, field: str = "body") -> str:
    body = (body or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if not body:
        raise InvalidInput(_("The text cannot be empty."), field=field)
    if len(body) > limit:
        raise InvalidInput(
            _("The text has at most %(max)s characters (this one has %(count)s).")
            % {"max": limit, "count": len(body)},
            field=field,
        )
    return body


def clean_visibility(visibility: str) -> str:
    if visibility not in KnowledgeVisibility.values:
        raise InvalidInput(
            _("Visibility must be one of: %(choices)s.")
            % {"choices": ", ".join(KnowledgeVisibility.values)},
            field="visibility",
        )
    return visibility


def set_text(item: KnowledgeItem, *, title: str, body: str) -> None:
    """Title, Markdown, its sanitised HTML and the plain excerpt (not saved)."""
    item.title = title
    item.body = body
    item.body_html = markdown.render(body)
    item.excerpt = markdown.plain_excerpt(body, EXCERPT_MAX)


def tag_names(item: KnowledgeItem) -> list[str]:
    return sorted(tag.name for tag in item.tags.all())


def set_tags(item: KnowledgeItem, raw: str | list[str]) -> list[str]:
    """Replace the item's tags; returns the sorted names."""
    names = parse_tags(raw) if isinstance(raw, str) else parse_tags(",".join(raw))
    Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
    item.tags.set(Tag.objects.filter(name__in=names))
    return sorted(names)


def write_revision(item: KnowledgeItem, *, editor: Account, tags: list[str]) -> Revision:
    """Store the item's current text as revision `item.revision`."""
    kind = "article" if item._meta.model_name == "article" else "thread"
    return Revision.objects.create(
        **{kind: item},
        number=item.revision,
        title=item.title,
        body=item.body,
        tags=tags,
        editor=editor,
        created_at=timezone.now(),
    )
