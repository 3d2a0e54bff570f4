"""Template helpers for community pages."""

from __future__ import annotations

from django import template

from voliere.communities.queries import Standing

register = template.Library()


@register.filter
def outranks(standing: Standing, role: str) -> bool:
    """`{% if standing|outranks:member.role %}`: may the viewer act on that member."""
    return isinstance(standing, Standing) and standing.outranks(role)
