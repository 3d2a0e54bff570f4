"""`{{ url|http_url }}`: an http(s) (or site-relative) link, or "" (see `listening.links`)."""

from django import template

from voliere.listening import links

register = template.Library()


@register.filter
def http_url(url: object) -> str:
    return links.http_url(url)
