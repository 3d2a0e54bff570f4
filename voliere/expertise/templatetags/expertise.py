"""`{{ delta|answer_time }}`: a time to answer as people say it ("45 min", "3.5 h", "9 days")."""

from __future__ import annotations

import datetime

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def answer_time(delta: datetime.timedelta | None) -> str:
    if delta is None:
        return "—"
    minutes = delta.total_seconds() / 60
    if minutes < 90:
        return _("%(n)s min") % {"n": max(1, round(minutes))}
    hours = minutes / 60
    if hours < 36:
        return _("%(n)s h") % {"n": number_format(round(hours, 1), decimal_pos=1)}
    return _("%(n)s days") % {"n": number_format(round(hours / 24, 1), decimal_pos=1)}
