"""`{% card_body post %}`: the cached, viewer-independent part of a post card;
`{% action_bar p %}`: its action bar (see `voliere.posts.cards`)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from voliere.posts import cards
from voliere.posts.models import Post

register = template.Library()


@register.simple_tag
def card_body(post: Post) -> SafeString:
    return cards.card_body(post)


@register.simple_tag(takes_context=True)
def action_bar(context, p: Post) -> SafeString:
    return cards.action_bar(context, p)
