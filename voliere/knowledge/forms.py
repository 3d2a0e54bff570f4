"""Forms for the knowledge pages. They shape and display input; the rules (required, too
long, where one may publish) live in the actions, whose InvalidInput messages are attached
back to the field at fault with `voliere.posts.forms.attach_error`.

Articles and questions take attachments through the media app's upload slots
(`MediaUploadsMixin`, drawn by `media/_upload_fields.html`); the view turns them into
prepared files with `form.prepared_media(request)` and the action attaches them last.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput
from voliere.knowledge.access import blog_choices, postable_communities
from voliere.knowledge.models import KnowledgeVisibility
from voliere.media.forms import MediaUploadsMixin


def _text(label: str, *, rows: int = 0, **kwargs: object) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    # Not `required`: empty input gets the action's own message, like every other surface.
    return forms.CharField(label=label, required=False, strip=False, widget=widget, **kwargs)


class _ItemForm(forms.Form):
    title = _text(_lazy("Title"))
    body = _text(_lazy("Text (Markdown)"), rows=14)
    tags = _text(_lazy("Tags"), help_text=_lazy("Separated by commas, e.g. python, safety"))
    visibility = forms.CharField(
        label=_lazy("Visibility"),
        required=False,
        initial=KnowledgeVisibility.INTERNAL,
        widget=forms.Select(choices=KnowledgeVisibility.choices),
    )


class ArticleForm(MediaUploadsMixin, _ItemForm):
    destination = forms.CharField(label=_lazy("Publish in"), required=False)
    coauthors = _text(
        _lazy("Co-authors"), help_text=_lazy("Handles separated by commas, e.g. @alice, @bob")
    )
    cover = forms.FileField(label=_lazy("Cover image"), required=False)
    cover_alt = _text(_lazy("Cover description (for people who cannot see it)"))
    remove_cover = forms.BooleanField(label=_lazy("Remove the cover"), required=False)

    def __init__(self, *args: object, viewer: Account, editing: bool = False, **kwargs: object):
        super().__init__(*args, **kwargs)
        choices = [
            (f"blog:{a.pk}", _("Blog of @%(handle)s") % {"handle": a.handle})
            for a in blog_choices(viewer)
        ]
        choices += [
            (f"community:{c.pk}", _("Community: %(name)s") % {"name": c.name})
            for c in postable_communities(viewer)
        ]
        self.fields["destination"].widget = forms.Select(choices=choices)
        if editing:
            for name in ("destination", "coauthors"):
                del self.fields[name]
        else:
            del self.fields["remove_cover"]


class QuestionForm(MediaUploadsMixin, _ItemForm):
    community = forms.CharField(label=_lazy("Ask in"), required=False)

    def __init__(self, *args: object, viewer: Account, editing: bool = False, **kwargs: object):
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("community", "visibility"):
                del self.fields[name]
            return
        choices = [("", _("The whole instance"))]
        choices += [(str(c.pk), c.name) for c in postable_communities(viewer)]
        self.fields["community"].widget = forms.Select(choices=choices)


class AnswerForm(forms.Form):
    body = _text(_lazy("Your answer (Markdown)"), rows=6)


class CommentForm(forms.Form):
    body = _text(_lazy("Comment"), rows=3)


class ReviewForm(forms.Form):
    comment = _text(_lazy("Comment for the authors"), rows=3)


def read_handles(raw: str, *, field: str = "coauthors") -> list[Account]:
    """Active accounts for '@a, b' — InvalidInput naming the first unknown handle."""
    handles = [h.strip().lstrip("@") for h in (raw or "").replace("\n", ",").split(",")]
    accounts = []
    for handle in dict.fromkeys(h for h in handles if h):
        account = Account.objects.active().by_handle(handle).first()
        if account is None:
            raise InvalidInput(_("No such account: @%(handle)s") % {"handle": handle}, field=field)
        accounts.append(account)
    return accounts
