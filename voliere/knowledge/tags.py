"""Knowledge tags: parsing what people type ("python, Data science #ml") into clean names."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from voliere.core.exceptions import InvalidInput

MAX_TAGS = 10
TAG_MAX_CHARS = 50
_SEPARATORS = re.compile(r"[,\n]+")
_TAG_RE = re.compile(r"[\w][\w .+#'’-]*", re.UNICODE)


def normalize(name: str) -> str:
    """Case-folded, inner whitespace collapsed, leading '#' dropped."""
    return " ".join(name.strip().lstrip("#").split()).casefold()


def parse_tags(raw: str, *, field: str = "tags") -> list[str]:
    """Distinct normalized tags from comma- or line-separated input, in order.

    Raises InvalidInput naming `field` for a tag too long, with odd characters, or for
    more than MAX_TAGS tags.
    """
    seen: dict[str, None] = {}
    for part in _SEPARATORS.split(raw or ""):
        name = normalize(part)
        if not name:
            continue
        if len(name) > TAG_MAX_CHARS:
            raise InvalidInput(
                _("The tag “%(tag)s…” is too long (at most %(max)s characters).")
                % {"tag": name[:20], "max": TAG_MAX_CHARS},
                field=field,
            )
        if not _TAG_RE.fullmatch(name):
            raise InvalidInput(
                _("The tag “%(tag)s” may only contain letters, digits, spaces and . + # ' -")
                % {"tag": name},
                field=field,
            )
        seen.setdefault(name)
    if len(seen) > MAX_TAGS:
        raise InvalidInput(_("At most %(max)s tags.") % {"max": MAX_TAGS}, field=field)
    return list(seen)
